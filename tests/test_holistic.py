"""The handling's overall level moves the observed verdicts of a clearly weak or solid handling."""

from __future__ import annotations

from domain.grades import CheckResult, CriterionGrade, Verdict
from evaluation.holistic import adjust, handling_level
from rubrics.loader import load_rubric
from rubrics.models import HandlingLevel

RUBRIC = load_rubric().model_copy(
    update={"handling_level": HandlingLevel(weak_below=0.5, strong_above=0.8, min_observed=4)}
)
IDS = [c.id for c in RUBRIC.criteria]
A, P, N, NO = Verdict.ACQUIRED, Verdict.PARTIAL, Verdict.NOT_ACQUIRED, Verdict.NOT_OBSERVED


def _grades(
    verdicts: list[Verdict], checks: dict[str, list[CheckResult]] | None = None
) -> list[CriterionGrade]:
    checks = checks or {}
    return [
        CriterionGrade(
            criterion_id=cid, verdict=v, justification="Vérifications.", checks=checks.get(cid, [])
        )
        for cid, v in zip(IDS, verdicts, strict=False)
    ]


def _unchanged(criterion, grade):  # type: ignore[no-untyped-def]
    return grade


def test_level_counts_observed_criteria_only_a_partial_for_half():
    assert handling_level(_grades([A, P, N, NO, NO])) == (0.5, 3)
    assert handling_level(_grades([NO, NO])) == (0.0, 0)


def test_a_weak_handling_has_its_observed_criteria_not_acquired():
    grades = _grades([A, P, N, N, N, NO])  # level 1.5 / 5 = 30 %
    moved = adjust(RUBRIC, grades, _unchanged)
    assert [g.verdict for g in moved] == [N, N, N, N, N, NO]
    assert [g.adjusted_from for g in moved] == [A, P, None, None, None, None]
    assert [g.level_decided for g in moved] == [True, True, True, True, True, False]
    assert "« acquis »" in moved[0].justification and "faible" in moved[0].justification
    assert moved[1].tip == RUBRIC.get(IDS[1]).tip


def test_a_solid_handling_has_its_small_gaps_acquired_but_not_its_faults():
    criterion = RUBRIC.get(IDS[0])
    fault = next(c for c in criterion.checks if c.negative)
    failed = {IDS[0]: [CheckResult(check_id=fault.id, passed=False, source="cues")]}
    grades = _grades([P, P, A, A, A, A, A, A, A, A, NO], failed)  # level 9 / 10
    moved = adjust(RUBRIC, grades, _unchanged)
    assert moved[1].verdict == A and moved[1].adjusted_from == P and moved[1].tip is None
    assert moved[0].verdict == P and moved[0].adjusted_from is None  # a fault decided it: not lifted
    assert moved[10].verdict == NO


def test_a_middling_handling_or_too_few_observed_criteria_move_nothing():
    middling = _grades([A, A, P, N, A, P])  # level 4 / 6
    assert adjust(RUBRIC, middling, _unchanged) == middling
    few = _grades([N, P, NO, NO, NO])  # weak, but only 2 observed
    assert adjust(RUBRIC, few, _unchanged) == few


def test_without_a_rule_in_the_rubric_nothing_moves():
    grades = _grades([A, P, N, N, N])
    assert adjust(RUBRIC.model_copy(update={"handling_level": None}), grades, _unchanged) == grades


def test_moved_grades_are_reassessed():
    seen = []

    def reassess(criterion, grade):  # type: ignore[no-untyped-def]
        seen.append((criterion.id, grade.verdict))
        return grade.model_copy(update={"confidence": "to_confirm"})

    moved = adjust(RUBRIC, _grades([P, N, N, N, NO]), reassess)
    assert seen == [(IDS[0], N), (IDS[1], N), (IDS[2], N), (IDS[3], N)]
    assert moved[4].confidence is None and moved[0].confidence == "to_confirm"


def test_a_verdict_a_logged_operation_decided_does_not_move():
    b26 = IDS.index("B2.6")
    logged = {
        "B2.6": [
            CheckResult(check_id="B2.6.needed", passed=True, source="actions"),
            CheckResult(check_id="B2.6.done", passed=True, source="actions"),
            CheckResult(check_id="B2.6.detail", passed=True, source="detector"),
        ]
    }
    verdicts = [N] * len(IDS)
    verdicts[b26] = A
    moved = adjust(RUBRIC, _grades(verdicts, logged), _unchanged)
    assert moved[b26].verdict == A and not moved[b26].level_decided
    assert moved[0].level_decided  # the others are the level's
