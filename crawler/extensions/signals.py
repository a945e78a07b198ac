"""Signals spiders send to the crawler's extensions (no storage here: spiders import this).

``datasets_vanished``
    sent by the ``opendata`` spider when a complete listing of a portal no longer has datasets
    stored before the run; arguments ``spider``, ``portal_url`` and ``urls`` (the stored URLs
    that vanished). :class:`crawler.extensions.deletions.DeletionMarker` marks them deleted.
    Send it with ``await crawler.signals.send_catch_log_async(...)``: the marks are written
    before the spider goes on.
"""

from __future__ import annotations

__all__ = ["datasets_vanished"]

datasets_vanished = object()
