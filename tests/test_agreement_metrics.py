"""Agreement arithmetic against hand-computed values."""

from __future__ import annotations

import pytest

from domain.grades import CriterionGrade, Evidence, GradeReport, GraderInfo, Verdict
from domain.transcript import Speaker, Transcript, Turn
from evaluation.agreement import (
    cohen_kappa,
    differing,
    evidence_counts,
    exact_agreement,
    pairs,
    per_criterion,
    summarise,
)


def test_kappa_textbook_two_by_two() -> None:
    # 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: p_o = 0.7, p_e = 0.5, κ = 0.4
    gold = ["y"] * 25 + ["n"] * 25
    pred = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert exact_agreement(gold, pred) == pytest.approx(0.7)
    assert cohen_kappa(gold, pred) == pytest.approx(0.4)


def test_kappa_three_classes_and_symmetry() -> None:
    gold = ["a", "a", "b", "b", "c", "c"]
    pred = ["a", "b", "b", "b", "c", "a"]
    # p_o = 4/6, p_e = (2·2 + 2·3 + 2·1) / 36 = 1/3, κ = (2/3 − 1/3) / (2/3) = 0.5
    assert cohen_kappa(gold, pred) == pytest.approx(0.5)
    assert cohen_kappa(pred, gold) == pytest.approx(0.5)


def test_kappa_edge_cases() -> None:
    assert cohen_kappa(["a", "b"], ["a", "b"]) == pytest.approx(1.0)
    assert cohen_kappa(["a", "a"], ["a", "a"]) == 1.0  # undefined, perfect agreement
    assert cohen_kappa(["a", "b"], ["b", "a"]) == pytest.approx(-1.0)
    assert cohen_kappa([], []) == 0.0
    with pytest.raises(ValueError):
        exact_agreement(["a"], [])


def test_pairs_count_missing_and_unlabelled() -> None:
    gold = {"t1": {"B1.1": "acquired", "B1.2": "partial"}, "t2": {"B1.1": "not_observed"}}
    pred = {"t1": {"B1.1": "acquired", "B9.9": "acquired"}}
    assert pairs(gold, pred) == [("B1.1", "acquired", "acquired"), ("B1.2", "partial", "missing")]
    summary = summarise(gold, pred)
    assert (summary.items, summary.exact, summary.unscored) == (2, 0.5, 1)
    assert summary.per_criterion == {"B1.1": 1.0, "B1.2": 0.0}


def test_per_criterion_and_differing() -> None:
    items = [("B1.1", "a", "a"), ("B1.1", "a", "b"), ("B2.4", "c", "c")]
    assert per_criterion(items) == {"B1.1": 0.5, "B2.4": 1.0}
    assert differing({"B1.1": "a", "B1.2": "b"}, {"B1.1": "a", "B1.2": "c", "B1.3": "d"}) == ["B1.2", "B1.3"]


def test_evidence_counts_only_verbatim_quotes_in_the_cited_turn() -> None:
    transcript = Transcript(
        id="t",
        turns=[
            Turn(speaker=Speaker.ADVISOR, text="Bonjour Madame"),
            Turn(speaker=Speaker.CLIENT, text="Oui"),
        ],
    )
    evidence = [
        Evidence(turn=0, quote="Bonjour"),
        Evidence(turn=1, quote="Bonjour"),
        Evidence(turn=7, quote="x"),
    ]
    grade = CriterionGrade(criterion_id="B1.1", verdict=Verdict.ACQUIRED, justification="", evidence=evidence)
    report = GradeReport(
        transcript_id="t", rubric_version="v", grader=GraderInfo(backend="b", model="m"), criteria=[grade]
    )
    assert evidence_counts(report, transcript) == (1, 3)
