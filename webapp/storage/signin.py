"""Throttled sign-in: per account name and per client address, growing delays then a lock-out.

Every answer is the same whether the account exists or not: counters are kept per name
as typed, an unknown name costs the same password-hash time, and a disabled account
gets the ordinary « incorrect » message (the journal says why).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.storage.accounts import AccountsMixin
from webapp.storage.database import StorageError
from webapp.storage.models import DisabledAccountRow, UserRow
from webapp.storage.records import UserInfo
from webapp.storage.throttle import Wait, lock_length, locks, wait_for, wait_text

WRONG = "Identifiant ou mot de passe incorrect."
UNKNOWN_ADDRESS = "inconnue"


class SignInRefused(StorageError):
    """Wrong credentials, or an attempt refused by the throttle; the message is for the user."""


class SignInMixin(AccountsMixin):
    def _wait(self, db: Session, username: str, address: str) -> Wait | None:
        now = self.clock()
        account = self._key_state(db, username=username)
        by_address = self._key_state(db, address=address)
        waits = [
            wait_for(account.failures, account.locked_at, now, self.auth.account, account.locks),
            wait_for(by_address.failures, by_address.locked_at, now, self.auth.address, by_address.locks),
        ]
        return max((w for w in waits if w), key=lambda w: w.until, default=None)

    def sign_in(self, username: str, password: str, address: str | None) -> UserInfo:
        """The user, or SignInRefused; every outcome goes to the journal."""
        username, address = (username or "").strip()[:80], (address or UNKNOWN_ADDRESS)[:64]
        with self._tx() as db:
            self._purge_journal(db)
            wait = self._wait(db, username, address)
            if wait is not None:
                self._record_refused(db, username, address, "verrouillage" if wait.locked else "délai")
        if wait is not None:
            raise SignInRefused(f"Trop de tentatives : réessayez dans {wait_text(wait, self.clock())}.")
        user = self.authenticate(username, password or "")
        with self._tx() as db:
            if user is not None:
                self._record(db, "success", username, address)
                return user
            self._record(db, "failure", username, address, self._failure_reason(db, username))
            db.flush()
            now = self.clock()
            for scope, state, rule in (
                ("account", self._key_state(db, username=username), self.auth.account),
                ("address", self._key_state(db, address=address), self.auth.address),
            ):
                if locks(state.failures, now, rule):
                    minutes = lock_length(state.locks + 1, rule).total_seconds() / 60
                    self._record(db, f"{scope}_locked", username, address, f"{minutes:g} min")  # type: ignore[arg-type]
        raise SignInRefused(WRONG)

    @staticmethod
    def _failure_reason(db: Session, username: str) -> str:
        user_id = db.scalar(select(UserRow.id).where(UserRow.username == username))
        if user_id is None:
            return "compte inconnu"
        return "compte désactivé" if db.get(DisabledAccountRow, user_id) else "mot de passe incorrect"

    def sign_out(self, token: str, address: str | None) -> None:
        """Revoke the browser's token; the journal notes who left."""
        user = self.user_for_token(token)
        self.revoke_token(token)
        if user is not None:
            with self._tx() as db:
                self._record(db, "sign_out", user.username, (address or UNKNOWN_ADDRESS)[:64])
