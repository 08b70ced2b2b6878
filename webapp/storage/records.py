"""What the repository hands out: pydantic records, never ORM rows (no lazy-load surprises)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from domain.grades import GradeReport, Verdict
from domain.review import Review
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


class GradeRecord(BaseModel):
    id: int
    session_id: str
    report: GradeReport = Field(description="The grader's report as produced, without overrides.")
    backend: str
    model: str
    score: float | None
    created_at: datetime
    overrides: list[Review] = Field(default_factory=list, description="Oldest first.")

    def effective_verdicts(self) -> dict[str, Verdict]:
        """Criterion → verdict, the trainer's latest override winning over the grader."""
        verdicts = {g.criterion_id: g.verdict for g in self.report.criteria}
        for override in self.overrides:
            verdicts[override.criterion_id] = override.verdict
        return verdicts
