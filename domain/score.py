"""The one session score: what share of the applicable criteria the trainee acquired.

Why "non évalué (erreur)" stays in the denominator: a grader failure is no evidence that
the trainee did well, and leaving it out let a grade made mostly of errors show a high
score on the few criteria that did get graded. It earns nothing and the score says how
many criteria it could not grade. "Non observable" (the situation never arose) is out.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field

from domain.grades import Verdict

CREDIT: dict[Verdict, float] = {
    Verdict.ACQUIRED: 1.0,
    Verdict.PARTIAL: 0.5,
    Verdict.NOT_ACQUIRED: 0.0,
    Verdict.COULD_NOT_GRADE: 0.0,
}
"""Credit per verdict; a verdict absent from here (non observable) is not applicable."""


class Score(BaseModel):
    """A session's score and what it was computed on."""

    value: float | None = Field(
        description="Share of applicable criteria acquired (partial ½, not graded 0), 0–1, rounded to "
        "4 places; None when no criterion was applicable."
    )
    counted: int = Field(description="Criteria in the denominator, the not graded ones included.")
    not_graded: int = Field(description="Criteria the grader could not grade (0 credit, counted).")
    not_observed: int = Field(description="Criteria whose situation never arose (not counted).")

    @property
    def percent(self) -> str:
        """« 62 % », or « – » when nothing was applicable."""
        return "–" if self.value is None else f"{self.value * 100:.0f} %"

    @property
    def label_fr(self) -> str:
        """« 62 % (2 critères non évalués) »: the figure and, when any, the criteria it lacks."""
        if self.value is None:
            return "– (aucun critère applicable)"
        if not self.not_graded:
            return self.percent
        plural = "s" if self.not_graded > 1 else ""
        return f"{self.percent} ({self.not_graded} critère{plural} non évalué{plural})"


def score_verdicts(verdicts: Iterable[Verdict]) -> Score:
    """The score of a set of final verdicts (one per criterion)."""
    verdicts = [Verdict(v) for v in verdicts]
    credits = [CREDIT[v] for v in verdicts if v in CREDIT]
    return Score(
        value=round(sum(credits) / len(credits), 4) if credits else None,
        counted=len(credits),
        not_graded=sum(v == Verdict.COULD_NOT_GRADE for v in verdicts),
        not_observed=sum(v == Verdict.NOT_OBSERVED for v in verdicts),
    )


def acquisition_rate(verdicts: Iterable[Verdict]) -> float | None:
    """How often one criterion was acquired across sessions (partial ½), for the cohort view.

    Not the session score: a rate describes the trainees on one criterion, so a grader error
    (no evidence either way) is left out instead of counting as a failure that would colour
    the cell red; non observable is left out too. None when no session gave evidence.
    """
    credits = [CREDIT[v] for v in verdicts if v in CREDIT and v != Verdict.COULD_NOT_GRADE]
    return round(sum(credits) / len(credits), 4) if credits else None
