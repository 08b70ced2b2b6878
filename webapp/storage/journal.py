"""The sign-in journal: every attempt, lock-out and account change, with time and address.

The throttle reads its counters from here too, so what IT sees is exactly what the
lock-out decided on.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from webapp.storage.mixin import StoreMixin
from webapp.storage.models import SignInEventRow

EventKind = Literal[
    "success", "failure", "refused", "account_locked", "address_locked", "account_unlocked",
    "address_unlocked", "password_changed", "disabled", "enabled", "sign_out",
]  # fmt: skip
EVENT_LABELS_FR: dict[str, str] = {
    "success": "connexion réussie",
    "failure": "échec de connexion",
    "refused": "tentative refusée (attente en cours)",
    "account_locked": "compte verrouillé",
    "address_locked": "adresse verrouillée",
    "account_unlocked": "compte déverrouillé",
    "address_unlocked": "adresse déverrouillée",
    "password_changed": "mot de passe changé",
    "disabled": "compte désactivé",
    "enabled": "compte réactivé",
    "sign_out": "déconnexion",
}
CONSOLE = "console"
"""Address recorded for changes made with `crca users`."""
REFUSED_EVERY = timedelta(minutes=1)
"""One « refused » line per name and address per minute: a script hammering a lock fills no disk."""


class SignInEvent(BaseModel):
    at: datetime
    kind: EventKind
    username: str
    address: str
    detail: str = ""

    @property
    def label(self) -> str:
        return EVENT_LABELS_FR[self.kind]

    @property
    def local_time(self) -> str:
        """Day and time in the server's zone, as the training room reads them."""
        return f"{self.at.astimezone():%d/%m/%Y %H:%M:%S}"


class KeyState(BaseModel):
    """What the throttle needs about one key: failures since its last reset, and its lock."""

    failures: list[datetime]
    locked_at: datetime | None = None
    locks: int = Field(default=0, description="Lock-outs since the last success or unlock.")


class JournalMixin(StoreMixin):
    def _record(self, db: Session, kind: EventKind, username: str, address: str, detail: str = "") -> None:
        db.add(SignInEventRow(at=self.clock(), kind=kind, username=username[:80], address=address[:64],
                              detail=detail[:200]))  # fmt: skip

    def _record_refused(self, db: Session, username: str, address: str, detail: str) -> None:
        last = db.scalar(
            select(SignInEventRow.at)
            .where(SignInEventRow.kind == "refused", SignInEventRow.username == username[:80],
                   SignInEventRow.address == address[:64])
            .order_by(SignInEventRow.at.desc())
        )  # fmt: skip
        if last is None or self.clock() - last >= REFUSED_EVERY:
            self._record(db, "refused", username, address, detail)

    def _key_state(self, db: Session, *, username: str | None = None, address: str | None = None) -> KeyState:
        """Counters of an account name (reset by success or unlock) or of an address (by unlock)."""
        column = SignInEventRow.username if username is not None else SignInEventRow.address
        key = (username if username is not None else address or "")[:80]
        scope = "account" if username is not None else "address"
        resets = [f"{scope}_unlocked"] + (["success"] if scope == "account" else [])
        reset = select(SignInEventRow.at).where(column == key, SignInEventRow.kind.in_(resets))
        since = db.scalar(reset.order_by(SignInEventRow.at.desc()))
        locked = select(SignInEventRow.at).where(column == key, SignInEventRow.kind == f"{scope}_locked")
        lock_times = sorted(db.scalars(locked if since is None else locked.where(SignInEventRow.at > since)))
        since = max([t for t in (since, *lock_times[-1:]) if t is not None], default=None)
        failed = select(SignInEventRow.at).where(column == key, SignInEventRow.kind == "failure")
        failures = list(db.scalars(failed if since is None else failed.where(SignInEventRow.at > since)))
        return KeyState(
            failures=failures, locked_at=lock_times[-1] if lock_times else None, locks=len(lock_times)
        )

    def _purge_journal(self, db: Session) -> None:
        cutoff = self.clock() - timedelta(days=self.auth.journal_days)
        db.execute(delete(SignInEventRow).where(SignInEventRow.at < cutoff))

    def sign_in_log(self, username: str | None = None, limit: int = 200) -> list[SignInEvent]:
        """Newest first; only one name's lines when `username` is given."""
        query = select(SignInEventRow).order_by(SignInEventRow.at.desc(), SignInEventRow.id.desc())
        if username:
            query = query.where(SignInEventRow.username == username.strip())
        with self._tx() as db:
            return [
                SignInEvent(at=r.at, kind=r.kind, username=r.username, address=r.address, detail=r.detail)  # type: ignore[arg-type]
                for r in db.scalars(query.limit(limit))
            ]
