from __future__ import annotations

import numpy as np
import pytest

from classifiers.dataset import parse_records
from classifiers.predict import Predictor
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


#: written for these tests (not from the sandbox, not from the training data)
ORDINARY = {
    "saas": "Ledgerly is a B2B SaaS platform that helps enterprise customers automate invoicing, "
    "forecast revenue and sync payments with their ERP. Book a demo with our sales team.",
    "charity": "The Riverside Food Pantry hands out groceries to low-income families and "
    "seniors every Saturday. Volunteers sort donations and run the soup kitchen.",
    "bakery": "Boulangerie Martin : pains au levain, viennoiseries et gâteaux faits maison "
    "depuis 1961. Commandez vos pièces montées pour mariages et anniversaires.",
    "job": "Buchhalter (m/w/d) für unser Logistikunternehmen in Bremen. Sie erstellen "
    "Monatsabschlüsse, prüfen Rechnungen und arbeiten mit SAP. Attraktives Gehalt.",
    "dataset": "Conteggi del traffico 2022: numero di veicoli per ora nelle stazioni di "
    "rilevamento del comune, aggiornamento annuale, formato CSV.",
    "law": "Smith & Partners is a commercial law firm advising banks, insurers and listed "
    "companies on mergers, acquisitions and disputes.",
}
DSI = {
    "en": "FixMyBlock is an open source app that lets residents report broken street lights "
    "and potholes to the city council online, and follow how each report is resolved.",
    "es": "Una plataforma digital de código abierto para la participación ciudadana: los "
    "vecinos proponen y votan proyectos para su barrio en el presupuesto participativo.",
    "de": "Ehrenamtliche entwickeln eine offene App, mit der Geflüchtete Beratungsstellen, "
    "Sprachkurse und Ärzte in ihrer Stadt finden: Open Data für alle.",
    "fr": "Une carte collaborative en ligne où les citoyens signalent les lieux accessibles "
    "aux personnes en fauteuil roulant, avec des données ouvertes réutilisables.",
}


def test_relevance_needs_a_social_purpose_and_digital_means(tiny_trained):
    model = tiny_trained.model
    preds = Predictor(model).predict(
        list(ORDINARY.values()) + list(DSI.values()), detect_language=False
    )
    ordinary, dsi = preds[: len(ORDINARY)], preds[len(ORDINARY) :]
    flagged = [name for name, p in zip(ORDINARY, ordinary, strict=True) if p.is_relevant]
    assert flagged == []
    assert all(p.is_relevant for p in dsi), [p.relevance for p in dsi]
    assert min(p.relevance for p in dsi) > max(p.relevance for p in ordinary)
    by_name = dict(zip(ORDINARY, ordinary, strict=True))
    # each ordinary kind misses one side: the SaaS company has no social purpose, the charity
    # no digital means
    saas, charity = by_name["saas"].explanation, by_name["charity"].explanation
    assert saas["digital_means"] > 0.5 > saas["social_purpose"]
    assert charity["social_purpose"] > 0.5 > charity["digital_means"]
    assert dsi[0].explanation["why"].startswith("social: ")
    assert {"app", "open source", "online"} & set(dsi[0].explanation["digital"])


def test_relevance_scores_are_not_tied(tiny_trained):
    preds = Predictor(tiny_trained.model).predict(list(DSI.values()), detect_language=False)
    scores = [p.relevance for p in preds]
    assert len(set(scores)) == len(scores) and max(scores) < 1.0


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
        "The citizens of the town crowdmap reports online and sign petitions for a vote in 2024",
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
        *ORDINARY.values(),
        "citizens crowdmap reports petitions participation crowdfunding campaign vote online",
    ]
    preds = Predictor(model).predict(texts, detect_language=False)
    assert preds[-1].is_relevant and preds[-1].technologies
    for pred in preds:
        if not pred.is_relevant:
            assert not pred.technologies and not pred.areas
            assert "technology" not in pred.explanation
        else:
            assert pred.technologies and pred.areas
