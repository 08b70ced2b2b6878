"""Grader vs trainers: agreement, κ, confusion and most corrected criteria over reviewed sessions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.grades import CriterionGrade, GradeReport, GraderInfo, Verdict
from domain.review import Review
from evaluation.review_agreement import AgreementFilters, ReviewedGrade, agreement_dashboard
from rubrics.loader import load_rubric

A, P, N = Verdict.ACQUIRED, Verdict.PARTIAL, Verdict.NOT_ACQUIRED


def grade(
    session: str, grader: dict[str, Verdict], trainer: dict[str, tuple[Verdict, int]], *,
    cohort: str, scenario: str, rubric: str = "v1",
) -> ReviewedGrade:  # fmt: skip
    """`trainer`: criterion → (verdict, hour of the decision)."""
    report = GradeReport(
        transcript_id=session,
        rubric_version=rubric,
        grader=GraderInfo(backend="scripted", model="fake"),
        criteria=[CriterionGrade(criterion_id=c, verdict=v, justification="-") for c, v in grader.items()],
    )
    reviews = [
        Review(criterion_id=c, verdict=v, original_verdict=grader[c], comment=f"{session} {c}", author="paul",
               at=datetime(2026, 12, 1, hour, tzinfo=UTC))
        for c, (v, hour) in trainer.items()
    ]  # fmt: skip
    return ReviewedGrade(
        session_id=session, report=report, reviews=reviews, cohort=cohort, scenario_id=scenario
    )


GRADES = [
    grade(
        "s1", {"B1.1": A, "B1.2": N, "B1.3": A}, {"B1.1": (A, 9), "B1.2": (A, 9)}, cohort="A", scenario="X"
    ),
    grade("s2", {"B1.1": A, "B1.2": N}, {"B1.1": (P, 10), "B1.2": (N, 10)}, cohort="B", scenario="Y"),
    grade("s3", {"B1.2": P}, {"B1.2": (A, 11)}, cohort="A", scenario="X", rubric="v2"),
]


def test_overall_figures_count_only_reviewed_criteria() -> None:
    board = agreement_dashboard(GRADES)
    # (trainer, grader): (A,A) (A,N) (P,A) (N,N) (A,P); B1.3 was never reviewed.
    assert (board.sessions, board.items) == (3, 5)
    assert board.exact == pytest.approx(0.4)
    # p_e = (3·2 + 1·1 + 1·2) / 25 = 0.36, κ = (0.4 − 0.36) / 0.64
    assert board.kappa == pytest.approx(0.0625)
    assert board.confusion[N][A] == 1 and board.confusion[N][N] == 1 and board.confusion[P][A] == 1
    assert sum(n for row in board.confusion.values() for n in row.values()) == 5
    assert [c.criterion_id for c in board.per_criterion] == ["B1.1", "B1.2"]


def test_most_corrected_criteria_come_with_recent_examples() -> None:
    board = agreement_dashboard(GRADES, rubric=load_rubric())
    assert [(c.criterion_id, c.corrections) for c in board.most_corrected] == [("B1.2", 2), ("B1.1", 1)]
    b12 = board.most_corrected[0]
    assert b12.exact == pytest.approx(1 / 3) and b12.title == load_rubric().get("B1.2").title
    assert [(e.session_id, e.grader_verdict, e.trainer_verdict) for e in b12.examples] == [
        ("s3", P, A), ("s1", N, A)
    ]  # fmt: skip
    assert b12.examples[0].comment == "s3 B1.2" and b12.examples[0].author == "paul"


def test_filters_by_cohort_scenario_and_rubric_version() -> None:
    by_cohort = agreement_dashboard(GRADES, AgreementFilters(cohort="A"))
    assert (by_cohort.sessions, by_cohort.items, by_cohort.exact) == (2, 3, pytest.approx(1 / 3))
    assert agreement_dashboard(GRADES, AgreementFilters(scenario_id="Y")).items == 2
    only_v2 = agreement_dashboard(GRADES, AgreementFilters(rubric_version="v2"))
    assert (only_v2.items, only_v2.exact) == (1, 0.0)
    assert (by_cohort.cohorts, by_cohort.scenarios, by_cohort.rubric_versions) == (
        ["A", "B"],
        ["X", "Y"],
        ["v1", "v2"],
    )
    empty = agreement_dashboard(GRADES, AgreementFilters(cohort="Z"))
    assert (empty.items, empty.exact, empty.kappa, empty.most_corrected) == (0, None, None, [])


def test_the_latest_decision_of_a_criterion_is_the_label() -> None:
    twice = grade("s4", {"B1.1": N}, {"B1.1": (A, 9)}, cohort="A", scenario="X")
    twice.reviews.append(
        twice.reviews[0].model_copy(update={"verdict": N, "at": datetime(2026, 12, 2, tzinfo=UTC)})
    )
    board = agreement_dashboard([twice])
    assert (board.items, board.exact, board.most_corrected) == (1, 1.0, [])
