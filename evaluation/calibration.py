"""The arithmetic of the confidence calibration, pure so it is tested apart from any grading.

Why leave one set out: a kind's agreement measured on the verdicts it then marks « sûr » is
flattering; judging each development set with a table built from the others estimates what a
new set will see, and the threshold is chosen on that estimate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from pydantic import BaseModel, Field

from domain.grades import CriterionGrade, Verdict
from evaluation.confidence import MOVED, Calibration, Estimate, Kind, kind_key
from evaluation.verdicts import grade_deciding_sources
from rubrics.models import Criterion

GRID = tuple(n / 100 for n in range(50, 101))
"""Thresholds tried, from 50 % to 100 %."""


class Decision(BaseModel):
    """One labelled verdict of a development set and what decided it."""

    set_name: str
    transcript_id: str
    criterion_id: str
    verdict: Verdict
    label: Verdict = Field(description="The assessor's verdict.")
    sources: list[str] = Field(description="Sorted sources of the checks that could turn it.")

    @property
    def key(self) -> str:
        return kind_key(self.criterion_id, self.verdict, self.sources)

    @property
    def agrees(self) -> bool:
        return self.verdict == self.label


def decision_of(
    set_name: str, transcript_id: str, criterion: Criterion, grade: CriterionGrade, label: str
) -> Decision:
    """The decision behind a grade, from the checks it shows (as the grader saw them)."""
    if grade.level_decided:
        deciding = MOVED
    elif grade.adjusted_from == Verdict.NOT_OBSERVED:
        deciding = ["case"]  # the case key made it observable (evaluation.case_observable)
    else:
        deciding = grade_deciding_sources(criterion, grade)
    return Decision(
        set_name=set_name, transcript_id=transcript_id, criterion_id=grade.criterion_id,
        verdict=grade.verdict, label=Verdict(label), sources=deciding,
    )  # fmt: skip


def kinds_of(decisions: Sequence[Decision]) -> list[Kind]:
    """Support and agreement of each kind of decision (undetermined verdicts have none)."""
    counts: dict[str, tuple[Decision, int, int]] = {}
    for d in decisions:
        if d.verdict == Verdict.COULD_NOT_GRADE:
            continue
        first, support, agreed = counts.get(d.key, (d, 0, 0))
        counts[d.key] = (first, support + 1, agreed + d.agrees)
    return [
        Kind(criterion=d.criterion_id, verdict=d.verdict, sources=d.sources, support=n, agreed=a)
        for d, n, a in sorted(counts.values(), key=lambda v: v[0].key)
    ]


def _names(decisions: Sequence[Decision]) -> list[str]:
    return list(dict.fromkeys(d.set_name for d in decisions))


class Rule(NamedTuple):
    threshold: float | None
    min_support: int


def _table(decisions: Sequence[Decision], rule: Rule) -> Calibration:
    return Calibration(
        sets=_names(decisions) or ["-"], backend="-", target=1.0,
        threshold=rule.threshold, min_support=rule.min_support,
        cross_validated=Estimate(verdicts=0, sure=0, sure_agreed=0), kinds=kinds_of(decisions),
    )  # fmt: skip


def judged(table: Calibration, decisions: Sequence[Decision]) -> Estimate:
    """« Sûr » verdicts among `decisions` under `table`, and how many of them agreed."""
    sure = [
        d
        for d in decisions
        if d.verdict != Verdict.COULD_NOT_GRADE
        and table.is_sure(table.kind(d.criterion_id, d.verdict, d.sources))
    ]
    return Estimate(verdicts=len(decisions), sure=len(sure), sure_agreed=sum(d.agrees for d in sure))


def per_set(decisions: Sequence[Decision], rule: Rule) -> dict[str, Estimate]:
    """Each set judged by the table of the other sets."""
    return {
        name: judged(
            _table([d for d in decisions if d.set_name != name], rule),
            [d for d in decisions if d.set_name == name],
        )
        for name in _names(decisions)
    }


def cross_validate(decisions: Sequence[Decision], rule: Rule) -> Estimate:
    """Each set judged by the table of the other sets, summed over the sets."""
    parts = per_set(decisions, rule).values()
    return Estimate(
        verdicts=sum(p.verdicts for p in parts),
        sure=sum(p.sure for p in parts),
        sure_agreed=sum(p.sure_agreed for p in parts),
    )


def choose_threshold(
    decisions: Sequence[Decision], target: float, min_support: int, grid: Sequence[float] = GRID
) -> tuple[float | None, Estimate]:
    """The threshold of the grid whose cross-validated « sûr » verdicts hold `target` accuracy at
    the largest coverage (the higher threshold on a tie); None when none does."""
    best: tuple[float | None, Estimate] = (None, Estimate(verdicts=len(decisions), sure=0, sure_agreed=0))
    for threshold in sorted(grid, reverse=True):
        estimate = cross_validate(decisions, Rule(threshold, min_support))
        if estimate.sure and estimate.accuracy >= target and estimate.sure > best[1].sure:
            best = (threshold, estimate)
    return best


def calibrate(decisions: Sequence[Decision], *, target: float, min_support: int, backend: str) -> Calibration:
    """The calibration file's content: every kind of all the sets, the cross-validated threshold."""
    threshold, estimate = choose_threshold(decisions, target, min_support)
    return Calibration(
        sets=_names(decisions), backend=backend, target=target, threshold=threshold,
        min_support=min_support, cross_validated=estimate, kinds=kinds_of(decisions),
    )  # fmt: skip
