"""Store items in the database in batches, idempotently (upsert on source + canonical URL).

Writes run in a thread (off Scrapy's reactor): a batch of ``DSI_STORE_BATCH_SIZE`` items, or
what is buffered every ``DSI_STORE_FLUSH_SECONDS`` (1 s), whichever comes first. When the
database goes away the batch is kept and retried; if it is still unreachable when the spider
closes, the batch is written to a spool file under ``DSI_SPOOL_DIR`` and replayed by the next
run of the same source, so nothing is lost.

When the database refuses a batch for what is in it (a value it cannot store), the batch is
written again item by item: the good items are stored and each refused one goes to the
``dead_letters`` table with the database's reason (``dsi/store/dead_letter``,
``dsi/lost/write_error``); if even that fails, to ``<source>.dead.jsonl`` in the spool folder.

Once items are durable (stored, dead-lettered or spooled) the pipeline sends ``items_stored``
with them: a durable frontier gives a page's lease back only then.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy.orm import Session
from twisted.internet import task
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThread

from crawler.dedupe import AheadBook
from crawler.extensions.signals import items_stored
from crawler.items import BaseItem
from crawler.pipelines.retry import RETRY_DELAYS, with_retry
from storage.dead_letters import add_dead_letter
from storage.items import ItemRow, prepared, store_items
from storage.jobs import Signed
from storage.session import StorageUnavailable

logger = logging.getLogger(__name__)


def item_to_row(item: BaseItem, run_id: int | None) -> tuple[ItemRow, int]:
    """The row to store for an item, its sizes bounded and its strings made storable
    (:func:`storage.items.prepared`), and the number of values that were cut."""
    fields, cut_fields = prepared(item.fields_dict())
    raw, cut_raw = prepared(item.raw)
    title = fields.get("title") or fields.get("name")
    row = ItemRow(
        source=item.source,
        spider=item.spider,
        url=item.url,
        fields=fields,
        raw=raw,
        warnings=list(item.warnings),
        title=str(title) if title else None,
        language=fields.get("language"),
        run_id=run_id,
        prepared=True,
    )
    return row, cut_fields + cut_raw


def _row_to_json(row: ItemRow) -> dict[str, Any]:
    return {
        "source": row.source,
        "spider": row.spider,
        "url": row.url,
        "fields": row.fields,
        "raw": row.raw,
        "warnings": row.warnings,
        "title": row.title,
        "language": row.language,
    }


def _row_from_json(data: dict[str, Any]) -> ItemRow:
    return ItemRow(**data)


def _reason(exc: BaseException) -> str:
    """The first line of a database error (no SQL, no parameters)."""
    cause = getattr(exc, "orig", None) or exc
    first = (str(cause).strip().splitlines() or [""])[0]
    return f"{type(cause).__name__}: {first}"[:500]


class StorePipeline:
    retry_delays = RETRY_DELAYS

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.url: str = settings.get("DSI_DATABASE_URL")
        self.batch_size = max(1, settings.getint("DSI_STORE_BATCH_SIZE", 100))
        self.spool_dir = Path(settings.get("DSI_SPOOL_DIR", "var/spool"))
        self.flush_seconds = settings.getfloat("DSI_STORE_FLUSH_SECONDS", 1.0)
        self.ticker: task.LoopingCall | None = None
        self.buffer: list[ItemRow] = []
        #: id(row) -> its item, until the row is durable (``items_stored``)
        self.waiting: dict[int, Any] = {}
        self.lock = threading.Lock()  # guards ``buffer``
        self.write_lock = threading.Lock()  # one database write at a time

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    # --- helpers ---------------------------------------------------------------------------
    def _inc(self, key: str, n: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(key, n)

    def _run_id(self) -> int | None:
        assert self.crawler.stats is not None
        value = self.crawler.stats.get_value("dsi/run_id")
        return int(value) if value is not None else None

    def _write(self, rows: list[ItemRow]) -> None:
        """Write rows, retrying while the database is unavailable; raises when it stays away."""

        def retrying(exc: StorageUnavailable) -> None:
            logger.warning("database unavailable, will retry: %s", exc)
            self._inc("dsi/store/retries")

        def work(session: Session) -> dict[str, int]:
            return store_items(session, rows)

        changes = with_retry(self.url, work, delays=self.retry_delays, on_retry=retrying)
        for kind, n in changes.items():  # dsi/store/new, updated, unchanged
            self._inc(f"dsi/store/{kind}", n)

    def _take(self) -> list[ItemRow]:
        """Swap the buffer out (under the buffer lock, never held during I/O)."""
        with self.lock:
            rows, self.buffer = self.buffer, []
        return rows

    def _write_or_keep(self, rows: list[ItemRow]) -> list[ItemRow]:
        """Write one batch (writes are serialised); on failure put it back in front. Returns
        the rows now durable."""
        if not rows:
            return []
        with self.write_lock:
            try:
                self._write(rows)
            except StorageUnavailable:
                self._keep(rows)
                return []
            except Exception as exc:  # the database refused something in the batch
                logger.warning("a batch of %d items was refused (%s): writing one by one",
                               len(rows), _reason(exc))  # fmt: skip
                return self._write_one_by_one(rows)
        self._inc("dsi/store/written", len(rows))
        return rows

    def _keep(self, rows: list[ItemRow]) -> None:
        """Put rows back in front of the buffer (next flush, or the spool at close)."""
        with self.lock:
            self.buffer[:0] = rows
        self._inc("dsi/store/deferred", len(rows))

    def _write_one_by_one(self, rows: list[ItemRow]) -> list[ItemRow]:
        """Each row in its own transaction; a refused row becomes a dead letter. Returns the
        rows now durable (stored or dead-lettered)."""
        for i, row in enumerate(rows):
            try:
                self._write([row])
            except StorageUnavailable:
                self._keep(rows[i:])
                return rows[:i]
            except Exception as exc:
                self._dead_letter(row, _reason(exc))
            else:
                self._inc("dsi/store/written")
        return rows

    def _dead_letter(self, row: ItemRow, reason: str) -> None:
        logger.error(
            "item refused by the database, kept as a dead letter: %s (%s)", row.url, reason
        )
        self._inc("dsi/store/dead_letter")
        self._inc("dsi/lost/write_error")
        payload = _row_to_json(row)
        try:
            with_retry(
                self.url,
                lambda session: add_dead_letter(
                    session, source=row.source, spider=row.spider, url=row.url, reason=reason,
                    payload=payload, run_id=row.run_id,
                ),
                delays=(),
            )  # fmt: skip
        except Exception as exc:  # not even the dead letter: keep it on disk
            self.spool_dir.mkdir(parents=True, exist_ok=True)
            path = self.spool_dir / f"{row.source}.dead.jsonl"
            line = {"reason": reason, "row": payload, "dead_letter_error": _reason(exc)}
            with path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(line, ensure_ascii=True, default=repr) + "\n")
            logger.error("dead letter written to %s", path)

    def _flush(self) -> None:
        self._write_or_keep(self._take())

    def _stored(self, rows: list[ItemRow] | None = None) -> None:
        """Tell the crawler which items are durable (all waiting ones when ``rows`` is None);
        on the reactor thread."""
        if rows is None:
            items, self.waiting = list(self.waiting.values()), {}
        else:
            items = [self.waiting.pop(id(r)) for r in rows if id(r) in self.waiting]
        if items:
            self.crawler.signals.send_catch_log(items_stored, items=items)

    def _spool_path(self, source: str) -> Path:
        return self.spool_dir / f"{source}.jsonl"

    def _spool(self, source: str) -> None:
        """Write what could not be stored to the spool (called once the crawl is over)."""
        if not self.buffer:
            return
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        path = self._spool_path(source)
        with path.open("a", encoding="utf-8") as fh:
            for row in self.buffer:
                fh.write(json.dumps(_row_to_json(row), ensure_ascii=False, default=str) + "\n")
        logger.error(
            "database unreachable: %d items kept in %s (replayed on the next run)",
            len(self.buffer),
            path,
        )
        self._inc("dsi/store/spooled", len(self.buffer))
        self.buffer = []

    def _replay_spool(self, source: str) -> None:
        path = self._spool_path(source)
        if not path.exists():
            return
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    rows.append(_row_from_json(json.loads(line)))
                except (ValueError, TypeError) as exc:
                    logger.warning("skipping unreadable spool line in %s: %s", path, exc)
        try:
            self._write(rows)
        except StorageUnavailable:
            logger.error("database still unreachable; spool %s kept", path)
            return
        except Exception as exc:  # a refused item must not keep the others out
            logger.warning("spooled items refused (%s): writing one by one", _reason(exc))
            with self.write_lock:
                self._write_one_by_one(rows)
        path.unlink()
        self._inc("dsi/store/replayed", len(rows))
        logger.info("replayed %d spooled items from %s", len(rows), path)

    # --- Scrapy hooks ----------------------------------------------------------------------
    def open_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        source = getattr(getattr(spider, "dsi_source", None), "name", None)
        if source:
            self._replay_spool(source)
        if self.flush_seconds > 0:
            self.ticker = task.LoopingCall(self._tick)
            self.ticker.start(self.flush_seconds, now=False)

    def _tick(self) -> Deferred[None] | None:
        """Write what is buffered (a slow crawl's items do not wait for a full batch)."""
        rows = self._take()
        if not rows:
            return None
        d: Deferred[list[ItemRow]] = deferToThread(self._write_or_keep, rows)
        return d.addCallback(self._stored)

    def _signature(self, item: BaseItem) -> Signed | None:
        """A job advert's dedupe signature, if the crawl made one (the spider's book, filled
        by its parsing workers and the dedupe pipeline), packed to be kept with it."""
        book = getattr(self.crawler.spider, "dedupe_ahead", None)
        ahead = book.take(item) if isinstance(book, AheadBook) else None
        return ahead.packed() if ahead is not None else None

    def add(self, item: BaseItem) -> bool:
        """Buffer an item; True when the buffer is due to be flushed."""
        row, cuts = item_to_row(item, self._run_id())
        row.signature = self._signature(item)
        if cuts:
            self._inc("dsi/caps/stored_field", cuts)
            logger.info("%s: %d stored values cut to size", item.url, cuts)
        with self.lock:
            self.buffer.append(row)
            self.waiting[id(row)] = item
            due = len(self.buffer) >= self.batch_size
        self._inc("dsi/store/items")
        return due

    async def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if self.add(item):
            # the batch is taken on the reactor thread; only the write runs in a worker
            rows = self._take()
            done = await maybe_deferred_to_future(deferToThread(self._write_or_keep, rows))
            self._stored(done)
        return item

    async def close_spider(self, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        if self.ticker is not None and self.ticker.running:
            self.ticker.stop()

        def finish() -> None:
            self._flush()
            source = getattr(getattr(spider, "dsi_source", None), "name", None) or "unknown"
            self._spool(source)

        await maybe_deferred_to_future(deferToThread(finish))
        self._stored()  # stored or spooled
