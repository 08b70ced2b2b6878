"""What the repository hands out: pydantic records, never ORM rows (no lazy-load surprises)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from domain.grades import GradeReport, Verdict
from domain.review import Review, ReviewStatus, latest_reviews, review_status
from domain.score import Score, score_verdicts
from domain.transcript import Transcript

UserRole = Literal["trainee", "trainer"]
SessionStatus = Literal["in_progress", "graded", "error"]
SessionSource = Literal["practice", "import"]

ROLE_LABELS_FR: dict[str, str] = {"trainee": "stagiaire", "trainer": "formateur"}
STATUS_LABELS_FR: dict[str, str] = {"in_progress": "en cours", "graded": "évaluée", "error": "erreur"}


class UserInfo(BaseModel):
    id: int
    username: str
    role: UserRole
    created_at: datetime
    cohort: str | None = Field(default=None, description="The trainee's training group, if any.")


class SessionRecord(BaseModel):
    id: str
    user_id: int
    username: str
    scenario_id: str | None
    source: SessionSource = Field(description="'practice' in the app, 'import' for a recorded dialogue.")
    status: SessionStatus
    transcript: Transcript
    last_error: str | None = None
    created_at: datetime
    updated_at: datetime
    score: float | None = Field(default=None, description="Latest grade's score, trainer verdicts applied.")
    score_detail: Score | None = Field(
        default=None, description="The same score with its counts (« 62 % (2 critères non évalués) »)."
    )
    cohort: str | None = Field(default=None, description="The trainee's cohort (as it is now).")
    review: ReviewStatus | None = Field(
        default=None, description="How far trainers reviewed the latest grade; None before any grade."
    )

    @property
    def awaiting_review(self) -> bool:
        """Graded and not every criterion reviewed yet: what a trainer should read next."""
        return self.status == "graded" and self.review is not None and not self.review.complete


def awaiting_review_first(sessions: Iterable[SessionRecord]) -> list[SessionRecord]:
    """Sessions awaiting review (newest first), then the others (newest first)."""
    newest = sorted(sessions, key=lambda s: s.created_at, reverse=True)
    return [s for s in newest if s.awaiting_review] + [s for s in newest if not s.awaiting_review]


class GradeRecord(BaseModel):
    id: int
    session_id: str
    report: GradeReport = Field(description="The grader's report as produced, without reviews.")
    backend: str
    model: str
    score: float | None
    created_at: datetime
    reviews: list[Review] = Field(
        default_factory=list, description="Every trainer decision (confirmations too), oldest first."
    )

    def effective_verdicts(self) -> dict[str, Verdict]:
        """Criterion → final verdict, the trainer's latest decision winning over the grader."""
        verdicts = self.grader_verdicts()
        return verdicts | {cid: r.verdict for cid, r in latest_reviews(self.reviews).items()}

    def grader_verdicts(self) -> dict[str, Verdict]:
        return {g.criterion_id: g.verdict for g in self.report.criteria}

    def review_status(self) -> ReviewStatus:
        return review_status(self.grader_verdicts(), self.reviews)

    def final_score(self) -> Score:
        """The score with its counts (the `score` column holds its value)."""
        return score_verdicts(self.effective_verdicts().values())
