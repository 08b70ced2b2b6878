"""Structured fact-check: facts derived from articles, and statements compared with them."""

from __future__ import annotations

import pytest

from knowledge.corpus import Article
from knowledge.fact_compare import compare, same_value
from knowledge.fact_table import build_facts
from knowledge.figures import extract_figures

ARTICLES = (
    Article(
        id="MRH-FRANCH-01",
        title="Tableau des franchises",
        product="habitation",
        document_kind="conditions_generales",
        text="Les franchises standard sont les suivantes. Dégât des eaux : 150 €. "
        "Tempête grêle neige : 300 €. Bris de glace : 75 €.",
    ),
    Article(
        id="SANTE-NIV-03",
        title="Tableau des garanties optique",
        product="sante",
        document_kind="conditions_generales",
        text="Horizon Santé rembourse en optique, par équipement (monture limitée à 100 €) : verres "
        "simples 150 €, 250 € ou "
        "420 € et verres complexes 250 €, 400 € ou 700 € en Essentiel, Confort ou Sérénité.",
    ),
    Article(
        id="CONV-IRSI-03",
        title="Convention IRSI - tranches",
        product="habitation",
        document_kind="convention",
        text="Lorsque les dommages matériels dépassent 1 600 € HT par local, un expert est missionné.",
    ),
    Article(
        id="COM-RES-03",
        title="Résiliation loi Hamon",
        product="commun",
        document_kind="conditions_generales",
        text="Après un an, la résiliation prend effet un mois après la réception de la notification.",
    ),
)
FACTS = build_facts(ARTICLES)


def _fact(article: str, written: str):  # type: ignore[no-untyped-def]
    return next(f for f in FACTS if f.article_id == article and f.figure.written == written)


def test_a_table_row_is_measured_by_its_label() -> None:
    assert {"tempet", "grel", "neig"} <= _fact("MRH-FRANCH-01", "300 €").clause


def test_a_list_of_three_follows_the_formulas_in_order() -> None:
    complex_lenses = [f for f in FACTS if f.article_id == "SANTE-NIV-03" and "complex" in f.clause]
    assert [(f.figure.value, sorted(f.formulas)) for f in complex_lenses] == [
        (250.0, ["essentiel"]),
        (400.0, ["confort"]),
        (700.0, ["serenite"]),
    ]


def test_a_threshold_is_marked() -> None:
    assert _fact("CONV-IRSI-03", "1 600 €").threshold
    assert not _fact("MRH-FRANCH-01", "300 €").threshold


@pytest.mark.parametrize(
    ("statement", "product", "status", "article"),
    [
        ("La franchise tempête est de 300 €.", "habitation", "agrees", "MRH-FRANCH-01"),
        ("La franchise tempête est de 150 €.", "habitation", "contradicts", "MRH-FRANCH-01"),
        (
            "En Confort, les verres complexes sont remboursés jusqu'à 400 €.",
            "sante",
            "agrees",
            "SANTE-NIV-03",
        ),
        (
            "En Confort, les verres complexes sont remboursés jusqu'à 700 €.",
            "sante",
            "contradicts",
            "SANTE-NIV-03",
        ),
        (
            "Avec la loi Hamon, la résiliation prend effet au bout de trente jours.",
            None,
            "agrees",
            "COM-RES-03",
        ),
    ],
)
def test_statements_against_the_facts(statement, product, status, article):
    found = compare(statement, FACTS, product=product)
    assert found.status == status
    assert found.fact is not None and found.fact.article_id == article


@pytest.mark.parametrize(
    "statement",
    [
        "Votre précédent dégât des eaux avait été réglé 680 €.",  # the client's file, not a rule
        "Si vos dommages sont chiffrés à 1 450 € HT, pas d'expert.",  # a claim amount vs a threshold
    ],
)
def test_case_figures_are_never_a_fault(statement):
    assert compare(statement, FACTS, product="habitation").status != "contradicts"


def test_another_insurers_exchange_is_never_a_fault():
    hamon = "La résiliation prend effet huit jours après la réception de la notification."
    assert compare(hamon, FACTS).status == "contradicts"
    # Another insurer in view: a general rule's differing figure is shown « à vérifier ».
    assert compare(hamon, FACTS, general_only=True).status == "to_verify"
    storm = "La franchise tempête est de 150 €."
    assert compare(storm, FACTS, product="habitation", general_only=True).status == "unknown"


def test_another_line_of_business_is_not_compared():
    assert compare("La franchise tempête de votre voiture est de 150 €.", FACTS).status == "unknown"


def test_durations_compare_across_days_and_months():
    month, days, weeks = (extract_figures(t)[0] for t in ("un mois", "30 jours", "deux semaines"))
    assert same_value(days, month) and not same_value(weeks, month)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("trois cents euros", 300.0),
        ("quatre-vingts euros", 80.0),
        ("six mille cinq cents euros", 6500.0),
        ("un million d'euros", 1_000_000.0),
        ("vingt-quatre heures", 1.0),
        ("Groupe A : zone 1 290 €", 290.0),
    ],
)
def test_figures_in_words_and_grids(text, value):
    assert extract_figures(text)[0].value == value
