"""Grades flowing out of the grader: per criterion, per bloc, per transcript."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field


class Verdict(StrEnum):
    ACQUIRED = "acquired"
    PARTIAL = "partial"
    NOT_ACQUIRED = "not_acquired"
    NOT_OBSERVED = "not_observed"
    COULD_NOT_GRADE = "could_not_grade"


VERDICT_LABELS_FR: dict[Verdict, str] = {
    Verdict.ACQUIRED: "acquis",
    Verdict.PARTIAL: "partiellement acquis",
    Verdict.NOT_ACQUIRED: "non acquis",
    Verdict.NOT_OBSERVED: "non observable",
    Verdict.COULD_NOT_GRADE: "non évalué (erreur)",
}


Confidence = Literal["sure", "to_confirm"]
CONFIDENCE_LABELS_FR: dict[str, str] = {"sure": "sûr", "to_confirm": "à confirmer"}
"""'sure': verdicts of the same kind (criterion, verdict, sources that could turn it) agreed with the
assessors often enough on the development sets; 'to_confirm': a trainer should read the quotes."""


class Evidence(BaseModel):
    """A verbatim quote from one turn; verified against the transcript before display."""

    turn: int = Field(ge=0, description="Index of the turn in the transcript.")
    quote: str = Field(description="Exact substring of that turn's text.")


class CheckResult(BaseModel):
    """Outcome of one atomic check."""

    check_id: str
    passed: bool | None = Field(description="None when the check could not be run.")
    source: str = Field(description="'cues', 'actions', 'model', 'detector' or 'error'.")
    evidence: list[Evidence] = Field(default_factory=list)
    note: str = Field(default="", description="Short French explanation.")


class CriterionGrade(BaseModel):
    criterion_id: str
    verdict: Verdict
    justification: str = Field(description="French justification, written before the verdict.")
    evidence: list[Evidence] = Field(default_factory=list)
    tip: str | None = Field(default=None, description="One improvement tip when not acquired.")
    checks: list[CheckResult] = Field(default_factory=list)
    error: str | None = Field(default=None, description="Why it could not be graded.")
    articles: list[str] = Field(default_factory=list, description="Contract articles cited.")
    adjusted_from: Verdict | None = Field(
        default=None,
        description="The checks' verdict when the handling's overall level moved it (None: not moved).",
    )
    level_decided: bool = Field(
        default=False,
        description="The handling's overall level set this verdict (moved or confirmed it).",
    )
    confidence: Confidence | None = Field(
        default=None, description="'sure' or 'to_confirm' (see CONFIDENCE_LABELS_FR); None in old reports."
    )
    confidence_reason: str = Field(
        default="",
        description="French reason shown after the confidence label (how often such verdicts agreed).",
    )
    to_verify: list[str] = Field(
        default_factory=list,
        description="Uncertain contract contradictions shown to the trainer « à vérifier », not counted.",
    )


def confidence_text(grade: CriterionGrade) -> str:
    """« sûr — ce type de verdict a été confirmé… »: the label and, when known, why."""
    if grade.confidence is None:
        return "non indiquée"
    label = CONFIDENCE_LABELS_FR[grade.confidence]
    return f"{label} — {grade.confidence_reason}" if grade.confidence_reason else label


class GraderInfo(BaseModel):
    backend: str
    model: str


class BlocSummary(BaseModel):
    bloc: int
    counts: dict[Verdict, int]
    text: str


class GradeReport(BaseModel):
    """Everything a trainer reads about one transcript."""

    transcript_id: str
    rubric_version: str
    grader: GraderInfo
    criteria: list[CriterionGrade]
    blocs: list[BlocSummary] = Field(default_factory=list)
    summary: str = ""

    def grade(self, criterion_id: str) -> CriterionGrade:
        for g in self.criteria:
            if g.criterion_id == criterion_id:
                return g
        raise KeyError(criterion_id)


def bloc_of(criterion_id: str) -> int:
    """Bloc number from an id such as 'B2.4' (0 for an id of no bloc)."""
    return int(criterion_id[1]) if criterion_id[:1] == "B" and criterion_id[1:2].isdigit() else 0
