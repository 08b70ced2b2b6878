"""The app's persistence API: accounts, sessions, grades and trainer reviews.

Every public method is one transaction; grades and reviews live in `grades.GradesMixin`,
accounts and sign-in in `signin.SignInMixin`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crca.settings import AuthSettings
from domain.transcript import Transcript
from webapp.storage.database import open_sessionmaker
from webapp.storage.grades import GradesMixin
from webapp.storage.models import SessionRow, UserRow, utcnow
from webapp.storage.records import SessionRecord, SessionSource
from webapp.storage.signin import SignInMixin


class Repository(GradesMixin, SignInMixin):
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
        self,
        user_id: int,
        transcript: Transcript,
        *,
        source: SessionSource = "practice",
        session_id: str | None = None,
    ) -> SessionRecord:
        """A new session; `session_id` (32 characters at most) defaults to a fresh random one."""
        with self._tx() as db:
            row = SessionRow(
                id=session_id or uuid.uuid4().hex,
                user_id=user_id,
                scenario_id=transcript.scenario_id,
                source=source,
                transcript_json=transcript.model_dump_json(),
            )
            db.add(row)
            db.flush()
            return self._session_records(db, [row])[0]

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
            return self._session_records(db, [row])[0] if row else None

    def list_sessions(
        self,
        *,
        user_id: int | None = None,
        scenario_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        cohort: str | None = None,
    ) -> list[SessionRecord]:
        """Newest first, filtered in SQL on owner, scenario, creation date and the trainee's cohort."""
        query = select(SessionRow).order_by(SessionRow.created_at.desc())
        if user_id is not None:
            query = query.where(SessionRow.user_id == user_id)
        if scenario_id:
            query = query.where(SessionRow.scenario_id == scenario_id)
        if since is not None:
            query = query.where(SessionRow.created_at >= since)
        if until is not None:
            query = query.where(SessionRow.created_at <= until)
        if cohort:
            query = query.join(UserRow, UserRow.id == SessionRow.user_id).where(UserRow.cohort == cohort)
        with self._tx() as db:
            return self._session_records(db, list(db.scalars(query)))

    # Row → record -------------------------------------------------------------------------------
    def _session_records(self, db: Session, rows: list[SessionRow]) -> list[SessionRecord]:
        users = {
            u.id: u for u in db.scalars(select(UserRow).where(UserRow.id.in_({r.user_id for r in rows})))
        }
        latest = self._latest_grades(db, [r.id for r in rows])
        records = []
        for row in rows:
            graded = latest.get(row.id)
            records.append(
                SessionRecord(
                    id=row.id,
                    user_id=row.user_id,
                    username=users[row.user_id].username,
                    scenario_id=row.scenario_id,
                    source=row.source,  # type: ignore[arg-type]
                    status=row.status,  # type: ignore[arg-type]
                    transcript=Transcript.model_validate_json(row.transcript_json),
                    last_error=row.last_error,
                    created_at=row.created_at,
                    updated_at=row.updated_at,
                    score=graded.score if graded else None,
                    score_detail=graded.detail if graded else None,
                    cohort=users[row.user_id].cohort,
                    review=graded.review if graded else None,
                )
            )
        return records
