"""Loaders of the blind grader sets and the fact-check / fault benchmarks, on tiny fixtures."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from crca.llm import ScriptedChatModel
from crca.settings import Settings
from evaluation.grader_sets import LabelledSetError, load_faults, load_statements
from evaluation.semantic import SemanticCandidates
from evaluation.sentence_faults import SentenceFaults
from knowledge.factcheck import FactChecker
from knowledge.retriever import ConditionRetriever

HERE = Path(__file__).parent
SETS = HERE / "fixtures" / "grader_sets"
ROOT = HERE.parent


def _bench(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_files_load_typed_and_bad_items_are_named_in_french(tmp_path: Path) -> None:
    assert [s.label for s in load_statements(SETS / "statements.yaml")][:2] == ["contradicts", True]
    assert {f.fault for f in load_faults(SETS / "sentences.yaml")} >= {"none", "curt"}
    bad = tmp_path / "s.yaml"
    bad.write_text("- id: x\n  statement: Bonjour.\n  label: faux\n", encoding="utf-8")
    with pytest.raises(LabelledSetError, match="élément 1 \\(x\\) : label"):
        load_statements(bad)
    bad.write_text("- id: x\n  text: a\n  fault: none\n- id: x\n  text: b\n  fault: none\n", encoding="utf-8")
    with pytest.raises(LabelledSetError, match="en double"):
        load_faults(bad)
    with pytest.raises(LabelledSetError, match="introuvable"):
        load_faults(tmp_path / "absent.yaml")


def test_the_factcheck_benchmark_counts_precision_and_recall(tmp_path: Path) -> None:
    checker = FactChecker(
        ConditionRetriever.open(Settings(home=tmp_path), directory=HERE / "fixtures" / "knowledge")
    )
    figures = _bench("factcheck").measure(load_statements(SETS / "statements.yaml"), checker)
    # Both contradictions are found; the former insurer's figure is not one.
    assert (figures["precision"], figures["recall"]) == (1.0, 1.0)
    assert figures["confusion"][("unverifiable", "unknown")] == 2


def test_the_benchmark_says_when_the_blind_file_is_missing(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert _bench("faults").main(["--file", str(tmp_path / "none.yaml")]) == 2
    assert _bench("factcheck").main(["--file", str(tmp_path / "none.yaml")]) == 2
    assert "introuvable" in capsys.readouterr().err


def test_paraphrased_faults_are_found_and_correct_sentences_left_alone() -> None:
    items = load_faults(SETS / "sentences.yaml")
    lenient = SentenceFaults(ScriptedChatModel(replies=["Oui."]), semantic=SemanticCandidates())
    figures = _bench("faults").measure(items, lenient)
    assert figures["detection_own_kind"] == 1.0 and figures["false_alarms"] == 0.0
    # The model's "non" is final: no fault without its confirmation (the cues only propose).
    strict = SentenceFaults(ScriptedChatModel(replies=["Non."]), semantic=SemanticCandidates())
    assert strict.faults("Vous inquiétez pas, tout sera remboursé, vous ne paierez rien du tout.") == []


def test_a_paraphrase_no_cue_matches_becomes_a_candidate_only_with_the_encoder() -> None:
    text = "L'assurance va tout régler, vous ne verserez pas un seul euro."
    yes = ScriptedChatModel(replies=["Oui."])
    assert SentenceFaults(yes).faults(text) == []
    assert SentenceFaults(yes, semantic=SemanticCandidates()).faults(text) == ["false_promise"]
