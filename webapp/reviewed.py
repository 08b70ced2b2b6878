"""Reviewed sessions gathered from storage: what the agreement screen and the label export read.

Only sessions whose latest grade has at least one trainer decision count; a confirmation is a
label as much as a change.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from evaluation.review_agreement import ReviewedGrade
from webapp.storage import GradeRecord, Repository, SessionRecord


class ReviewedSession(BaseModel):
    session: SessionRecord
    grade: GradeRecord = Field(description="The session's latest grade, with every review of it.")

    def reviewed_grade(self) -> ReviewedGrade:
        """The evaluation side's view of it (grader report, reviews, what filters look at)."""
        return ReviewedGrade(
            session_id=self.session.id,
            report=self.grade.report,
            reviews=self.grade.reviews,
            cohort=self.session.cohort,
            scenario_id=self.session.scenario_id,
            trainee=self.session.username,
        )


def reviewed_sessions(
    repo: Repository,
    *,
    cohort: str | None = None,
    scenario_id: str | None = None,
    since: datetime | None = None,
) -> list[ReviewedSession]:
    """Sessions with at least one reviewed criterion, newest first, filtered in SQL."""
    found = []
    for session in repo.list_sessions(cohort=cohort, scenario_id=scenario_id, since=since):
        if session.review is None or not session.review.reviewed:
            continue
        grade = repo.latest_grade(session.id)
        if grade is not None:
            found.append(ReviewedSession(session=session, grade=grade))
    return found
