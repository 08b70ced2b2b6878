"""The case key's criteria are never « non observable »: the situation arose, nothing was done."""

from __future__ import annotations

from domain.grades import CriterionGrade, Verdict
from evaluation.case_key import CaseKey
from evaluation.case_observable import observed_by_case
from rubrics.loader import load_rubric

RUBRIC = load_rubric()


def _grade(cid: str, verdict: Verdict) -> CriterionGrade:
    return CriterionGrade(criterion_id=cid, verdict=verdict, justification="Vérifications.")


def _same(criterion, grade):  # type: ignore[no-untyped-def]
    return grade


def test_a_key_criterion_not_seen_is_not_acquired_and_says_why():
    grades = [_grade("B1.11", Verdict.NOT_OBSERVED), _grade("B2.4", Verdict.NOT_OBSERVED)]
    case = CaseKey(source="scénario auto-sinistre-vol-cles-refus", criteria=["B1.11"])
    moved = observed_by_case(RUBRIC, grades, case, _same)
    assert moved[0].verdict == Verdict.NOT_ACQUIRED and moved[0].adjusted_from == Verdict.NOT_OBSERVED
    assert "auto-sinistre-vol-cles-refus" in moved[0].justification
    assert moved[0].tip == RUBRIC.get("B1.11").tip
    assert moved[1] == grades[1]  # not in the key: left as the checks said


def test_graded_key_criteria_and_keyless_transcripts_are_left_alone():
    grades = [_grade("B1.11", Verdict.PARTIAL), _grade("B1.5", Verdict.NOT_OBSERVED)]
    assert observed_by_case(RUBRIC, grades, CaseKey(criteria=["B1.11"]), _same) == grades
    assert observed_by_case(RUBRIC, grades, None, _same) == grades
    assert observed_by_case(RUBRIC, grades, CaseKey(criteria=[]), _same) == grades
