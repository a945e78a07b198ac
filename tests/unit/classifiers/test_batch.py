from __future__ import annotations

import pytest

from classifiers.batch import InputLineError, parse_all, parse_line, score_items
from classifiers.predict import Predictor


def test_title_goes_in_front_once():
    item = parse_line('{"id": 1, "title": "Civic app", "text": "A map for citizens."}', 1)
    assert item.text == "Civic app\nA map for citizens."
    same = parse_line('{"id": 1, "title": "Civic app", "text": "Civic app: a map."}', 1)
    assert same.text == "Civic app: a map."


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{oops", "line 3: not JSON"),
        ("[1, 2]", "line 3: expected a JSON object"),
        ('{"text": "x"}', "line 3: no 'id'"),
        ('{"id": 1, "text": null}', "line 3: 'text' must be a string"),
        ('{"id": 1, "text": "x", "kind": "shop"}', "line 3: 'kind' must be one of"),
        ('{"id": 1, "text": "x", "title": 5}', "line 3: 'title' must be a string"),
    ],
)
def test_malformed_lines_name_their_number(line, message):
    with pytest.raises(InputLineError, match=message):
        parse_line(line, 3)


def test_skip_bad_keeps_the_others_in_order():
    lines = ['{"id": "a", "text": "x"}', "", "nope", '{"id": "b", "text": "y"}']
    result = parse_all(lines, skip_bad=True)
    assert [i.id for i in result.items] == ["a", "b"]
    assert result.bad == ["line 3: not JSON (Expecting value)"]
    with pytest.raises(InputLineError, match="line 3"):
        parse_all(lines)


def test_worker_processes_give_the_same_rows_in_order(tiny_trained):
    lines = [
        f'{{"id": {i}, "text": "citizens crowdmap petitions online vote {i}"}}'
        if i % 2
        else f'{{"id": {i}, "text": "invoices and accounts for a bank, number {i}"}}'
        for i in range(9)
    ]
    items = parse_all(lines).items
    predictor = Predictor(tiny_trained.model, "v1")
    one = list(score_items(predictor, items, workers=1, batch=2))
    two = list(score_items(predictor, items, workers=2, batch=2))
    assert one == two
    assert [r["id"] for r in two] == list(range(9))
    assert all(r["model_version"] == "v1" for r in two)
