"""Persistence of accounts, practice sessions, grades and trainer overrides (SQLAlchemy)."""

from webapp.storage.database import StorageError, create_db_engine
from webapp.storage.records import (
    ROLE_LABELS_FR,
    STATUS_LABELS_FR,
    GradeRecord,
    SessionRecord,
    UserInfo,
    UserRole,
)
from webapp.storage.repository import Repository

__all__ = [
    "ROLE_LABELS_FR",
    "STATUS_LABELS_FR",
    "GradeRecord",
    "Repository",
    "SessionRecord",
    "StorageError",
    "UserInfo",
    "UserRole",
    "create_db_engine",
]
