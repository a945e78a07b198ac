"""How a crawl ended, judged from its finish reason and stats, and the exit code that says so.

One home for the run statuses (stored on ``crawl_runs.status``) and ``dsi crawl``'s exit codes:

============  ====  ==================================================================
status        exit  meaning
============  ====  ==================================================================
finished      0     the crawl completed and stored what it found
failed        3     the crawl stopped on an error, or no page could be read at all
incomplete    4     something could not be read (``dsi/lost/*``) or items are in the spool
refused       5     nothing was fetched: the private-network guard refused the source
empty         6     pages were read but no item came out
interrupted   7     stopped before the end (SIGINT/SIGTERM, or the process died)
============  ====  ==================================================================

Exit code 1 is any other error of the command (bad arguments, unreachable database, ...).
Errors are counted from this crawl's own stats (never Scrapy's ``log_count/*``, which every
crawler of a process shares), by kind: ``http/<status>``, ``download/<exception>``,
``spider/<exception>``, ``lost/<reason>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    INCOMPLETE = "incomplete"
    REFUSED = "refused"
    EMPTY = "empty"
    INTERRUPTED = "interrupted"


EXIT_CODES: dict[Status, int] = {
    Status.FINISHED: 0,
    Status.FAILED: 3,
    Status.INCOMPLETE: 4,
    Status.REFUSED: 5,
    Status.EMPTY: 6,
    Status.INTERRUPTED: 7,
}
#: the worst first: the exit code of several crawls is the worst one's
_SEVERITY = (
    Status.FAILED,
    Status.REFUSED,
    Status.INTERRUPTED,
    Status.INCOMPLETE,
    Status.EMPTY,
    Status.FINISHED,
)
#: statuses whose runs count as a source's "good" history (checks compare with these)
GOOD = frozenset({Status.FINISHED})
#: Scrapy finish reasons that mean the crawl did its job
_COMPLETED_REASONS = frozenset({"finished", "closespider_pagecount", "closespider_itemcount"})
_IGNORED_EXCEPTIONS = ("IgnoreRequest",)  # refusals and robots.txt: counted on their own


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Status
    #: one line for operators: why the run ended so
    reason: str

    @property
    def exit_code(self) -> int:
        return EXIT_CODES.get(self.status, 1)


def as_int(value: Any) -> int:
    """A stats value as an int (0 when absent or not a number)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def pages(stats: Mapping[str, Any]) -> int:
    """Responses received for the crawl itself (robots.txt not counted)."""
    return max(
        0,
        as_int(stats.get("response_received_count"))
        - as_int(stats.get("robotstxt/response_count")),
    )


def items(stats: Mapping[str, Any]) -> int:
    return as_int(stats.get("item_scraped_count"))


def errors_by_kind(stats: Mapping[str, Any]) -> dict[str, int]:
    """This crawl's errors by kind (HTTP 4xx/5xx of pages, download failures, callback
    exceptions, data lost); robots.txt answers and refused requests are not errors."""
    out: dict[str, int] = {}
    for key, value in stats.items():
        n = as_int(value)
        if n <= 0:
            continue
        if key.startswith("downloader/response_status_count/"):
            code = key.rsplit("/", 1)[1]
            n -= as_int(stats.get(f"robotstxt/response_status_count/{code}"))
            if code[:1] in ("4", "5") and n > 0:
                out[f"http/{code}"] = n
        elif key.startswith("downloader/exception_type_count/"):
            name = key.rsplit("/", 1)[1].rsplit(".", 1)[-1]
            if name not in _IGNORED_EXCEPTIONS:
                out[f"download/{name}"] = out.get(f"download/{name}", 0) + n
        elif key.startswith("spider_exceptions/"):
            out[f"spider/{key.split('/', 1)[1]}"] = n
        elif key.startswith("dsi/lost/"):
            out[f"lost/{key.removeprefix('dsi/lost/')}"] = n
    return dict(sorted(out.items()))


def _describe(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{k}={v}" for k, v in counts.items()) or "no error recorded"


def judge(
    finish_reason: str | None,
    stats: Mapping[str, Any],
    *,
    may_be_empty: bool = False,
    spool_replayed: bool = False,
) -> Outcome:
    """The status of a crawl that has ended.

    ``may_be_empty``: the spider expects no item as a normal outcome (an incremental harvest
    with nothing new). ``spool_replayed``: items this run left in the spool have since been
    stored by a later run.
    """
    errors = errors_by_kind(stats)
    n_items, n_pages = items(stats), pages(stats)
    refused = as_int(stats.get("dsi/network/private_refused"))
    lost = {k: v for k, v in errors.items() if k.startswith("lost/")}
    spooled = as_int(stats.get("dsi/store/spooled"))
    if finish_reason == "shutdown":
        return Outcome(Status.INTERRUPTED, "stopped before the end (shutdown)")
    if finish_reason not in _COMPLETED_REASONS:
        return Outcome(Status.FAILED, f"ended with reason {finish_reason!r}: {_describe(errors)}")
    if n_items == 0 and n_pages == 0 and refused:
        return Outcome(
            Status.REFUSED,
            f"{refused} request(s) to loopback/private addresses refused by the network guard "
            "(set allow_private_network = true for this source if that is intended)",
        )
    if lost or (spooled and not spool_replayed):
        parts = [_describe(lost)] if lost else []
        if spooled and not spool_replayed:
            parts.append(f"{spooled} item(s) in the spool, not yet stored")
        return Outcome(Status.INCOMPLETE, "; ".join(parts))
    if n_items == 0 and n_pages == 0 and not errors and as_int(stats.get("dsi/frontier/joined")):
        # a worker that joined a distributed crawl after the others had taken every request
        return Outcome(Status.FINISHED, "joined a distributed crawl: nothing was left to fetch")
    if n_items == 0 and not may_be_empty:
        ok_pages = n_pages - sum(v for k, v in errors.items() if k.startswith("http/"))
        if ok_pages <= 0 and errors:
            return Outcome(Status.FAILED, f"no page could be read: {_describe(errors)}")
        if n_pages == 0:
            return Outcome(Status.FAILED, "no page could be fetched")
        return Outcome(Status.EMPTY, f"{n_pages} page(s) read but no item found")
    return Outcome(Status.FINISHED, f"{n_items} item(s) from {n_pages} page(s)")


def worst(statuses: Iterable[Status | str]) -> Status:
    """The most severe of several statuses (finished when there are none)."""
    present = {Status(s) for s in statuses}
    for status in _SEVERITY:
        if status in present:
            return status
    return Status.FINISHED
