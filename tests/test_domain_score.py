"""The one session score: grader errors count as not graded, non observable is left out."""

from __future__ import annotations

from domain.grades import Verdict
from domain.score import acquisition_rate, score_verdicts

A, P, N, NO, E = (
    Verdict.ACQUIRED,
    Verdict.PARTIAL,
    Verdict.NOT_ACQUIRED,
    Verdict.NOT_OBSERVED,
    Verdict.COULD_NOT_GRADE,
)


def test_partial_counts_half_and_non_observable_is_left_out() -> None:
    score = score_verdicts([A, P, NO, N])
    assert score.value == 0.5 and score.counted == 3 and score.not_observed == 1 and score.not_graded == 0
    assert score.label_fr == "50 %"


def test_a_grade_made_mostly_of_errors_does_not_show_a_high_score() -> None:
    score = score_verdicts([A, A, E, E, E, E, E, E])
    assert score.value == 0.25  # the two acquired criteria alone would have shown 100 %
    assert score.counted == 8 and score.not_graded == 6
    assert score.label_fr == "25 % (6 critères non évalués)"
    assert score_verdicts([A, P, E]).label_fr == "50 % (1 critère non évalué)"


def test_nothing_applicable_has_no_score() -> None:
    empty = score_verdicts([NO, NO])
    assert empty.value is None and empty.counted == 0 and empty.not_observed == 2
    assert empty.label_fr.startswith("–")
    assert score_verdicts([E]).value == 0.0  # an all-error grade is 0 %, and says why
    assert score_verdicts([]).value is None


def test_verdict_codes_are_accepted_as_stored() -> None:
    assert score_verdicts(["acquired", "could_not_grade"]).value == 0.5  # type: ignore[list-item]


def test_cohort_rate_leaves_grader_errors_out() -> None:
    assert acquisition_rate([A, P, E, NO]) == 0.75
    assert acquisition_rate([E, NO]) is None
