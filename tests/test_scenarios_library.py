"""The loader and validator on crafted files: every problem names the file, the field and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scenarios.library import (
    SCENARIOS_DIR,
    ScenarioError,
    UnknownScenarioError,
    is_criterion_id,
    load_scenario,
    load_scenarios,
    validate_files,
)

GOOD = SCENARIOS_DIR / "auto-sinistre-choc-arriere.yaml"
ARTICLES = {"AUTO-SIN-01", "COM-DECL-01"}


def _write(directory: Path, stem: str, data: dict | str) -> Path:
    path = directory / f"{stem}.yaml"
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def _good(stem: str = "exemple") -> dict:
    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    data["id"] = stem
    data["expected"]["articles"] = ["AUTO-SIN-01"]
    for fact in data["hidden_facts"]:  # the test's own article set, whatever the shipped file cites
        fact["articles"] = []
    return data


def test_good_file_has_no_problem(tmp_path: Path) -> None:
    assert validate_files([_write(tmp_path, "exemple", _good())], known_articles=ARTICLES) == []


def test_yaml_syntax_error_gives_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "casse", "id: casse\ntitle: [non fermé\nproduct: auto\n")
    [problem] = validate_files([path], known_articles=ARTICLES)
    assert problem.file == str(path) and problem.field == "-"
    assert "syntaxe YAML" in problem.reason and problem.line is not None


def test_missing_field_is_named(tmp_path: Path) -> None:
    data = _good()
    del data["persona"]["speech_style"]
    path = _write(tmp_path, "exemple", data)
    [problem] = validate_files([path], known_articles=ARTICLES)
    assert problem.field == "persona.speech_style"
    assert problem.reason == "champ obligatoire manquant"
    assert str(problem).startswith(f"{path}: persona.speech_style (ligne ")


def test_schema_errors_in_french_with_lines(tmp_path: Path) -> None:
    data = _good()
    data["difficulty"] = 5
    data["channel"] = "fax"
    data["persona"]["humeur"] = "bonne"
    data["hidden_facts"][1]["reveal_when"] = []
    path = _write(tmp_path, "exemple", data)
    problems = {p.field: p for p in validate_files([path], known_articles=ARTICLES)}
    assert set(problems) == {"difficulty", "channel", "persona.humeur", "hidden_facts[1].reveal_when"}
    assert "au plus 3" in problems["difficulty"].reason
    assert "phone" in problems["channel"].reason and "fax" in problems["channel"].reason
    assert "champ inconnu" in problems["persona.humeur"].reason
    assert all(p.line for p in problems.values())


def test_unknown_article_criterion_action_and_cue(tmp_path: Path) -> None:
    data = _good()
    data["expected"]["articles"] = ["AUTO-SIN-01", "AUTO-SIN-99"]
    data["expected"]["criteria"] = ["B1.1", "B1.17", "B3.0"]
    data["expected"]["expected_actions"] = ["claim_opened", "coffee_served"]
    data["hidden_facts"][0]["articles"] = ["COM-DECL-02"]
    data["hidden_facts"][0]["reveal_when"] = ["Constat"]
    path = _write(tmp_path, "exemple", data)
    problems = {p.field: p.reason for p in validate_files([path], known_articles=ARTICLES)}
    assert problems["expected.articles[1]"].startswith("article inconnu « AUTO-SIN-99 »")
    assert "AUTO-SIN-01" in problems["expected.articles[1]"]  # close id suggested
    assert "COM-DECL-01" in problems["hidden_facts[0].articles[0]"]
    assert "B1.17" in problems["expected.criteria[1]"] and "B3.0" in problems["expected.criteria[2]"]
    assert "coffee_served" in problems["expected.expected_actions[1]"]
    assert "minuscules" in problems["hidden_facts[0].reveal_when[0]"]
    assert len(problems) == 6


def test_id_must_match_stem_and_be_unique(tmp_path: Path) -> None:
    first = _write(tmp_path, "un", _good("un"))
    other = tmp_path / "sub"
    other.mkdir()
    second = _write(other, "un", _good("un"))
    wrong = _write(tmp_path, "deux", _good("trois"))
    problems = validate_files([first, second, wrong], known_articles=ARTICLES)
    assert [(p.file, p.field) for p in problems] == [(str(second), "id"), (str(wrong), "id")]
    assert "double" in problems[0].reason and str(first) in problems[0].reason
    assert "« deux »" in problems[1].reason


def test_missing_file_and_non_mapping(tmp_path: Path) -> None:
    listing = _write(tmp_path, "liste", "- a\n- b\n")
    problems = validate_files([tmp_path / "absent.yaml", listing], known_articles=ARTICLES)
    assert [p.reason for p in problems][0] == "fichier introuvable"
    assert "objet YAML" in problems[1].reason


def test_load_scenarios_sorted_and_strict(tmp_path: Path) -> None:
    _write(tmp_path, "b-deux", _good("b-deux"))
    _write(tmp_path, "a-un", _good("a-un"))
    assert list(load_scenarios(tmp_path)) == ["a-un", "b-deux"]
    _write(tmp_path, "c-trois", _good("autre"))
    with pytest.raises(ScenarioError, match="c-trois.yaml: id"):
        load_scenarios(tmp_path)


def test_unknown_scenario_suggests_close_ids() -> None:
    with pytest.raises(UnknownScenarioError) as info:
        load_scenario("auto-sinistre-choc")
    assert "Scénario inconnu : « auto-sinistre-choc »" in str(info.value)
    assert "auto-sinistre-choc-arriere" in str(info.value)
    with pytest.raises(UnknownScenarioError):
        load_scenario("../etc/passwd")
    assert load_scenario("auto-sinistre-choc-arriere").product == "auto"


@pytest.mark.parametrize(
    ("value", "valid"),
    [("B1.0", True), ("B1.16", True), ("B2.10", True), ("B1.17", False), ("B2.11", False), ("B1.01", False)],
)
def test_criterion_ids(value: str, valid: bool) -> None:
    assert is_criterion_id(value) is valid
