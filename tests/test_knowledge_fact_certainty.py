"""A differing figure counts as a contradiction only when it is certain; else it is « à vérifier »."""

from __future__ import annotations

from pathlib import Path

import pytest

from crca.settings import Settings
from knowledge.fact_certainty import clause_words, formulas, is_hedged, is_question, same_formula
from knowledge.fact_scope import about_other_insurer
from knowledge.factcheck import FactChecker
from knowledge.factory import open_fact_checker
from knowledge.figures import extract_figures
from knowledge.retriever import ConditionRetriever

FIXTURE = Path(__file__).parent / "fixtures" / "knowledge"


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> FactChecker:
    home = tmp_path_factory.mktemp("certainty-home")
    return open_fact_checker(retriever=ConditionRetriever.open(Settings(home=home), directory=FIXTURE))


def test_the_plain_false_figure_of_the_same_rule_is_still_a_contradiction(checker):
    result = checker.check("Votre franchise dégât des eaux est de 300 €.", product="habitation")
    assert result.status == "contradicts", result.explanation


@pytest.mark.parametrize(
    "statement",
    [
        "Votre franchise dégât des eaux est de 300 €, c'est bien ça ?",  # a question to the client
        "Votre franchise dégât des eaux est probablement de 300 €.",  # a guess
        "Avec quatre pièces, votre franchise dégât des eaux serait de 300 €.",  # a hypothesis
    ],
)
def test_a_question_or_a_guess_is_never_counted(checker, statement):
    assert checker.check(statement, product="habitation").status != "contradicts"


def test_a_figure_named_by_another_object_than_the_articles_is_only_to_verify(checker):
    # 12 000 € for "les bijoux de la cave" is not the "objets de valeur" ceiling of the article.
    said = "Pour les bijoux rangés à la cave, la limite est de 12 000 € par sinistre."
    assert checker.check(said, product="habitation").status != "contradicts"


def test_clause_words_keep_what_the_figure_measures_and_drop_units_and_topics():
    sentence = "En optique, Horizon Santé prend en charge la monture jusqu'à 30 € et les verres traités."
    monture = extract_figures(sentence)[0]
    words = clause_words(sentence, monture)
    assert "montu" in words and "verr" not in words and not words & {"jusqu", "euro", "charg"}
    statement = "Les verres complexes sont pris en charge jusqu'à 400 € par équipement."
    assert "montu" not in clause_words(statement, extract_figures(statement)[0])


def test_another_formulas_figure_is_not_certain():
    assert formulas("En formule Confort, la monture est prise en charge jusqu'à 150 €.") == {"confort"}
    article = "En formule Essentiel : 100 €. En formule Confort : 150 €."
    assert not same_formula("En Confort c'est 200 €.", "En formule Essentiel : 100 €.", article)
    assert same_formula("En Confort c'est 200 €.", "En formule Confort : 150 €.", article)
    assert same_formula("C'est 200 €.", "En formule Essentiel : 100 €.", article)


def test_questions_and_hedges_are_recognised():
    assert is_question("Vous aviez 250 € de franchise, c'est bien ça ? ")
    assert not is_question("Vous avez 250 € de franchise.")
    assert is_hedged("Il me semble que c'est 300 €.") and is_hedged("Soit 4 × 90 €, ça fait 360 €.")
    assert not is_hedged("La franchise est de 300 €.")


def test_a_company_named_after_chez_is_another_insurer():
    assert about_other_insurer("Chez Assurance Littoral, vous aviez une franchise de 250 €.")
    assert about_other_insurer("Leur tous risques est moins cher.")
    assert not about_other_insurer("Chez Horizon, la franchise est de 150 €.")
    assert not about_other_insurer("Le plombier passera chez vous demain.")
