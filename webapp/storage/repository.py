"""The app's persistence API: accounts, sessions, grades and trainer overrides.

Every public method is one transaction; a grade (row + session status + final
transcript) or an override (row + new score) is committed whole or not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crca.settings import AuthSettings
from domain.grades import GradeReport, Verdict
from domain.review import Review
from domain.score import score_verdicts
from domain.transcript import Transcript
from webapp.storage.database import StorageError, open_sessionmaker
from webapp.storage.models import GradeRow, OverrideRow, SessionRow, UserRow, utcnow
from webapp.storage.records import GradeRecord, SessionRecord, SessionSource
from webapp.storage.signin import SignInMixin


def _review(row: OverrideRow) -> Review:
    """The domain review of a stored override row (the column keeps its historical name)."""
    return Review(
        criterion_id=row.criterion_id,
        verdict=Verdict(row.new_verdict),
        original_verdict=Verdict(row.original_verdict),
        comment=row.comment,
        author=row.author,
        at=row.at,
    )


class Repository(SignInMixin):
    """Persistence used by the UI handlers and the admin CLI."""

    def __init__(
        self, sessions: sessionmaker[Session], auth: AuthSettings | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:  # fmt: skip
        self._sessions, self.auth, self.clock = sessions, auth or AuthSettings(), clock

    @classmethod
    def open(cls, url: str, auth: AuthSettings | None = None, *, auto_upgrade: bool = True) -> Repository:
        """Connect to `url`, upgrading the schema (or refusing, with `auto_upgrade` off); `auth` is
        the sign-in policy."""
        return cls(open_sessionmaker(url, auto_upgrade=auto_upgrade), auth)

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self._sessions() as db, db.begin():
            yield db

    # Sessions -----------------------------------------------------------------------------------
    def create_session(
        self, user_id: int, transcript: Transcript, *, source: SessionSource = "practice"
    ) -> SessionRecord:
        with self._tx() as db:
            row = SessionRow(
                id=uuid.uuid4().hex,
                user_id=user_id,
                scenario_id=transcript.scenario_id,
                source=source,
                transcript_json=transcript.model_dump_json(),
            )
            db.add(row)
            db.flush()
            return self._session_record(db, row)

    def save_transcript(self, session_id: str, transcript: Transcript, *, error: str | None = None) -> None:
        """Store the transcript after a turn; `error` records (or clears) the last failure."""
        with self._tx() as db:
            row = self._session_row(db, session_id)
            row.transcript_json = transcript.model_dump_json()
            row.last_error = error
            row.updated_at = utcnow()

    def mark_error(self, session_id: str, message: str) -> None:
        with self._tx() as db:
            row = self._session_row(db, session_id)
            row.status, row.last_error, row.updated_at = "error", message, utcnow()

    def get_session(self, session_id: str) -> SessionRecord | None:
        with self._tx() as db:
            row = db.get(SessionRow, session_id)
            return self._session_record(db, row) if row else None

    def list_sessions(
        self,
        *,
        user_id: int | None = None,
        scenario_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[SessionRecord]:
        """Newest first, filtered in SQL on owner, scenario and creation date."""
        query = select(SessionRow).order_by(SessionRow.created_at.desc())
        if user_id is not None:
            query = query.where(SessionRow.user_id == user_id)
        if scenario_id:
            query = query.where(SessionRow.scenario_id == scenario_id)
        if since is not None:
            query = query.where(SessionRow.created_at >= since)
        if until is not None:
            query = query.where(SessionRow.created_at <= until)
        with self._tx() as db:
            return [self._session_record(db, row) for row in db.scalars(query)]

    # Grades and overrides -----------------------------------------------------------------------
    def save_grade(
        self, session_id: str, report: GradeReport, *, transcript: Transcript | None = None
    ) -> GradeRecord:
        """Write the grade, the final transcript and the 'graded' status in one transaction."""
        with self._tx() as db:
            session = self._session_row(db, session_id)
            row = GradeRow(
                session_id=session_id,
                report_json=report.model_dump_json(),
                backend=report.grader.backend,
                model=report.grader.model,
                score=score_verdicts(g.verdict for g in report.criteria).value,
            )
            db.add(row)
            db.flush()
            if transcript is not None:
                session.transcript_json = transcript.model_dump_json()
            session.status, session.last_error, session.updated_at = "graded", None, utcnow()
            return self._grade_record(db, row)

    def latest_grade(self, session_id: str) -> GradeRecord | None:
        with self._tx() as db:
            row = db.scalar(
                select(GradeRow).where(GradeRow.session_id == session_id).order_by(GradeRow.id.desc())
            )
            return self._grade_record(db, row) if row else None

    def add_override(
        self, grade_id: int, criterion_id: str, verdict: Verdict, comment: str, author: str
    ) -> Review:
        """Record a trainer's verdict; the grader's original is kept beside it."""
        with self._tx() as db:
            grade = db.get(GradeRow, grade_id)
            if grade is None:
                raise StorageError(f"Évaluation introuvable : {grade_id}.")
            record = self._grade_record(db, grade)
            original = {g.criterion_id: g.verdict for g in record.report.criteria}
            if criterion_id not in original:
                raise StorageError(f"Critère absent de cette évaluation : {criterion_id}.")
            row = OverrideRow(
                grade_id=grade_id,
                criterion_id=criterion_id,
                original_verdict=original[criterion_id].value,
                new_verdict=Verdict(verdict).value,
                comment=comment.strip(),
                author=author,
            )
            db.add(row)
            db.flush()
            verdicts = record.effective_verdicts() | {criterion_id: Verdict(verdict)}
            grade.score = score_verdicts(verdicts.values()).value
            return _review(row)

    # Row → record -------------------------------------------------------------------------------
    @staticmethod
    def _session_row(db: Session, session_id: str) -> SessionRow:
        row = db.get(SessionRow, session_id)
        if row is None:
            raise StorageError(f"Session introuvable : {session_id}.")
        return row

    @staticmethod
    def _session_record(db: Session, row: SessionRow) -> SessionRecord:
        user = db.get_one(UserRow, row.user_id)
        score = db.scalar(
            select(GradeRow.score).where(GradeRow.session_id == row.id).order_by(GradeRow.id.desc())
        )
        return SessionRecord(
            id=row.id,
            user_id=row.user_id,
            username=user.username,
            scenario_id=row.scenario_id,
            source=row.source,  # type: ignore[arg-type]
            status=row.status,  # type: ignore[arg-type]
            transcript=Transcript.model_validate_json(row.transcript_json),
            last_error=row.last_error,
            created_at=row.created_at,
            updated_at=row.updated_at,
            score=score,
        )

    @staticmethod
    def _grade_record(db: Session, row: GradeRow) -> GradeRecord:
        query = select(OverrideRow).where(OverrideRow.grade_id == row.id).order_by(OverrideRow.id)
        overrides = db.scalars(query)
        return GradeRecord(
            id=row.id,
            session_id=row.session_id,
            report=GradeReport.model_validate_json(row.report_json),
            backend=row.backend,
            model=row.model,
            score=row.score,
            created_at=row.created_at,
            overrides=[_review(o) for o in overrides],
        )
