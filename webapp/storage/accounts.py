"""Accounts and sign-in tokens (the part of the repository the admin CLI uses)."""

from __future__ import annotations

import hashlib
import secrets
from contextlib import AbstractContextManager

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.storage.database import StorageError
from webapp.storage.models import TokenRow, UserRow
from webapp.storage.passwords import hash_password, needs_rehash, verify_password
from webapp.storage.records import UserInfo, UserRole


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(row: UserRow) -> UserInfo:
    return UserInfo(id=row.id, username=row.username, role=row.role, created_at=row.created_at)  # type: ignore[arg-type]


class AccountsMixin:
    """Users with argon2 password hashes; tokens let a browser stay signed in across reloads."""

    def _tx(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

    def create_user(self, username: str, password: str, role: UserRole) -> UserInfo:
        username = username.strip()
        if not username or len(username) > 80:
            raise StorageError("Identifiant vide ou trop long (80 caractères au plus).")
        if role not in ("trainee", "trainer"):
            raise StorageError(f"Rôle inconnu : {role} (trainee ou trainer).")
        if len(password) < 8:
            raise StorageError("Mot de passe trop court (8 caractères au moins).")
        try:
            with self._tx() as db:
                row = UserRow(username=username, role=role, password_hash=hash_password(password))
                db.add(row)
                db.flush()
                return _user(row)
        except IntegrityError as exc:
            raise StorageError(f"L'identifiant « {username} » existe déjà.") from exc

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
            password = secrets.token_urlsafe(9)
            self.create_user(username, password, role)  # type: ignore[arg-type]
            created.append((username, password, role))  # type: ignore[arg-type]
        return created

    def list_users(self) -> list[UserInfo]:
        with self._tx() as db:
            return [_user(r) for r in db.scalars(select(UserRow).order_by(UserRow.username))]

    def authenticate(self, username: str, password: str) -> UserInfo | None:
        """The user when the password matches (re-hashing outdated hashes), else None."""
        with self._tx() as db:
            row = db.scalar(select(UserRow).where(UserRow.username == username.strip()))
            if row is None or not verify_password(row.password_hash, password):
                return None
            if needs_rehash(row.password_hash):
                row.password_hash = hash_password(password)
            return _user(row)

    def issue_token(self, user_id: int) -> str:
        """A random sign-in token for the browser; only its hash is stored."""
        token = secrets.token_urlsafe(32)
        with self._tx() as db:
            db.add(TokenRow(token_hash=_token_hash(token), user_id=user_id))
        return token

    def user_for_token(self, token: str | None) -> UserInfo | None:
        if not token:
            return None
        with self._tx() as db:
            row = db.get(TokenRow, _token_hash(token))
            return _user(db.get_one(UserRow, row.user_id)) if row else None

    def revoke_token(self, token: str) -> None:
        with self._tx() as db:
            row = db.get(TokenRow, _token_hash(token))
            if row is not None:
                db.delete(row)
