"""Calibrated confidence: the data file, the « sûr » rule, the cross-validation and the grader's use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.calibrate_confidence import main, write
from crca.llm import ScriptedChatModel
from domain.grades import Verdict
from evaluation.calibration import Decision, Rule, calibrate, choose_threshold, cross_validate, decision_of
from evaluation.confidence import CALIBRATION_FILE, Calibration, Estimate, Kind, assess, load_calibration
from evaluation.grader import RubricGrader
from evaluation.sets import load_set, set_dir
from rubrics import Check, Criterion, VerdictRule
from rubrics.loader import load_rubric

A = Verdict.ACQUIRED


def _criterion() -> Criterion:
    checks = [Check(id=f"B1.1.{c}", statement=c, role="behaviour", cues=["x"]) for c in "ab"]
    return Criterion(
        id="B1.1",
        bloc=1,
        title="t",
        competency="c",
        criterion="k",
        tip="t",
        checks=checks,
        rule=VerdictRule(),
    )


def _calibration(*kinds: Kind, threshold: float | None = 0.9, min_support: int = 5) -> Calibration:
    return Calibration(
        sets=["s"], backend="b", target=0.9, threshold=threshold, min_support=min_support,
        cross_validated=Estimate(verdicts=0, sure=0, sure_agreed=0), kinds=list(kinds),
    )  # fmt: skip


def _decision(set_name: str, n: int, criterion: str, agrees: bool, verdict: Verdict = A) -> Decision:
    label = verdict if agrees else Verdict.PARTIAL
    return Decision(set_name=set_name, transcript_id=f"{set_name}-{n}", criterion_id=criterion,
                    verdict=verdict, label=label, sources=["cues"])  # fmt: skip


def _many(set_name: str, criterion: str, agreeing: int, total: int) -> list[Decision]:
    return [_decision(set_name, n, criterion, n < agreeing) for n in range(total)]


def test_the_calibration_file_is_what_the_script_writes_and_fits_the_rubric(tmp_path: Path) -> None:
    load_calibration.cache_clear()
    calibration = load_calibration()
    assert calibration is not None, (
        "evaluation/confidence.yaml manque : lancer benchmarks/calibrate_confidence.py"
    )
    rewritten = tmp_path / "confidence.yaml"
    write(calibration, rewritten)
    assert rewritten.read_text(encoding="utf-8") == CALIBRATION_FILE.read_text(encoding="utf-8")
    criteria = {c.id for c in load_rubric().criteria}
    assert {k.criterion for k in calibration.kinds} <= criteria
    final_blind = {"testset7"}  # the set the grader is measured on once: never calibrated on
    assert all(set_dir(name).is_dir() and name not in final_blind for name in calibration.sets)
    assert sum(k.support for k in calibration.kinds) <= calibration.cross_validated.verdicts
    if calibration.threshold is not None:
        assert calibration.cross_validated.accuracy >= calibration.target
    else:
        assert calibration.cross_validated.sure == 0


def test_a_kind_is_sure_with_enough_support_and_agreement_and_an_undetermined_verdict_never() -> None:
    criterion = _criterion()
    results = {"B1.1.a": True, "B1.1.b": True}
    sources = {"B1.1.a": "actions", "B1.1.b": "model"}
    kind = {"criterion": "B1.1", "verdict": A, "sources": ["actions", "model"]}
    confident = _calibration(Kind(**kind, support=20, agreed=19))
    assert assess(criterion, results, sources, confident) == (
        "sure", "ce type de verdict a été confirmé par les évaluateurs dans 95 % des cas (20 verdicts).",
    )  # fmt: skip
    doubtful = _calibration(Kind(**kind, support=20, agreed=12))
    assert assess(criterion, results, sources, doubtful)[0] == "to_confirm"
    assert "que dans 60 %" in assess(criterion, results, sources, doubtful)[1]
    rare = _calibration(Kind(**kind, support=4, agreed=4))
    assert assess(criterion, results, sources, rare) == (
        "to_confirm", "trop peu de verdicts de ce type comparés aux évaluateurs (4).",
    )  # fmt: skip
    # Another kind (a cue decided b) is not the calibrated one.
    assert assess(criterion, results, {**sources, "B1.1.b": "cues"}, confident)[0] == "to_confirm"
    assert assess(criterion, {"B1.1.a": None, "B1.1.b": True}, sources, confident)[0] == "to_confirm"
    assert assess(criterion, results, sources, None)[0] == "to_confirm"
    assert (
        assess(criterion, results, sources, _calibration(*confident.kinds, threshold=None))[0] == "to_confirm"
    )


def test_the_file_schema_rejects_inconsistent_counts_and_duplicates() -> None:
    with pytest.raises(ValueError, match="accords"):
        Kind(criterion="B1.1", verdict=A, sources=["cues"], support=3, agreed=4)
    with pytest.raises(ValueError, match="sources"):
        Kind(criterion="B1.1", verdict=A, sources=["model", "cues"], support=3, agreed=1)
    kind = Kind(criterion="B1.1", verdict=A, sources=["cues"], support=3, agreed=1)
    with pytest.raises(ValueError, match="double"):
        _calibration(kind, kind)


def test_a_set_is_never_judged_by_its_own_verdicts() -> None:
    # B1.1 is seen only in set s1: leaving s1 out, nothing knows it.
    only_here = _many("s1", "B1.1", 10, 10) + _many("s2", "B1.2", 0, 3)
    assert cross_validate(only_here, Rule(0.9, 5)).sure == 0
    # B1.3 agrees 6/6 in each set: each set's verdicts are « sûr » from the other's.
    both = _many("s1", "B1.3", 6, 6) + _many("s2", "B1.3", 6, 6)
    assert cross_validate(both, Rule(0.9, 5)) == Estimate(verdicts=12, sure=12, sure_agreed=12)
    # In s2 it agrees 2/6 only: s1 judged by s2 is not « sûr », s2 judged by s1 is, and is wrong 4 times.
    mixed = _many("s1", "B1.3", 6, 6) + _many("s2", "B1.3", 2, 6)
    assert cross_validate(mixed, Rule(0.9, 5)) == Estimate(verdicts=12, sure=6, sure_agreed=2)


def test_the_threshold_is_the_one_of_largest_cross_validated_coverage_at_the_target() -> None:
    # B1.1 agrees 5/5 in both sets, B1.2 4/5 in both.
    decisions = [*(_many(s, "B1.1", 5, 5) + _many(s, "B1.2", 4, 5) for s in ("s1", "s2"))]
    flat = [d for part in decisions for d in part]
    threshold, estimate = choose_threshold(flat, target=0.92, min_support=5)
    assert threshold == 1.0 and estimate == Estimate(verdicts=20, sure=10, sure_agreed=10)
    threshold, estimate = choose_threshold(flat, target=0.85, min_support=5)
    assert threshold == 0.8 and (estimate.sure, estimate.sure_agreed) == (20, 18)
    assert choose_threshold(flat, target=0.92, min_support=6) == (
        None,
        Estimate(verdicts=20, sure=0, sure_agreed=0),
    )
    calibration = calibrate(flat, target=0.92, min_support=5, backend="b")
    assert calibration.sets == ["s1", "s2"] and calibration.threshold == 1.0
    assert [(k.criterion, k.support, k.agreed) for k in calibration.kinds] == [
        ("B1.1", 10, 10),
        ("B1.2", 10, 8),
    ]


def test_the_script_recalibrates_from_saved_decisions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    decisions = _many("s1", "B1.1", 5, 5) + _many("s2", "B1.1", 5, 5) + _many("s2", "B1.2", 1, 5)
    saved = tmp_path / "decisions.json"
    saved.write_text(json.dumps([d.model_dump(mode="json") for d in decisions]))
    out = tmp_path / "confidence.yaml"
    assert main(["--decisions", str(saved), "--out", str(out)]) == 0
    load_calibration.cache_clear()
    written = load_calibration(out)
    assert written is not None and written.cross_validated == cross_validate(
        decisions, Rule(written.threshold, 5)
    )
    assert "couverture « sûr » 66.7%" in capsys.readouterr().out


def test_the_grader_marks_sure_the_kinds_the_calibration_trusts_and_says_why() -> None:
    item = load_set(set_dir("devset"))[0]
    rubric = load_rubric()
    plain = RubricGrader(ScriptedChatModel(replies=["oui"]), rubric, calibration=_calibration())
    report = plain.grade(item.transcript)
    assert {g.confidence for g in report.criteria} == {"to_confirm"}
    # Every verdict's own kind, trusted: the key the calibration script records is the grader's.
    decisions = [decision_of("s", item.transcript.id, rubric.get(g.criterion_id), g, g.verdict)
                 for g in report.criteria if g.verdict != Verdict.COULD_NOT_GRADE]  # fmt: skip
    trusted = calibrate(decisions, target=1.0, min_support=1, backend="b").model_copy(
        update={"threshold": 1.0}
    )
    again = RubricGrader(ScriptedChatModel(replies=["oui"]), rubric, calibration=trusted).grade(
        item.transcript
    )
    determined = [g for g in again.criteria if g.verdict != Verdict.COULD_NOT_GRADE]
    assert determined and all(g.confidence == "sure" for g in determined)
    assert all("dans 100 % des cas" in g.confidence_reason for g in determined)
