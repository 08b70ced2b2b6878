"""Sign-in tokens with an idle and an absolute lifetime; only their SHA-256 is stored.

Why both: the idle limit closes a session left open on a shared training-room computer,
the absolute one bounds what a stolen token is worth (one training day at most).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from webapp.storage.mixin import StoreMixin
from webapp.storage.models import SignInTokenRow, UserRow
from webapp.storage.records import UserInfo

TOUCH_EVERY = timedelta(minutes=1)
"""Last use is written at most once a minute: a chat turn should not always cost a write."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_info(row: UserRow) -> UserInfo:
    return UserInfo(id=row.id, username=row.username, role=row.role, created_at=row.created_at,  # type: ignore[arg-type]
                    cohort=row.cohort)  # fmt: skip


class TokensMixin(StoreMixin):
    def _expired(self, created_at: datetime, last_used_at: datetime, now: datetime) -> bool:
        return now - created_at >= timedelta(
            hours=self.auth.token_max_hours
        ) or now - last_used_at >= timedelta(minutes=self.auth.token_idle_minutes)

    def issue_token(self, user_id: int) -> str:
        """A random sign-in token for the browser; expired tokens are purged on the way."""
        token, now = secrets.token_urlsafe(32), self.clock()
        with self._tx() as db:
            self._purge_tokens(db, now)
            db.add(SignInTokenRow(token_hash=token_hash(token), user_id=user_id, created_at=now,
                                  last_used_at=now))  # fmt: skip
        return token

    def user_for_token(self, token: str | None) -> UserInfo | None:
        """The token's user while it is alive (and its use recorded), else None."""
        if not token:
            return None
        now = self.clock()
        with self._tx() as db:
            row = db.get(SignInTokenRow, token_hash(token))
            if row is None:
                return None
            if self._expired(row.created_at, row.last_used_at, now):
                db.delete(row)
                return None
            if now - row.last_used_at >= TOUCH_EVERY:
                row.last_used_at = now
            return user_info(db.get_one(UserRow, row.user_id))

    def revoke_token(self, token: str) -> None:
        with self._tx() as db:
            db.execute(delete(SignInTokenRow).where(SignInTokenRow.token_hash == token_hash(token)))

    def _revoke_all(self, db: Session, user_id: int) -> int:
        """Every token of a user (password change, disabled account); returns how many."""
        result = db.execute(delete(SignInTokenRow).where(SignInTokenRow.user_id == user_id))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def _purge_tokens(self, db: Session, now: datetime) -> None:
        db.execute(
            delete(SignInTokenRow).where(
                or_(
                    SignInTokenRow.created_at <= now - timedelta(hours=self.auth.token_max_hours),
                    SignInTokenRow.last_used_at <= now - timedelta(minutes=self.auth.token_idle_minutes),
                )
            )
        )

    def active_tokens(self, user_id: int) -> int:
        """How many live tokens a user has (the admin CLI shows it)."""
        now = self.clock()
        with self._tx() as db:
            rows = db.scalars(select(SignInTokenRow).where(SignInTokenRow.user_id == user_id))
            return sum(not self._expired(r.created_at, r.last_used_at, now) for r in rows)
