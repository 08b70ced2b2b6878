"""Report views and trainer handlers: session list, reviews, exports, cohort view.

Every trainer handler starts with `require_trainer`, so a trainee is refused even when
calling the endpoint directly.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from pathlib import Path

from pydantic import BaseModel, Field

from domain.grades import Verdict
from domain.score import acquisition_rate
from evaluation.reports import ReviewedReport, apply_overrides, id_order
from evaluation.review_agreement import AgreementDashboard, AgreementFilters, agreement_dashboard
from rubrics.models import Rubric
from webapp.reviewed import reviewed_sessions
from webapp.storage import STATUS_LABELS_FR, GradeRecord, SessionRecord, StorageError
from webapp.ui.auth import UIError, require_trainer
from webapp.ui.practice import session_for
from webapp.ui.services import AppServices


class SessionFilters(BaseModel):
    trainee: str | None = None
    cohort: str | None = Field(default=None, description="The trainees' cohort (`crca users cohort`).")
    scenario_id: str | None = None
    since: date | None = None
    until: date | None = None
    min_score: float | None = Field(default=None, description="Minimum score in percent.")
    max_score: float | None = Field(default=None, description="Maximum score in percent.")


class ReportView(BaseModel):
    """A session with its latest grade, trainer verdicts applied."""

    session: SessionRecord
    grade: GradeRecord | None = None
    report: ReviewedReport | None = None


def reviewed(grade: GradeRecord, rubric: Rubric | None = None) -> ReviewedReport:
    """The grade's report with the trainers' verdicts applied and its texts, counts and score
    regenerated (what every view and export shows)."""
    return apply_overrides(grade.report, grade.reviews, rubric)


def report_view(services: AppServices, token: str | None, session_id: str | None) -> ReportView:
    """A session the user may see (own, or any for a trainer) with its reviewed report."""
    session = session_for(services, token, session_id)
    grade = services.repo.latest_grade(session.id)
    report = reviewed(grade, services.rubric.get()) if grade else None
    return ReportView(session=session, grade=grade, report=report)


def list_sessions(services: AppServices, token: str | None, filters: SessionFilters) -> list[SessionRecord]:
    """All trainees' sessions matching the filters (trainers only)."""
    require_trainer(services, token)
    since = datetime.combine(filters.since, time.min, UTC) if filters.since else None
    until = datetime.combine(filters.until, time.max, UTC) if filters.until else None
    found = services.repo.list_sessions(
        scenario_id=filters.scenario_id or None, since=since, until=until, cohort=filters.cohort or None
    )
    if filters.trainee:
        found = [s for s in found if s.username == filters.trainee]
    if filters.min_score is not None:
        found = [s for s in found if s.score is not None and s.score * 100 >= filters.min_score]
    if filters.max_score is not None:
        found = [s for s in found if s.score is not None and s.score * 100 <= filters.max_score]
    return found


def record_review(
    services: AppServices, token: str | None, session_id: str, criterion_id: str, verdict: str, comment: str
) -> ReportView:
    """Confirm or change one verdict of the session's latest grade (a change needs a comment:
    `Review.decide`); the report view comes back with every derived part regenerated."""
    trainer = require_trainer(services, token)
    grade = services.repo.latest_grade(session_id)
    if grade is None:
        raise UIError("Cette session n'a pas encore été évaluée.")
    try:
        services.repo.add_review(grade.id, criterion_id, verdict, comment, trainer.username)
    except StorageError as exc:
        raise UIError(str(exc)) from exc
    return report_view(services, token, session_id)


def sessions_csv(services: AppServices, token: str | None, filters: SessionFilters) -> str:
    """One row per session: who, what, when, score (and how many criteria it could not grade),
    review progress and each criterion's final (trainer) verdict."""
    rows = []
    for session in list_sessions(services, token, filters):
        grade = services.repo.latest_grade(session.id)
        verdicts = {cid: v.value for cid, v in grade.effective_verdicts().items()} if grade else {}
        rows.append((session, grade, verdicts))
    ids = sorted({cid for _, _, v in rows for cid in v}, key=id_order)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    head = ["session_id", "stagiaire", "cohorte", "scenario", "source", "cree_le", "statut", "score",
            "non_evalues", "relus", "evaluateur"]  # fmt: skip
    writer.writerow([*head, *ids])
    for session, grade, verdicts in rows:
        score = "" if session.score is None else f"{session.score * 100:.0f}"
        grader = f"{grade.backend}:{grade.model}" if grade else ""
        not_graded = str(session.score_detail.not_graded) if session.score_detail else ""
        progress = f"{session.review.reviewed}/{session.review.criteria}" if session.review else ""
        writer.writerow(
            [session.id, session.username, session.cohort or "", session.scenario_id or "", session.source,
             session.created_at.isoformat(timespec="seconds"), STATUS_LABELS_FR[session.status], score,
             not_graded, progress, grader,
             *(verdicts.get(cid, "") for cid in ids)]
        )  # fmt: skip
    return out.getvalue()


class TimelinePoint(BaseModel):
    trainee: str
    at: datetime
    score: float
    session_id: str


class Cohort(BaseModel):
    """Acquisition rates (0–1; partial counts half, grader errors left out: `acquisition_rate`) per
    criterion and trainee, and scores over time."""

    trainees: list[str]
    criteria: list[str]
    rates: dict[str, dict[str, float | None]] = Field(description="criterion → trainee → rate.")
    overall: dict[str, float | None] = Field(description="criterion → rate across all trainees.")
    timeline: list[TimelinePoint]


def cohort(services: AppServices, token: str | None, filters: SessionFilters | None = None) -> Cohort:
    """The cohort view over graded sessions (trainers only)."""
    sessions = list_sessions(services, token, filters or SessionFilters())
    seen: dict[str, dict[str, list[Verdict]]] = defaultdict(lambda: defaultdict(list))
    timeline = []
    for session in sessions:
        grade = services.repo.latest_grade(session.id)
        if grade is None:
            continue
        for criterion_id, verdict in grade.effective_verdicts().items():
            seen[criterion_id][session.username].append(verdict)
        if grade.score is not None:
            timeline.append(TimelinePoint(trainee=session.username, at=session.created_at,
                                          score=grade.score, session_id=session.id))  # fmt: skip
    trainees = sorted({t for per in seen.values() for t in per})
    criteria = sorted(seen, key=id_order)
    return Cohort(
        trainees=trainees,
        criteria=criteria,
        rates={c: {t: acquisition_rate(seen[c].get(t, [])) for t in trainees} for c in criteria},
        overall={c: acquisition_rate(v for per in seen[c].values() for v in per) for c in criteria},
        timeline=sorted(timeline, key=lambda p: p.at),
    )


def agreement(
    services: AppServices, token: str | None, filters: AgreementFilters | None = None
) -> AgreementDashboard:
    """Grader vs trainers over every reviewed session the filters keep (trainers only).

    All reviewed sessions are read so the filter choices list every cohort, scenario and rubric
    version; the filters then apply to the figures."""
    require_trainer(services, token)
    grades = [found.reviewed_grade() for found in reviewed_sessions(services.repo)]
    return agreement_dashboard(grades, filters, services.rubric.get())


def write_export(directory: Path, name: str, content: str) -> Path:
    """Write an export file for download (Gradio serves files from its temp directory)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(content, encoding="utf-8")
    return path


def trainee_names(sessions: Iterable[SessionRecord]) -> list[str]:
    return sorted({s.username for s in sessions})
