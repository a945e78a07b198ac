"""Progress on stderr: plain lines off a terminal, a live display on one."""

from __future__ import annotations

import io
import logging

from crawler.progress import Progress, counted, steps_from_logs


def test_plain_lines_off_a_terminal() -> None:
    out = io.StringIO()
    with Progress("export jobs", total=3, unit="items", stream=out, interval=0.0) as p:
        for _ in counted(["a", "b", "c"], p):
            pass
        p.update(errors=2)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("export jobs: 1/3 items")
    assert lines[-1].startswith("export jobs: 3/3 items") and "errors=2" in lines[-1]


def test_quiet_between_intervals() -> None:
    out = io.StringIO()
    with Progress("classify", stream=out, interval=3600) as p:
        p.advance(10)
        p.advance(10)
    assert out.getvalue().splitlines() == [out.getvalue().splitlines()[-1]]
    assert out.getvalue().startswith("classify: 20 items")


def test_live_display_runs() -> None:
    with Progress("crawl x", total=10, unit="pages", live=True) as p:
        p.advance(4, items=3)
        p.step("finished")
    assert p.completed == 4


def test_library_steps_become_progress(caplog: object) -> None:
    out = io.StringIO()
    log = logging.getLogger("classifiers.train")
    with steps_from_logs("training", "classifiers", stream=out):
        log.info("training technology on %d records", 900)
        log.info("relevance cross-validation: fold %d of %d", 1, 5)
    text = out.getvalue()
    assert "training: 1 steps" in text and "training technology on 900 records" in text
    assert "fold 1 of 5" in text
    assert logging.getLogger("classifiers").propagate  # restored
