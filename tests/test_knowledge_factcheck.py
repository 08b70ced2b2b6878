"""Fact-check of trainee figures against the fixture conditions, and the figure parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from crca.settings import Settings
from knowledge.fact_claims import extract_claims
from knowledge.factcheck import FactChecker
from knowledge.factory import open_fact_checker
from knowledge.figures import extract_figures
from knowledge.retriever import ConditionRetriever

FIXTURE = Path(__file__).parent / "fixtures" / "knowledge"


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> FactChecker:
    home = tmp_path_factory.mktemp("factcheck-home")
    return open_fact_checker(retriever=ConditionRetriever.open(Settings(home=home), directory=FIXTURE))


@pytest.mark.parametrize(
    ("statement", "product", "article"),
    [
        ("Votre franchise dégât des eaux est de 150 €.", "habitation", "MRH-DDE-01"),
        ("Vous avez 5 jours ouvrés pour déclarer le sinistre.", None, "COM-DECL-01"),
        ("La franchise bris de glace est de 50 euros.", "auto", "AUTO-BDG-01"),
        ("Votre coefficient ne peut pas descendre sous 0,50.", "auto", "AUTO-BM-01"),
        ("Vous devez déclarer le vol de la voiture dans les 2 jours ouvrés.", "auto", "AUTO-VOL-01"),
        ("Les objets de valeur sont couverts jusqu'à 8 000 € par sinistre.", "habitation", "MRH-VOL-01"),
    ],
)
def test_agreeing_statements(checker, statement, product, article):
    result = checker.check(statement, product=product)
    assert (result.status, result.article_id) == ("agrees", article), result.explanation
    assert result.article_title
    assert "Conforme" in result.explanation


@pytest.mark.parametrize(
    ("statement", "product", "article", "expected"),
    [
        ("Votre franchise dégât des eaux est de 300 €.", "habitation", "MRH-DDE-01", "150 €"),
        ("Vous avez 10 jours pour déclarer votre sinistre.", None, "COM-DECL-01", "5 jours"),
        ("La franchise bris de glace est de 90 €.", "auto", "AUTO-BDG-01", "50 €"),
        ("Le coefficient ne descend jamais sous 0,85.", "auto", "AUTO-BM-01", "0,50"),
    ],
)
def test_contradicting_statements_name_the_right_figure(checker, statement, product, article, expected):
    result = checker.check(statement, product=product)
    assert (result.status, result.article_id) == ("contradicts", article), result.explanation
    assert expected in result.explanation


@pytest.mark.parametrize(
    "statement",
    [
        "Je vous rappelle demain matin sans faute.",  # no figure
        "Nous avons 3 agences dans votre département.",  # a figure, but no contract topic
        "Votre franchise est raisonnable.",  # a topic, but no figure
        "La cotisation de votre contrat obsèques est de 12 € par mois.",  # no article on it
    ],
)
def test_uncheckable_statements_are_unknown(checker, statement):
    result = checker.check(statement)
    assert result.status == "unknown"
    assert result.explanation


def test_the_product_filter_steers_the_governing_article(checker):
    # 300 € is the auto theft franchise; said of habitation it governs nothing with that figure.
    assert checker.check("La franchise vol est de 300 €.", product="auto").status == "agrees"
    assert checker.check("La franchise vol est de 300 €.", product="habitation").status != "agrees"


def test_extract_claims_keeps_only_checkable_sentences():
    turn = (
        "Bonjour Madame Martin, je comprends votre inquiétude. Votre franchise est de 150 €. "
        "Je vous envoie le formulaire aujourd'hui ! Vous avez 5 jours ouvrés pour déclarer le sinistre ; "
        "notre agence ouvre à 9 h."
    )
    assert extract_claims(turn) == [
        "Votre franchise est de 150 €.",
        "Vous avez 5 jours ouvrés pour déclarer le sinistre ;",
    ]


def test_figures_are_reduced_to_comparable_units():
    figures = extract_figures("1 500 € ; 10 % ; 48 heures ; deux jours ouvrés ; 1 an ; 12 mois")
    assert [(f.kind, f.value, f.unit) for f in figures] == [
        ("montant", 1500.0, "€"),
        ("pourcentage", 10.0, "%"),
        ("duree", 2.0, "jours"),
        ("duree", 2.0, "jours"),
        ("duree", 12.0, "mois"),
        ("duree", 12.0, "mois"),
    ]
    assert figures[3].working_days and not figures[2].working_days
    assert figures[2].same_as(figures[3]) and figures[4].same_as(figures[5])


def test_bare_ratios_are_coefficients_only_about_bonus_malus():
    assert [f.value for f in extract_figures("Votre coefficient passe à 0,95.")] == [0.95]
    assert extract_figures("Le ratio est de 0,95.") == []
    assert [f.kind for f in extract_figures("Il est de 0,95.", about_coefficients=True)] == ["coefficient"]


@pytest.mark.parametrize(
    "statement",
    [
        # The advisor restating the client's words asserts nothing.
        "Si je résume : vous pensiez que la franchise dégât des eaux était de 300 €.",
        # 300 € measures the repair, not the franchise named further away in the sentence.
        "Le plombier a facturé 300 € pour la fuite de canalisation, la franchise dégât des eaux s'applique.",
        # A premium quoted for this client is computed, not a figure of the article.
        "Pour la garantie dégât des eaux, votre cotisation est de 300 € par an.",
    ],
)
def test_a_different_figure_is_not_a_contradiction_unless_it_measures_the_same_rule(checker, statement):
    result = checker.check(statement, product="habitation")
    assert result.status != "contradicts", result.explanation


def test_a_mixed_reading_or_a_figure_within_a_maximum_is_no_contradiction(checker):
    # 8 000 € agrees with the article; the other amount is another measure or a paraphrase.
    mixed = "Les objets de valeur sont couverts jusqu'à 8 000 € par sinistre, 4 000 € par objet."
    assert checker.check(mixed, product="habitation").status != "contradicts"
    # "Dans la limite de 8 000 €" is a maximum: announcing less promises nothing beyond it.
    within = "Vos objets de valeur seront indemnisés dans la limite de 5 000 € par sinistre."
    assert checker.check(within, product="habitation").status != "contradicts"
    beyond = "Vos objets de valeur seront indemnisés dans la limite de 12 000 € par sinistre."
    assert checker.check(beyond, product="habitation").status == "contradicts"


def test_a_clients_own_coefficient_is_no_rule(checker):
    case = "Votre coefficient est passé à 0,90 au lieu de 0,68 après ce sinistre."
    assert checker.check(case, product="auto").status != "contradicts"


def test_another_insurers_contract_figures_are_not_verifiable(checker):
    # The same false figure: a fault about the corpus insurer's contract, nothing about another's.
    statement = "Votre franchise dégât des eaux est de 300 €."
    assert checker.check(statement, product="habitation").status == "contradicts"
    assert checker.check(statement, product="habitation", insurer_applies=False).status == "unknown"
    former = "Chez votre ancien assureur, la franchise dégât des eaux était de 300 €."
    assert checker.check(former, product="habitation").status == "unknown"
    asked = "Mon ancien assureur avait quelle franchise déjà ?"
    assert checker.check(statement, product="habitation", previous_client=asked).status == "unknown"


def test_a_general_rule_is_checked_whoever_the_insurer(checker):
    # Another insurer in view: a general rule is still read, but a differing figure is only
    # shown « à vérifier » (issue #12: another insurer's exchange is never a fault).
    result = checker.check("Vous avez 10 jours pour déclarer votre sinistre.", insurer_applies=False)
    assert (result.status, result.scope) == ("to_verify", "general")
    own = checker.check("Votre franchise dégât des eaux est de 150 €.", product="habitation")
    assert (own.status, own.scope) == ("agrees", "contract")


def test_a_figure_the_client_gave_is_no_claim_of_the_advisor(checker):
    statement = "Votre franchise dégât des eaux est de 300 €."
    said = "On m'a dit que ma franchise dégât des eaux est de 300 €."
    assert checker.check(statement, product="habitation").status == "contradicts"
    assert checker.check(statement, product="habitation", previous_client=said).status == "unknown"


def test_a_contradiction_bound_only_by_a_generic_word_is_to_verify(checker):
    # "sous 10 jours" binds the figure to a delay, not to the declaration rule the article states.
    result = checker.check("Le remboursement interviendra sous 10 jours après le sinistre.", product="auto")
    assert result.status in ("to_verify", "unknown")
    assert result.status != "contradicts"
