"""Qualifiers that set two equal-looking figures apart, and the fact-check cases they decide."""

from __future__ import annotations

import pytest

from knowledge.corpus import Article
from knowledge.fact_claims import is_reported
from knowledge.fact_compare import compare
from knowledge.fact_qualifiers import counts, is_former, other_case
from knowledge.fact_reading import Reading, reading_verdict
from knowledge.fact_scope import about_other_insurer
from knowledge.fact_table import build_facts
from knowledge.figures import extract_figures

PLAFONDS = Article(
    id="MRH-PLAF-01",
    title="Tableau des plafonds",
    keywords=["plafond", "capital mobilier"],
    product="habitation",
    document_kind="conditions_generales",
    text="Principaux plafonds par sinistre. Mobilier : 8 000 € par pièce principale (Essentiel) ou "
    "12 000 € (Confort). Responsabilité civile vie privée : 10 000 000 € (corporels) et 1 500 000 € "
    "(matériels et immatériels).",
)
AUDITION = Article(
    id="SANTE-100-04",
    title="Aides auditives",
    product="sante",
    document_kind="conditions_generales",
    text="Les aides de classe II sont remboursées selon la formule (400 €, 800 € ou 1 300 € par oreille).",
)
GRILLE = Article(
    id="TARIF-MRH-02",
    title="Grille locataire",
    product="habitation",
    document_kind="tarif",
    text="Cotisations annuelles pour un locataire. Formule Essentiel : 1 pièce 95 €, 2 pièces 120 €, "
    "3 pièces 150 €.",
)
DECLARATION = Article(
    id="COM-DECL-03",
    title="Délai de déclaration",
    product="commun",
    document_kind="conditions_generales",
    text="Ce délai de 30 jours résulte de la loi (il était auparavant de dix jours).",
)


def _fact(article: Article, written: str):  # type: ignore[no-untyped-def]
    return next(f for f in build_facts((article,)) if f.figure.written == written)


def test_a_bracketed_label_names_the_formula_and_the_case_of_its_figure():
    assert _fact(PLAFONDS, "8 000 €").formulas == {"essentiel"}
    confort = _fact(PLAFONDS, "12 000 €")
    assert confort.formulas == {"confort"} and "mobili" in confort.clause  # joined to the list
    assert "corporel" in _fact(PLAFONDS, "10 000 000 €").clause


def test_selon_la_formule_orders_a_list_of_three():
    assert [_fact(AUDITION, w).formulas for w in ("400 €", "800 €", "1 300 €")] == [
        {"essentiel"}, {"confort"}, {"serenite"},
    ]  # fmt: skip


def test_another_formulas_figure_contradicts():
    facts = build_facts((PLAFONDS, AUDITION))
    said = compare("En Confort, le capital mobilier c'est 8 000 € par pièce principale.", facts)
    assert (said.status, said.fact and said.fact.figure.written) == ("contradicts", "12 000 €")
    hearing = compare("En Sérénité, les aides de classe II sont remboursées 800 € par oreille.", facts)
    assert hearing.status == "contradicts"
    assert (
        compare("En Confort, le mobilier est couvert à 12 000 € par pièce principale.", facts).status
        == "agrees"
    )


def test_another_rooms_count_does_not_agree():
    result = compare("En Essentiel, votre deux-pièces vous coûterait 150 €.", build_facts((GRILLE,)))
    assert result.status != "agrees"


@pytest.mark.parametrize(
    ("statement", "verdict"),
    [
        ("Les dommages matériels causés à des tiers sont garantis jusqu'à 10 000 000 €.", "unknown"),
        ("Les dommages corporels causés à des tiers sont garantis jusqu'à 10 000 000 €.", "agrees"),
    ],
)
def test_the_reading_agrees_only_with_the_same_case(statement, verdict):
    sentence = "Responsabilité civile vie privée : 10 000 000 € (corporels) et 1 500 000 € (matériels)."
    reading = Reading(article=PLAFONDS, sentence=sentence, figures=extract_figures(sentence), score=9, rank=0)
    assert reading_verdict(statement, extract_figures(statement), reading) == verdict


def test_room_counts_in_words_digits_and_names():
    assert counts("votre deux-pièces") == {0: {2.0}}
    assert counts("un appartement de 3 pièces") == {0: {3.0}}
    assert counts("un T4 en centre-ville") == {0: {4.0}}
    assert counts("les pièces principales") == {}


def test_other_case_reads_exclusive_groups_clause_first():
    assert other_case("pour votre fils ce sera 22 €", "", "18-25 ans 22 €", "")
    assert not other_case(
        "pour votre fils ce sera 14 €", "", "14 € en essentiel", "enfant de moins de 26 ans"
    )
    assert other_case(
        "la cotisation est de 210 €", "vous êtes propriétaire", "cotisation : 210 €", "devis locataire"
    )
    assert not other_case("la franchise est de 150 €", "", "franchise générale : 150 €", "")


def test_a_former_rule_is_no_fact():
    assert is_former("il était auparavant de dix jours")
    assert all(f.figure.written != "dix jours" for f in build_facts((DECLARATION,)))
    assert not is_former("dans les dix jours")


def test_a_closing_restatement_and_a_relatives_insurer_are_no_claim_of_ours():
    assert is_reported("La mutuelle rembourse 40 € la séance, à ce que vous me dites.")
    assert not is_reported("La mutuelle rembourse 40 € la séance, je vous le confirme.")
    assert about_other_insurer("La mutuelle de votre femme rembourse l'ostéopathe 40 €.")
    assert not about_other_insurer("Votre mutuelle rembourse l'ostéopathe 30 €.")
