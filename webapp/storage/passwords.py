"""Password hashing with argon2id (argon2-cffi's recommended parameters) and the length rule."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from webapp.storage.database import StorageError

_hasher = PasswordHasher()
MAX_LENGTH = 256
"""Longer is refused at creation: hashing megabytes on request would be a cheap denial of service."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches; a malformed hash is a mismatch, not a crash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    return hash_password("compte-inexistant")


def verify_nothing(password: str) -> None:
    """Spend the time of a real check, so an unknown name answers as slowly as a known one."""
    verify_password(_dummy_hash(), password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_password(password: str, username: str, min_length: int) -> None:
    """Refuse, in French, a password too short or too long, or one containing the username."""
    if len(password) < min_length:
        raise StorageError(f"Mot de passe trop court ({min_length} caractères au moins).")
    if len(password) > MAX_LENGTH:
        raise StorageError(f"Mot de passe trop long ({MAX_LENGTH} caractères au plus).")
    if username.strip() and username.strip().casefold() in password.casefold():
        raise StorageError("Le mot de passe ne doit pas contenir l'identifiant.")
