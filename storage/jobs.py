"""SQL for the ``jobs`` spider: regrouping near-duplicate adverts, and careers-page seeds.

``regroup_jobs`` runs after every jobs crawl (the dedupe pipeline calls it in a thread): it
reads every stored job advert, oldest first sighting first, adds them to the grouping index it
is given (the pipeline passes a fresh :class:`crawler.dedupe.DedupeIndex`: same canonical URL,
same content, or same employer + near identical text) and writes ``items.dedupe_group`` where
it changed. Groups span sources and runs, so trends can count each job once; a group's id comes
from its earliest member. Storage knows the index only by the :class:`GroupingIndex` protocol.

What the index reads from an advert (its signature: canonical URL, employer and content keys,
MinHash values) is kept in ``job_signatures``: the store writes it with the advert when the
crawl made it already (:func:`save_signatures`), and a regrouping writes the ones it had to
make, so an advert's text is shingled and hashed once, not at every regrouping. A signature is
used while the item's ``content_hash`` and the index's ``scheme`` are those it was made with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast
from urllib.parse import urlsplit

from sqlalchemy import Table, bindparam, select, tuple_, update
from sqlalchemy.orm import Session

from storage.models import Candidate, Item, JobSignature
from storage.session import dialect_insert

__all__ = [
    "GroupingIndex",
    "RegroupResult",
    "Signed",
    "organisation_websites",
    "regroup_jobs",
    "save_signatures",
]

#: An advert's signature as kept in ``job_signatures``: (scheme, canonical URL, employer key,
#: content key, MinHash values as bytes or None). Made and read by the index.
Signed = tuple[str, str, str, str, bytes | None]


class GroupingIndex(Protocol):
    """Groups adverts as they are added (``crawler.dedupe.DedupeIndex`` is one)."""

    @property
    def scheme(self) -> str:
        """How the index makes signatures; a stored one of another scheme is made again."""
        ...

    def sign(
        self, *, url: str, employer: str | None, title: str | None, description: str | None
    ) -> Signed:
        """The signature of one advert."""
        ...

    def add_signed(self, key: str, signed: Signed) -> str | None:
        """Add one advert by its signature; returns how it joined a group (``url``,
        ``content``, ``near``)."""
        ...

    def groups(self) -> dict[str, str]:
        """Member key -> group id, for every member."""
        ...


@dataclass(slots=True)
class RegroupResult:
    items: int = 0
    groups: int = 0
    changed: int = 0
    #: members that joined a group through each rule
    by_url: int = 0
    by_content: int = 0
    near: int = 0
    #: signatures made by this regrouping (none stored, or stored for other content)
    signed: int = 0


def _signature_statement(session: Session) -> Any:
    table = cast(Table, JobSignature.__table__)
    stmt = dialect_insert(session)(table)
    columns = ("content_hash", "scheme", "canonical", "employer", "content", "minhash")
    return stmt.on_conflict_do_update(
        index_elements=["item_id"], set_={c: stmt.excluded[c] for c in columns}
    )


def _signature_values(item_id: int, content_hash: str, signed: Signed) -> dict[str, Any]:
    how, canonical, employer, content, minhash = signed
    return {
        "item_id": item_id,
        "content_hash": content_hash,
        "scheme": how,
        "canonical": canonical,
        "employer": employer,
        "content": content,
        "minhash": minhash,
    }


def save_signatures(session: Session, signed: Sequence[tuple[str, str, str, Signed]]) -> int:
    """Keep the signatures of stored adverts: ``(source, url_key, content_hash, signed)``,
    each for the item of that source and URL key (stored in this transaction), made from the
    content whose hash is given. Returns the rows written."""
    ids: dict[tuple[str, str], int] = {}
    for source in {s for s, _, _, _ in signed}:
        keys = [k for s, k, _, _ in signed if s == source]
        stmt = select(Item.url_key, Item.id).where(Item.source == source, Item.url_key.in_(keys))
        ids.update({(source, k): i for k, i in session.execute(stmt)})
    values = [
        _signature_values(ids[(source, key)], digest, sig)
        for source, key, digest, sig in signed
        if (source, key) in ids
    ]
    if values:
        session.connection().execute(_signature_statement(session), values)
    return len(values)


def regroup_jobs(
    session: Session, index: GroupingIndex, *, spider: str = "jobs", batch_size: int = 1000
) -> RegroupResult:
    """Recompute ``dedupe_group`` for every item of ``spider`` with a fresh ``index``, from
    the stored signatures (made, and kept, for the items that have none of the index's scheme
    for their current content)."""
    current: dict[int, str | None] = {}
    result = RegroupResult()
    last: tuple[Any, int] | None = None
    scheme = index.scheme
    cols = (
        Item.id,
        Item.url,
        Item.content_hash,
        Item.first_seen,
        Item.dedupe_group,
        JobSignature.content_hash,
        JobSignature.scheme,
        JobSignature.canonical,
        JobSignature.employer,
        JobSignature.content,
        JobSignature.minhash,
    )
    while True:
        stmt = (
            select(*cols)
            .outerjoin(JobSignature, JobSignature.item_id == Item.id)
            .where(Item.spider == spider)
        )
        if last is not None:  # a row-value comparison: the index seeks to it
            stmt = stmt.where(tuple_(Item.first_seen, Item.id) > tuple_(*last))
        rows = session.execute(stmt.order_by(Item.first_seen, Item.id).limit(batch_size)).all()
        if not rows:
            break
        signatures: dict[int, Signed] = {
            r[0]: (r[6], r[7], r[8], r[9], r[10])
            for r in rows
            if r[5] is not None and r[5] == r[2] and r[6] == scheme
        }
        unsigned = {r[0]: (r[1], r[2]) for r in rows if r[0] not in signatures}
        if unsigned:
            signatures.update(_sign(session, index, unsigned))
            result.signed += len(unsigned)
        for item_id, _url, _digest, first_seen, group, *_ in rows:
            last = (first_seen, item_id)
            signed = signatures.get(item_id)
            if signed is None:  # deleted since it was read
                continue
            how = index.add_signed(str(item_id), signed)
            result.by_url += how == "url"
            result.by_content += how == "content"
            result.near += how == "near"
            current[item_id] = group
            result.items += 1
    groups = index.groups()
    result.groups = len(set(groups.values()))
    changes = [
        {"b_item": int(key), "b_group": group}
        for key, group in groups.items()
        if current.get(int(key)) != group
    ]
    table = cast(Table, Item.__table__)
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_item"))
        .values(dedupe_group=bindparam("b_group"))
    )
    for start in range(0, len(changes), batch_size):
        session.connection().execute(statement, changes[start : start + batch_size])
    result.changed = len(changes)
    return result


def _sign(
    session: Session, index: GroupingIndex, unsigned: dict[int, tuple[str, str]]
) -> dict[int, Signed]:
    """Make the signatures of ``unsigned`` (item id -> URL, content hash) from their stored
    fields, and keep them."""
    stmt = select(Item.id, Item.fields).where(Item.id.in_(list(unsigned)))
    made: dict[int, Signed] = {}
    for item_id, fields in session.execute(stmt):
        fields = fields if isinstance(fields, dict) else {}
        made[item_id] = index.sign(
            url=unsigned[item_id][0],
            employer=_str(fields.get("hiring_organization")),
            title=_str(fields.get("title")),
            description=_str(fields.get("description")),
        )
    values = [_signature_values(i, unsigned[i][1], sig) for i, sig in made.items()]
    if values:
        session.connection().execute(_signature_statement(session), values)
    return made


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _site(url: Any) -> str | None:
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc}/"


def organisation_websites(
    session: Session, *, kind: str = "candidates", limit: int | None = None
) -> list[str]:
    """Homepages of known organisations, for careers-page seeding (one per site, sorted).

    ``candidates``: websites of candidate organisations/projects not rejected.
    ``database``: accepted candidates plus sites profiled by the ``website`` spider.
    """
    if kind not in ("candidates", "database"):
        raise ValueError(f"unknown seed kind {kind!r}")
    sites: set[str] = set()
    stmt = select(Candidate.website).where(Candidate.website.is_not(None))
    if kind == "candidates":
        stmt = stmt.where(Candidate.status != "rejected")
    else:
        stmt = stmt.where(Candidate.status.in_(("accepted", "merged")))
    for (website,) in session.execute(stmt):
        site = _site(website)
        if site:
            sites.add(site)
    if kind == "database":
        for (fields,) in session.execute(select(Item.fields).where(Item.spider == "website")):
            if isinstance(fields, dict):
                site = _site(fields.get("site"))
                if site:
                    sites.add(site)
    ordered = sorted(sites)
    return ordered[:limit] if limit else ordered
