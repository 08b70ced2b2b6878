"""Every shipped scenario loads, cites real articles and criteria; together they cover the referential."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.transcript import ACTION_TYPES, Channel
from knowledge.corpus import article_ids
from scenarios.library import SCENARIOS_DIR, is_criterion_id, load_scenarios, validate_files
from scenarios.models import CustomerPath, Product, Scenario

FILES = sorted(SCENARIOS_DIR.glob("*.yaml"))

# Situations the referential grades, with the criteria a scenario must list to exercise them.
SITUATIONS: dict[str, set[str]] = {
    "refus de garantie à expliquer": {"B1.11", "B2.4"},
    "client qui refuse l'offre": {"B1.11", "B1.13"},
    "client tendu ou en colère": {"B1.2"},
    "mise en relation avec un autre service": {"B1.4", "B2.7"},
    "orientation vers l'application / l'espace client": {"B1.5", "B1.15"},
    "information incohérente avec l'historique": {"B2.1"},
    "contrainte particulière justifiant une adaptation": {"B2.2"},
    "réclamation argumentée sur le contrat": {"B2.4"},
    "offre additionnelle": {"B1.9"},
    "contact d'un expert ou réparateur": {"B2.7"},
    "encaissement ou décaissement": {"B2.10"},
    "incident qualité à remonter": {"B2.9"},
}


@pytest.fixture(scope="module")
def scenarios() -> dict[str, Scenario]:
    return load_scenarios()


@pytest.fixture(scope="module")
def known_articles() -> set[str]:
    return article_ids()


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario_file_is_valid(path: Path, known_articles: set[str]) -> None:
    assert validate_files([path], known_articles=known_articles) == []
    scenario = load_scenarios()[path.stem]
    cited = set(scenario.expected.articles) | {a for f in scenario.hidden_facts for a in f.articles}
    assert scenario.expected.articles, "chaque scénario cite au moins un article des conditions"
    assert cited <= known_articles, f"articles absents du corpus : {sorted(cited - known_articles)}"
    assert all(is_criterion_id(c) for c in scenario.expected.criteria)
    assert len(set(scenario.expected.criteria)) == len(scenario.expected.criteria)
    assert set(scenario.expected.expected_actions) <= set(ACTION_TYPES)
    assert 2 <= len(scenario.hidden_facts) <= 5
    assert len(scenario.fallback_lines) >= 3
    assert scenario.persona.objections and scenario.end.client_ends_when
    assert all(cue == cue.lower() for f in scenario.hidden_facts for cue in f.reveal_when)
    # A fact that contradicts the file is what makes the coherence criterion observable.
    has_contradiction = any(f.contradicts_file for f in scenario.hidden_facts)
    assert has_contradiction == ("B2.1" in scenario.expected.criteria)


def test_library_size_and_dimensions(scenarios: dict[str, Scenario]) -> None:
    values = list(scenarios.values())
    assert len(values) >= 24
    assert {s.path for s in values} == set(CustomerPath)
    main_products = {Product.AUTO, Product.HABITATION, Product.SANTE, Product.PREVOYANCE}
    assert main_products <= {s.product for s in values}
    assert {s.channel for s in values} == set(Channel)
    assert {s.difficulty for s in values} == {1, 2, 3}


@pytest.mark.parametrize("situation", SITUATIONS)
def test_each_graded_situation_is_exercised(situation: str, scenarios: dict[str, Scenario]) -> None:
    needed = SITUATIONS[situation]
    matching = [s.id for s in scenarios.values() if needed <= set(s.expected.criteria)]
    assert matching, f"aucun scénario pour « {situation} » ({', '.join(sorted(needed))})"


def test_email_openings_read_like_emails(scenarios: dict[str, Scenario]) -> None:
    for scenario in scenarios.values():
        if scenario.channel == Channel.EMAIL:
            assert scenario.opening_line.lower().startswith(("bonjour", "madame", "monsieur")), scenario.id
            assert "\n" in scenario.opening_line.strip(), scenario.id
