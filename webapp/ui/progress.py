"""A trainee's progress per criterion across their graded sessions, trainer verdicts applied."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from domain.grades import Verdict
from domain.score import acquisition_rate
from evaluation.reports import bloc_of, id_order
from webapp.ui.practice import my_sessions
from webapp.ui.services import AppServices


class ProgressSession(BaseModel):
    session_id: str
    at: datetime
    scenario_id: str | None


class TraineeProgress(BaseModel):
    """Graded sessions oldest first; per criterion, the verdict in force in each (None: not graded)."""

    sessions: list[ProgressSession]
    criteria: list[str]
    verdicts: dict[str, list[Verdict | None]] = Field(description="criterion → one verdict per session.")

    def bloc_rates(self) -> list[tuple[int, int, float]]:
        """(session number from 1, bloc, acquisition rate 0–1) for every bloc observed in a session."""
        points = []
        for index in range(len(self.sessions)):
            for bloc in sorted({bloc_of(c) for c in self.criteria}):
                seen = [v[index] for c, v in self.verdicts.items() if bloc_of(c) == bloc and v[index]]
                rate = acquisition_rate(v for v in seen if v is not None)
                if rate is not None:
                    points.append((index + 1, bloc, rate))
        return points


def my_progress(services: AppServices, token: str | None) -> TraineeProgress:
    """The signed-in user's own graded sessions (a trainee never sees another's)."""
    graded = []
    for session in reversed(my_sessions(services, token)):
        grade = services.repo.latest_grade(session.id) if session.status == "graded" else None
        if grade is not None:
            graded.append((session, grade.effective_verdicts()))
    criteria = sorted({c for _, verdicts in graded for c in verdicts}, key=id_order)
    return TraineeProgress(
        sessions=[
            ProgressSession(session_id=s.id, at=s.created_at, scenario_id=s.scenario_id) for s, _ in graded
        ],
        criteria=criteria,
        verdicts={c: [verdicts.get(c) for _, verdicts in graded] for c in criteria},
    )
