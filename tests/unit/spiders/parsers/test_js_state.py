from __future__ import annotations

import json

import pytest

from spiders.parsers.js_state import js_literal_to_json, parse_js_literal, state_values


def _states(html: str) -> list[tuple[str, object]]:
    return list(state_values(html))


def test_next_data_script_is_named_by_its_id() -> None:
    html = '<script id="__NEXT_DATA__" type="application/json">{"props": {"a": 1}}</script>'
    assert _states(html) == [("__NEXT_DATA__", {"props": {"a": 1}})]


def test_ld_json_is_not_state() -> None:
    assert _states('<script type="application/ld+json">{"@type": "Thing"}</script>') == []


def test_window_initial_state_assignment() -> None:
    html = '<script>window.__INITIAL_STATE__ = {"job": {"title": "X"}};</script>'
    assert _states(html) == [("__INITIAL_STATE__", {"job": {"title": "X"}})]


def test_js_object_literal_is_read_by_chompjs() -> None:
    html = (
        "<script>window.__PRELOADED_STATE__ = "
        "{jobs: [{title: 'Dev', remote: !0, x: undefined,}]}</script>"
    )
    assert _states(html) == [
        ("__PRELOADED_STATE__", {"jobs": [{"title": "Dev", "remote": True, "x": None}]})
    ]


def test_json_parse_string_form() -> None:
    html = """<script>window.__INITIAL_STATE__ = JSON.parse('{"a": "it\\'s"}')</script>"""
    assert _states(html) == [("__INITIAL_STATE__", {"a": "it's"})]


def test_nuxt_function_form_substitutes_arguments() -> None:
    html = (
        "<script>window.__NUXT__=(function(a,b,c){return {data:[{title:a,remote:c,x:b}]}}"
        '("Dev",void 0,!0));</script>'
    )
    assert _states(html) == [("__NUXT__", {"data": [{"title": "Dev", "remote": True, "x": None}]})]


def test_parse_js_literal_raises_value_error_on_garbage() -> None:
    with pytest.raises(ValueError):
        parse_js_literal("no object here")


def test_js_literal_to_json_replaces_identifiers_from_env() -> None:
    assert json.loads(js_literal_to_json("{a:x,b:[1,]}", {"x": '"X"'})) == {"a": "X", "b": [1]}
