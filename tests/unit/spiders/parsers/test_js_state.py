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


# --- Nuxt 3 payloads (devalue) ----------------------------------------------------------------
def test_devalue_payload_is_revived() -> None:
    from spiders.parsers.js_state import revive_devalue

    payload = [
        ["ShallowReactive", 1],
        {"data": 2, "when": 5, "tags": 6, "lookup": 8, "bare": 11, "gone": -1},
        ["Reactive", 3],
        {"title": 4},
        "Data Engineer",
        ["Date", "2024-03-06T09:00:00.000Z"],
        ["Set", 7, 4],
        "Vollzeit",
        ["Map", 9, 10],
        "key",
        42,
        ["null", "x", 10],
    ]
    assert revive_devalue(payload) == {
        "data": {"title": "Data Engineer"},
        "when": "2024-03-06T09:00:00.000Z",
        "tags": ["Vollzeit", "Data Engineer"],
        "lookup": {"key": 42},
        "bare": {"x": 42},
        "gone": None,
    }


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {"a": 1},
        "text",
        [{"self": 0}],  # a cycle
        [{"a": 99}],  # an index out of range
        [["Unknown", 1], 2],
        [[True, "x"]],
    ],
)
def test_devalue_never_raises(payload: object) -> None:
    from spiders.parsers.js_state import revive_devalue

    out = revive_devalue(payload)
    assert out is None or isinstance(out, dict | list)


def test_devalue_depth_is_bounded() -> None:
    from spiders.parsers.js_state import MAX_DEVALUE_DEPTH, revive_devalue

    deep = [[i + 1] for i in range(MAX_DEVALUE_DEPTH * 3)] + ["end"]
    out = revive_devalue(deep)
    depth = 0
    while isinstance(out, list) and out:
        out, depth = out[0], depth + 1
    assert out is None and depth <= MAX_DEVALUE_DEPTH + 1


def test_nuxt_data_script_yields_revived_state() -> None:
    from spiders.parsers.js_state import state_values

    html = (
        '<script type="application/json" id="__NUXT_DATA__" data-ssr="true">'
        '[["ShallowReactive",1],{"data":2},{"job":3},{"title":4},"Entwickler"]</script>'
    )
    assert list(state_values(html)) == [
        ("__NUXT_DATA__", {"data": {"job": {"title": "Entwickler"}}})
    ]


def test_next_app_router_stream_is_read() -> None:
    from spiders.parsers.job_records import state_jobs
    from spiders.parsers.js_state import next_flight_values

    row = json.dumps(
        {
            "job": {
                "title": "Civic Data Lead",
                "company": {"name": "Open Town"},
                "location": {"city": "Gent", "country": "BE"},
                "description": "<p>Lead our open data team in Gent.</p>",
            }
        }
    )
    stream = f'0:["$","html",null,{{}}]\n1:I["chunks/app.js"]\n2:{row}\n'
    half = len(stream) // 2
    html = (
        "".join(
            f"<script>self.__next_f.push([1,{json.dumps(part)}])</script>"
            for part in (stream[:half], stream[half:])
        )
        + '<script>self.__next_f.push([1,"3:{broken"])</script>'
    )
    values = next_flight_values(html)
    assert values[0] == ["$", "html", None, {}]
    assert values[1]["job"]["title"] == "Civic Data Lead"
    (raw,) = state_jobs(html, "http://127.0.0.1:1/jobs/civic-data-lead")
    assert raw.title == "Civic Data Lead" and raw.organization == "Open Town"
