"""Fixed rules (bonus-malus, legal delays, thresholds) checked on a statement's own clause,
the client's formula read from the file, and figures under a regime the conditions never name."""

from __future__ import annotations

import pytest

from crca.settings import Settings
from knowledge.fact_rules import check_rules, expected_text, load_rules
from knowledge.fact_scope import case_formulas
from knowledge.factcheck import FactChecker
from knowledge.factory import open_fact_checker
from knowledge.retriever import ConditionRetriever


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> FactChecker:
    home = tmp_path_factory.mktemp("fact-rules-home")
    return open_fact_checker(retriever=ConditionRetriever.open(Settings(home=home)))


def test_every_rule_cites_a_shipped_article(checker: FactChecker) -> None:
    ids = {a.id for a in checker.retriever.articles}
    assert [r.id for r in load_rules() if r.article not in ids] == []
    assert len({r.id for r in load_rules()}) == len(load_rules())


@pytest.mark.parametrize(
    ("statement", "product", "article"),
    [
        (
            "Pour un accident, vous aviez 48 heures pour nous prévenir, là on est limite.",
            "auto",
            "COM-DECL-01",
        ),
        ("Pour un vol, vous avez cinq jours ouvrés pour faire votre déclaration.", "auto", "COM-DECL-02"),
        (
            "Chez nous le bonus maximum descend jusqu'à 0,40 pour les très bons conducteurs.",
            "auto",
            "AUTO-BM-01",
        ),
        (
            "Le délai de renonciation pour une mutuelle souscrite sur internet est de trente jours.",
            "sante",
            "COM-RENON-01",
        ),
        (
            "Si l'avis arrive en retard, vous avez un mois pour résilier à compter de sa réception.",
            None,
            "COM-RES-02",
        ),
        ("Le médiateur vous répondra sous trente jours.", None, "COM-MEDIA-01"),
        (
            "La convention IRSI s'applique jusqu'à 10 000 € HT de dommages par appartement.",
            None,
            "CONV-IRSI-04",
        ),
        ("En cas de remplacement du pare-brise, la franchise est de 150 €.", "auto", "AUTO-BDG-02"),
    ],
)
def test_a_figure_differing_from_a_fixed_rule_contradicts(checker, statement, product, article) -> None:
    result = checker.check(statement, product=product)
    assert (result.status, result.article_id) == ("contradicts", article), result.explanation
    rule = next(r for r in load_rules() if r.article == article and expected_text(r) in result.explanation)
    assert rule.explanation in result.explanation


@pytest.mark.parametrize(
    ("statement", "product"),
    [
        (
            "Vous avez cinq jours ouvrés pour déclarer, donc en appelant ce matin vous êtes dans les temps.",
            "auto",
        ),
        ("Le coefficient ne peut pas descendre en dessous de 0,50.", "auto"),
        ("Un sinistre responsable multiplie votre coefficient par 1,25.", "auto"),
        ("Vous pouvez renoncer dans les quatorze jours, sans motif.", "sante"),
        ("La résiliation loi Hamon prend effet un mois après réception de la notification.", "auto"),
        ("La voiture de prêt après un accident, c'est sept jours maximum.", "auto"),
    ],
)
def test_the_rule_s_own_figure_agrees(checker, statement, product) -> None:
    assert checker.check(statement, product=product).status == "agrees"


@pytest.mark.parametrize(
    ("statement", "product"),
    [
        # another rule's delay after « déclaration »: aggravation of the risk, theft indemnity
        ("Un agrandissement comme celui-ci doit nous être déclaré dans les quinze jours.", "habitation"),
        (
            "Si le véhicule n'est pas retrouvé, l'indemnité est versée trente jours après la déclaration.",
            "auto",
        ),
        # the affinity insurance's own withdrawal delay
        ("Vous pouvez renoncer à l'assurance de votre téléphone dans les trente jours.", None),
        # the client's own coefficient, not the floor
        ("Vous êtes à 0,68, pas encore au bonus maximum.", "auto"),
    ],
)
def test_a_figure_of_another_rule_is_no_contradiction(checker, statement, product) -> None:
    assert checker.check(statement, product=product).status != "contradicts"


def test_a_guess_or_another_insurer_is_only_to_verify(checker: FactChecker) -> None:
    guessed = checker.check("Je crois que vous aviez 48 heures pour déclarer l'accident.", product="auto")
    other = checker.check(
        "Vous aviez 48 heures pour déclarer l'accident.", product="auto", insurer_applies=False
    )
    assert (guessed.status, other.status) == ("to_verify", "to_verify")


def test_contract_rules_are_not_checked_for_another_insurer() -> None:
    statement = "En cas de remplacement du pare-brise, la franchise est de 150 €."
    assert check_rules(statement, product="auto") is not None
    assert check_rules(statement, product="auto", general_only=True) is None


def test_a_figure_under_a_regime_the_conditions_never_name_is_to_verify(checker: FactChecker) -> None:
    assert checker.check(
        "Pour des locaux professionnels, la franchise catastrophe naturelle est de 1 140 €."
    ).status != ("contradicts")
    assert (
        checker.check(
            "Les travaux de rénovation dans un logement de plus de deux ans bénéficient d'une TVA à 10 %."
        ).status
        != "contradicts"
    )


def test_case_formulas_reads_the_contract_of_the_product() -> None:
    file = "Horizon Habitat formule Confort n° HA-1 — appartement ; Horizon Auto formule Tiers Plus n° AU-2"
    assert case_formulas(file, "habitation") == {"confort"}
    assert case_formulas(file, "auto") == {"tiers"}
    assert case_formulas("Horizon Santé formule Confort n° SA-3 — famille, tiers payant", "sante") == {
        "confort"
    }
    assert case_formulas(file + " ; Horizon Habitat formule Essentiel n° HA-9", "habitation") == frozenset()
    assert case_formulas(file, None) == frozenset()


def test_a_maximum_holds_across_days_and_months(checker: FactChecker) -> None:
    assert checker.check("Je peux vous proposer un échéancier étalé sur 30 jours.").status == "agrees"
    assert checker.check("Je peux vous étaler ça sur six mois, pas de souci.").status == "contradicts"


def test_a_rule_is_named_in_the_figure_s_own_clause(checker: FactChecker) -> None:
    statement = "Le trop-perçu vous sera remboursé sous 30 jours et le relevé d'information vous sera envoyé."
    assert checker.check(statement, product="auto").status != "contradicts"
    assert checker.check("Votre relevé d'information vous sera envoyé sous un mois.").status == "contradicts"
