"""A trainer's review of a grade: per criterion, confirm the grader's verdict or change it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from domain.grades import Verdict


class Review(BaseModel):
    """A trainer's decision on one criterion, stored beside the grader's report and shown in exports.

    The one review type: storage maps its rows onto it and reports apply it, so the app needs
    no bridge between two override models.
    """

    criterion_id: str = Field(description="Rubric criterion reviewed, e.g. 'B1.4'.")
    verdict: Verdict = Field(description="The trainer's verdict, which exports show.")
    original_verdict: Verdict | None = Field(
        default=None, description="The grader's verdict, kept for the record once stored or applied."
    )
    comment: str = Field(default="", description="Why, in the trainer's words.")
    author: str = Field(description="Username of the trainer.")
    at: datetime = Field(description="When the decision was recorded.")

    @property
    def confirms(self) -> bool:
        """True when the trainer kept the grader's verdict."""
        return self.verdict == self.original_verdict
