"""The verdict as a pure function of check results and the criterion's rule.

Why pure: trainers must be able to see that the verdict follows from the checks shown,
and it is unit-tested on its own. Unknown results (a failed model call, a check not run)
leave the verdict undetermined only if some value of them would change it.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import product

from domain.grades import CriterionGrade, Verdict
from rubrics.models import Check, Criterion

Reassess = Callable[[Criterion, CriterionGrade], CriterionGrade]
"""Recomputes what depends on a verdict (its confidence) once a grade was moved after its checks."""

Results = dict[str, bool | None]
"""check id → passed (True/False), None when unknown; a missing id means the check does not apply."""

_RANK = [Verdict.NOT_ACQUIRED, Verdict.PARTIAL, Verdict.ACQUIRED]
MAX_UNKNOWN = 10


def _applies(check: Check, values: dict[str, bool]) -> bool:
    return check.id in values and (check.applies_if is None or values.get(check.applies_if, False))


def verdict_of(criterion: Criterion, values: dict[str, bool]) -> Verdict:
    """The verdict when every result is known (missing ids do not apply)."""
    situations = [c for c in criterion.situation_checks() if c.id in values]
    if criterion.situation_checks() and not any(values[c.id] for c in situations):
        return Verdict.NOT_OBSERVED
    behaviours = [c for c in criterion.behaviour_checks() if _applies(c, values)]
    positives = [c for c in behaviours if not c.negative]
    excluded = any(values.get(c.id, False) for c in criterion.exclusion_checks())
    if excluded and not any(values[c.id] for c in positives):
        return Verdict.NOT_OBSERVED
    faults = [c for c in behaviours if c.negative and not values[c.id]]
    required = [c for c in positives if c.required]
    if not positives:
        best = Verdict.ACQUIRED
    else:
        passed_required = sum(values[c.id] for c in required)
        passed_any = sum(values[c.id] for c in positives)
        need = (
            len(required)
            if criterion.rule.acquired_min is None
            else min(criterion.rule.acquired_min, len(required))
        )
        if passed_required >= need and (need > 0 or passed_any > 0):
            best = Verdict.ACQUIRED
        elif passed_any >= criterion.rule.partial_min:
            best = Verdict.PARTIAL
        else:
            best = Verdict.NOT_ACQUIRED
    for fault in faults:
        cap = Verdict(fault.cap or criterion.rule.negative_cap)
        best = min(best, cap, key=_RANK.index)
    return best


def decide(criterion: Criterion, results: Results) -> Verdict:
    """The verdict, or COULD_NOT_GRADE when unknown results could change it."""
    unknown = [cid for cid, value in results.items() if value is None]
    known = {cid: value for cid, value in results.items() if value is not None}
    if len(unknown) > MAX_UNKNOWN:
        return Verdict.COULD_NOT_GRADE
    outcomes = {
        verdict_of(criterion, {**known, **dict(zip(unknown, combo, strict=True))})
        for combo in product([False, True], repeat=len(unknown))
    }
    return outcomes.pop() if len(outcomes) == 1 else Verdict.COULD_NOT_GRADE


def matters(criterion: Criterion, results: Results, check_id: str, pending: list[str]) -> bool:
    """True when the value of `check_id` could change the verdict, whatever the unknown results
    and the other `pending` checks turn out to be (used to skip useless model calls)."""
    known = {cid: value for cid, value in results.items() if value is not None}
    free = [cid for cid, value in results.items() if value is None] + [p for p in pending if p != check_id]
    if len(free) > MAX_UNKNOWN:
        return True
    for combo in product([False, True], repeat=len(free)):
        values = {**known, **dict(zip(free, combo, strict=True))}
        if verdict_of(criterion, {**values, check_id: True}) != verdict_of(
            criterion, {**values, check_id: False}
        ):
            return True
    return False


def deciding_sources(criterion: Criterion, results: Results, sources: dict[str, str]) -> list[str]:
    """Sorted sources of the known checks whose result alone, if wrong, would turn the verdict
    ('none' when no single check could): what decided it, the key of its calibrated confidence."""
    verdict = decide(criterion, results)
    found = {
        sources.get(check_id, "unknown")
        for check_id, value in results.items()
        if value is not None and decide(criterion, {**results, check_id: not value}) != verdict
    }
    return sorted(found) or ["none"]


def grade_deciding_sources(criterion: Criterion, grade: CriterionGrade) -> list[str]:
    """`deciding_sources` of the checks a grade shows (as the grader saw them)."""
    known = [c for c in grade.checks if c.source != "unavailable"]
    results = {c.check_id: c.passed for c in known}
    return deciding_sources(criterion, results, {c.check_id: c.source for c in known})
