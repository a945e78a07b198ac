"""Check a recorded run against its source's history, store the results, and alert.

:func:`check_run` is called by the run recorder when a run ends and by ``dsi classify`` once it
has scored a run's items (the DSI-positive rate needs scores). Alerts go to a command (the alert
as JSON on stdin; ``DSI_ALERT_COMMAND``) and/or a webhook (a JSON POST; ``DSI_ALERT_WEBHOOK``);
an alert that cannot be delivered is logged, never raised.
"""

from __future__ import annotations

import json
import logging
import shlex
import subprocess
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crawler.checks import Check, Thresholds, health, run_checks
from storage.runs import get_run, good_runs, save_checks
from storage.session import session_scope

logger = logging.getLogger(__name__)
_LEVELS = {"warn": 1, "fail": 2}


@dataclass(frozen=True, slots=True)
class Alerts:
    command: str = ""
    webhook: str = ""
    #: the least severe health that alerts: warn | fail
    on: str = "fail"
    timeout: float = 20.0

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Alerts:
        on = str(settings.get("DSI_ALERT_ON") or "fail")
        return cls(
            command=str(settings.get("DSI_ALERT_COMMAND") or ""),
            webhook=str(settings.get("DSI_ALERT_WEBHOOK") or ""),
            on=on if on in _LEVELS else "fail",
        )

    def wanted(self, run_health: str) -> bool:
        return _LEVELS.get(run_health, 0) >= _LEVELS[self.on] and bool(self.command or self.webhook)

    def send(self, alert: dict[str, Any]) -> None:
        body = json.dumps(alert, default=str).encode("utf-8")
        if self.command:
            try:
                subprocess.run(
                    shlex.split(self.command),
                    input=body,
                    timeout=self.timeout,
                    check=True,
                    capture_output=True,
                )
            except (OSError, subprocess.SubprocessError) as exc:
                logger.error("alert command %r failed: %s", self.command, exc)
        if self.webhook:
            request = urllib.request.Request(
                self.webhook,
                data=body,
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    response.read()
            except (OSError, ValueError) as exc:
                logger.error("alert webhook %s failed: %s", self.webhook, exc)


def check_run(
    database_url: str,
    run_id: int,
    *,
    alerts: Alerts | None = None,
    may_be_empty: bool = False,
    thresholds: Thresholds | None = None,
) -> list[Check]:
    """Run the checks of one recorded run, store them on it, and alert when they fail."""
    t = thresholds or Thresholds()
    with session_scope(database_url) as session:
        run = get_run(session, run_id)
        if run is None:
            raise LookupError(f"no crawl run with id {run_id}")
        history = [dict(r.stats or {}) for r in good_runs(session, run.source, before_id=run_id)]
        checks = run_checks(
            dict(run.stats or {}), history[: t.history], may_be_empty=may_be_empty, thresholds=t
        )
        run_health = health(checks)
        save_checks(session, run_id, [c.to_dict() for c in checks], run_health)
        alert = {
            "run_id": run_id,
            "source": run.source,
            "status": run.status,
            "health": run_health,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "checks": [c.to_dict() for c in checks if c.status in ("warn", "fail")],
        }
    for c in checks:
        if c.status in ("warn", "fail"):
            logger.warning(
                "run %s of %s: check %s %s: %s",
                run_id,
                alert["source"],
                c.name,
                c.status,
                c.message,
            )
    if alerts is not None and alerts.wanted(run_health):
        alerts.send(alert)
    return checks
