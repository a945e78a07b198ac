"""Signals spiders and pipelines send to the crawler's components (no storage here: spiders
import this).

``datasets_vanished``
    sent by the ``opendata`` spider when a complete listing of a portal no longer has datasets
    stored before the run; arguments ``spider``, ``portal_url`` and ``urls`` (the stored URLs
    that vanished). :class:`crawler.extensions.deletions.DeletionMarker` marks them deleted.
    Send it with ``await crawler.signals.send_catch_log_async(...)``: the marks are written
    before the spider goes on.

``items_stored``
    sent by the store pipeline (on the reactor thread) once items are durable: written to the
    database, kept as dead letters, or written to the spool; argument ``items`` (the item
    objects). A durable frontier gives a page's lease back only then.
"""

from __future__ import annotations

__all__ = ["datasets_vanished", "items_stored"]

datasets_vanished = object()
items_stored = object()
