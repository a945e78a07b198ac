"""Versioned model folders under ``DSI_MODEL_DIR`` (default ``var/models/``) and the ACTIVE pointer.

A model is a folder ``<model_dir>/<version>/`` holding ``model.joblib`` and ``metadata.json``
(format tag, version id, created, data hash, training data summary, parameters, metrics,
thresholds, library versions, and the artifact's SHA-256). ``ACTIVE`` holds the active version id.

Loading unpickles code, so we load only folders with our metadata format *and* an artifact
whose SHA-256 matches the metadata: anything else raises :class:`ModelError` before unpickling.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib

from classifiers.models import DSIModel
from classifiers.train import TrainResult

logger = logging.getLogger(__name__)

FORMAT = "dsi-crawler-model/1"
ARTIFACT = "model.joblib"
METADATA = "metadata.json"
ACTIVE = "ACTIVE"
DEFAULT_MODEL_DIR = Path("var") / "models"


class ModelError(RuntimeError):
    """No usable model: none active, not ours, tampered with, or unreadable."""


@dataclass(slots=True, frozen=True)
class ModelInfo:
    version: str
    path: Path
    metadata: dict[str, Any]


def default_model_dir() -> Path:
    """``DSI_MODEL_DIR`` or ``var/models``."""
    env = os.environ.get("DSI_MODEL_DIR")
    return Path(env) if env else DEFAULT_MODEL_DIR


def library_versions() -> dict[str, str]:
    import numpy
    import scipy
    import sklearn

    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "joblib": joblib.__version__,
    }


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def thresholds_of(model: DSIModel) -> dict[str, Any]:
    out: dict[str, Any] = {"relevance": model.relevance_threshold}
    for name, tm in model.tasks.items():
        out[name] = {
            label: (t if learn else None)
            for label, t, learn in zip(tm.labels, tm.thresholds, tm.learnable, strict=True)
        }
    return out


def save_model(
    result: TrainResult,
    model_dir: Path,
    *,
    activate: bool = True,
    extra: dict[str, Any] | None = None,
) -> ModelInfo:
    """Write a new version folder (never overwrites one) and optionally make it active."""
    created = datetime.now(UTC)
    data_hash = str(result.summary.get("sha256", ""))
    version = f"{created:%Y%m%dT%H%M%S%fZ}-{data_hash[:8] or 'nodata'}"
    folder = model_dir / version
    folder.mkdir(parents=True, exist_ok=False)
    artifact = folder / ARTIFACT
    joblib.dump(result.model, artifact, compress=3)
    metadata = {
        "format": FORMAT,
        "version": version,
        "created": created.isoformat(),
        "data_hash": data_hash,
        "artifact_sha256": _sha256(artifact),
        "training_data": result.summary,
        "parameters": result.model.params.to_dict(),
        "metrics": result.metrics,
        "thresholds": thresholds_of(result.model),
        "libraries": library_versions(),
        "train_seconds": round(result.seconds, 2),
        **(extra or {}),
    }
    (folder / METADATA).write_text(
        json.dumps(metadata, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    if activate:
        set_active(model_dir, version)
    logger.info("saved model %s to %s", version, folder)
    return ModelInfo(version=version, path=folder, metadata=metadata)


def read_metadata(folder: Path) -> dict[str, Any]:
    path = folder / METADATA
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{folder}: no {METADATA}; not a dsi-crawler model") from None
    except json.JSONDecodeError as exc:
        raise ModelError(f"{path}: unreadable ({exc})") from None
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT:
        raise ModelError(f"{folder}: not a {FORMAT} model folder")
    return metadata


def list_models(model_dir: Path) -> list[ModelInfo]:
    if not model_dir.is_dir():
        return []
    out = []
    for folder in sorted(p for p in model_dir.iterdir() if p.is_dir()):
        try:
            meta = read_metadata(folder)
        except ModelError:
            continue
        out.append(ModelInfo(version=str(meta["version"]), path=folder, metadata=meta))
    return out


def set_active(model_dir: Path, version: str) -> None:
    read_metadata(model_dir / version)
    tmp = model_dir / f".{ACTIVE}.tmp"
    tmp.write_text(version + "\n", encoding="utf-8")
    tmp.replace(model_dir / ACTIVE)


def active_info(model_dir: Path) -> ModelInfo:
    pointer = model_dir / ACTIVE
    if not pointer.exists():
        raise ModelError(f"no active model in {model_dir}: run `dsi train --from EXPORT.json`")
    version = pointer.read_text(encoding="utf-8").strip()
    folder = model_dir / version
    if not version or "/" in version or not folder.is_dir():
        raise ModelError(f"{pointer} points to a missing model {version!r}")
    return ModelInfo(version=version, path=folder, metadata=read_metadata(folder))


def load_model(info: ModelInfo) -> DSIModel:
    """Unpickle a model we wrote: metadata format and artifact SHA-256 are checked first."""
    artifact = info.path / ARTIFACT
    if not artifact.exists():
        raise ModelError(f"{info.path}: {ARTIFACT} missing")
    if _sha256(artifact) != info.metadata.get("artifact_sha256"):
        raise ModelError(f"{artifact}: SHA-256 does not match metadata.json; refusing to load")
    libs = info.metadata.get("libraries", {})
    current = library_versions()
    if libs.get("scikit-learn") != current["scikit-learn"]:
        logger.warning(
            "model %s was trained with scikit-learn %s, running %s: retrain",
            info.version,
            libs.get("scikit-learn"),
            current["scikit-learn"],
        )
    model = joblib.load(artifact)
    if not isinstance(model, DSIModel):
        raise ModelError(f"{artifact}: not a DSIModel")
    return model


def load_active(model_dir: Path) -> tuple[ModelInfo, DSIModel]:
    info = active_info(model_dir)
    return info, load_model(info)


def ensure_model(model_dir: Path | None = None) -> ModelInfo:
    """The active model, or train one from the shipped DSI4EU sample (about 30-60 s)."""
    from classifiers.dataset import SHIPPED_ORGANISATIONS, SHIPPED_PROJECTS, load_export
    from classifiers.train import train

    model_dir = model_dir or default_model_dir()
    try:
        info = active_info(model_dir)
        load_model(info)
        return info
    except ModelError as exc:
        logger.info("no usable model (%s): training from the shipped DSI4EU sample", exc)
    dataset = load_export([SHIPPED_PROJECTS, SHIPPED_ORGANISATIONS])
    return save_model(train(dataset), model_dir, activate=True)
