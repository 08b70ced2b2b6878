"""Accounts: creation under the password rule, password changes, disabling, unlocking."""

from __future__ import annotations

import secrets

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.storage.database import StorageError
from webapp.storage.journal import CONSOLE, JournalMixin
from webapp.storage.models import DisabledAccountRow, UserRow
from webapp.storage.passwords import (
    check_password,
    hash_password,
    needs_rehash,
    verify_nothing,
    verify_password,
)
from webapp.storage.records import UserInfo, UserRole
from webapp.storage.throttle import wait_for
from webapp.storage.tokens import TokensMixin, user_info

FIRST_PASSWORD_BYTES = 12
"""16 URL-safe characters, 96 random bits: above every minimum length and ANSSI's 80-bit « strong »."""


def generated_password() -> str:
    return secrets.token_urlsafe(FIRST_PASSWORD_BYTES)


def _cohort_name(cohort: str | None, role: str) -> str | None:
    """The cohort as stored: trimmed, None when blank; only trainees have one."""
    name = (cohort or "").strip() or None
    if name is not None and role != "trainee":
        raise StorageError("Seuls les stagiaires appartiennent à une cohorte.")
    if name is not None and len(name) > 80:
        raise StorageError("Nom de cohorte trop long (80 caractères au plus).")
    return name


class AccountStatus(BaseModel):
    user: UserInfo
    disabled: bool
    locked: bool
    tokens: int


class AccountsMixin(TokensMixin, JournalMixin):
    """Users with argon2 password hashes; tokens let a browser stay signed in across reloads."""

    def min_password_length(self, role: str) -> int:
        return self.auth.min_password_length_trainer if role == "trainer" else self.auth.min_password_length

    def create_user(
        self, username: str, password: str, role: UserRole, cohort: str | None = None
    ) -> UserInfo:
        """A new account; a trainee may be put in a cohort (`set_cohort` moves it later)."""
        username = username.strip()
        if not username or len(username) > 80:
            raise StorageError("Identifiant vide ou trop long (80 caractères au plus).")
        if role not in ("trainee", "trainer"):
            raise StorageError(f"Rôle inconnu : {role} (trainee ou trainer).")
        cohort = _cohort_name(cohort, role)
        check_password(password, username, self.min_password_length(role))
        try:
            with self._tx() as db:
                row = UserRow(
                    username=username, role=role, password_hash=hash_password(password), cohort=cohort
                )
                db.add(row)
                db.flush()
                return user_info(row)
        except IntegrityError as exc:
            raise StorageError(f"L'identifiant « {username} » existe déjà.") from exc

    def set_cohort(self, username: str, cohort: str | None) -> UserInfo:
        """Put a trainee in a cohort, or (None or blank) take them out of any."""
        with self._tx() as db:
            row = self._user_row(db, username)
            row.cohort = _cohort_name(cohort, row.role)
            return user_info(row)

    def cohorts(self) -> list[str]:
        """Every cohort some trainee is in, sorted (for the filter lists)."""
        with self._tx() as db:
            query = select(UserRow.cohort).where(UserRow.cohort.is_not(None)).distinct()
            return sorted(c for c in db.scalars(query) if c)

    def ensure_first_accounts(self) -> list[tuple[str, str, UserRole]]:
        """On an empty database, create one trainer and one trainee with random passwords.

        Why: the app is useless until someone can sign in; a fresh install must open on
        something usable. Returns (username, password, role) of the accounts created.
        """
        with self._tx() as db:
            if db.scalar(select(UserRow.id).limit(1)) is not None:
                return []
        created: list[tuple[str, str, UserRole]] = []
        for username, role in (("formateur", "trainer"), ("stagiaire", "trainee")):
            password = generated_password()
            self.create_user(username, password, role)  # type: ignore[arg-type]
            created.append((username, password, role))  # type: ignore[arg-type]
        return created

    def list_users(self) -> list[UserInfo]:
        with self._tx() as db:
            return [user_info(r) for r in db.scalars(select(UserRow).order_by(UserRow.username))]

    def authenticate(self, username: str, password: str) -> UserInfo | None:
        """The user when the password matches and the account is enabled, else None.

        Unthrottled: the app signs in through `sign_in`, which counts failures around this.
        """
        with self._tx() as db:
            row = db.scalar(select(UserRow).where(UserRow.username == username.strip()))
            if row is None:
                verify_nothing(password)
                return None
            if not verify_password(row.password_hash, password) or db.get(DisabledAccountRow, row.id):
                return None
            if needs_rehash(row.password_hash):
                row.password_hash = hash_password(password)
            return user_info(row)

    def _user_row(self, db: Session, username: str) -> UserRow:
        row = db.scalar(select(UserRow).where(UserRow.username == username.strip()))
        if row is None:
            raise StorageError(f"Compte introuvable : {username}.")
        return row

    def change_password(self, username: str, password: str) -> int:
        """Set a new password and revoke every token of the account; returns how many were revoked."""
        with self._tx() as db:
            row = self._user_row(db, username)
            check_password(password, row.username, self.min_password_length(row.role))
            row.password_hash = hash_password(password)
            revoked = self._revoke_all(db, row.id)
            self._record(db, "password_changed", row.username, CONSOLE, f"{revoked} jeton(s) révoqué(s)")
            return revoked

    def set_disabled(self, username: str, disabled: bool) -> int:
        """Disable (revoking every token; returns how many) or re-enable an account."""
        with self._tx() as db:
            row = self._user_row(db, username)
            flag = db.get(DisabledAccountRow, row.id)
            revoked = 0
            if disabled:
                if flag is None:
                    db.add(DisabledAccountRow(user_id=row.id, disabled_at=self.clock()))
                revoked = self._revoke_all(db, row.id)
                self._record(db, "disabled", row.username, CONSOLE, f"{revoked} jeton(s) révoqué(s)")
            else:
                if flag is not None:
                    db.delete(flag)
                self._record(db, "enabled", row.username, CONSOLE)
            return revoked

    def unlock(self, *, username: str | None = None, address: str | None = None) -> None:
        """End the lock-out (and forget the failures) of an account name or a client address."""
        with self._tx() as db:
            if username is not None:
                self._user_row(db, username)
                self._record(db, "account_unlocked", username.strip(), CONSOLE)
            if address is not None:  # the address column is the key the throttle reads
                self._record(db, "address_unlocked", "", address.strip(), "par crca users unlock")

    def account_statuses(self) -> list[AccountStatus]:
        """Every account with its state, for `crca users list`."""
        now = self.clock()
        statuses = []
        with self._tx() as db:
            disabled = set(db.scalars(select(DisabledAccountRow.user_id)))
            for row in db.scalars(select(UserRow).order_by(UserRow.username)):
                state = self._key_state(db, username=row.username)
                wait = wait_for(state.failures, state.locked_at, now, self.auth.account, state.locks)
                statuses.append((row, row.id in disabled, bool(wait and wait.locked)))
        return [
            AccountStatus(user=user_info(row), disabled=off, locked=locked, tokens=self.active_tokens(row.id))
            for row, off, locked in statuses
        ]
