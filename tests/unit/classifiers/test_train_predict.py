from __future__ import annotations

import numpy as np
import pytest

from classifiers.dataset import parse_records
from classifiers.predict import Predictor
from classifiers.synthetic import negatives, wrap_positive
from classifiers.train import TrainingError, best_thresholds, train

from .conftest import tiny_export


def test_thresholds_are_chosen_from_data():
    Y = np.array([[1], [1], [0], [0]], dtype=bool)
    P = np.array([[0.3], [0.25], [0.2], [0.1]])
    assert best_thresholds(Y, P) == [0.225]


def test_predicts_the_topic_labels_with_explanations(tiny_trained):
    model = tiny_trained.model
    assert model.tasks["technology"].learnable.count(True) == 3
    pred = Predictor(model).predict(
        [
            "Citizens crowdmap reports and sign petitions; a crowdfunding campaign for a vote",
            "Online courses for learners and teachers: mooc lessons for students",
        ],
        detect_language=False,
    )
    assert "Crowdsourcing, crowdmapping and crowdfunding" in pred[0].technologies
    assert "Online learning and MOOCs" in pred[1].technologies
    assert "Skills and learning" in pred[1].areas
    words = " ".join(
        pred[0].explanation["technology"]["Crowdsourcing, crowdmapping and crowdfunding"]
    )
    assert any(w in words for w in ("crowdmap", "petitions", "crowdfunding", "citizens"))


def test_relevance_separates_dsi_from_ordinary_texts(tiny_trained):
    p = Predictor(tiny_trained.model)
    ordinary = negatives(20, seed=99)
    dsi = [
        wrap_positive(
            "Air watch",
            "air quality sensors arduino measurements pollution climate energy monitoring citizens",
            seed=s,
        )
        for s in range(5)
    ]
    scores = [x.relevance for x in p.predict(ordinary + dsi, detect_language=False)]
    assert np.mean(scores[20:]) > np.mean(scores[:20]) + 0.3


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("", "empty text"),
        ("\x00\x01\x02\x03" * 100, "binary-looking"),
        ("sensors " * 5000, "long text cut"),
    ],
)
def test_bad_input_is_flagged_never_raises(tiny_trained, text, warning):
    (pred,) = Predictor(tiny_trained.model).predict([text], detect_language=False)
    assert any(warning in w for w in pred.warnings)
    if warning != "long text cut":
        assert pred.relevance == 0.0 and not pred.technologies and pred.uncertainty == 0.0


def test_unseen_language_is_flagged(tiny_trained):
    (pred,) = Predictor(tiny_trained.model).predict(["x"], languages=["fi"])
    assert tiny_trained.model.languages  # the tiny export is English
    assert any("'fi' not in the training data" in w for w in pred.warnings)


def test_training_is_deterministic(tiny_trained):
    again = train(
        parse_records(tiny_export(), source="tiny"),
        params=tiny_trained.model.params,
        tasks=("technology", "area"),
    )
    texts = ["crowdfunding petitions vote", "arduino sensors pollution"]
    a = Predictor(tiny_trained.model).predict(texts, detect_language=False)
    b = Predictor(again.model).predict(texts, detect_language=False)
    assert [x.relevance for x in a] == [x.relevance for x in b]
    assert tiny_trained.model.tasks["area"].thresholds == again.model.tasks["area"].thresholds


def test_organisations_only_export_cannot_train_labels():
    orgs = [{"organisation_id": 1, "organisation_name": "A", "short_description": "x"}]
    with pytest.raises(TrainingError, match="labelled for technology"):
        train(parse_records(orgs, source="orgs.json"), tasks=("technology",))


def test_explanations_are_readable_words_for_and_against(tiny_trained):
    from classifiers.stopwords import is_uninformative

    texts = [
        "The citizens of the town crowdmap reports and sign petitions for a vote in 2024",
        "Accountant wanted: you will process invoices and reconcile accounts for the bank",
    ]
    preds = Predictor(tiny_trained.model).predict(texts, detect_language=False)
    for pred in preds:
        terms = pred.explanation["relevance"] + pred.explanation["relevance_against"]
        assert terms
        assert not [t for t in terms if is_uninformative(t)]
        assert all(" " in t or t.isalpha() for t in terms)
    assert set(preds[0].explanation["relevance"]) & {"citizens", "crowdmap", "petitions", "vote"}


def test_labels_only_for_relevant_items(tiny_trained):
    model = tiny_trained.model
    texts = [
        *negatives(30, seed=5),
        "citizens crowdmap reports petitions participation crowdfunding campaign vote",
    ]
    preds = Predictor(model).predict(texts, detect_language=False)
    assert preds[-1].is_relevant and preds[-1].technologies
    for pred in preds:
        if not pred.is_relevant:
            assert not pred.technologies and not pred.areas
            assert "technology" not in pred.explanation
        else:
            assert pred.technologies and pred.areas
