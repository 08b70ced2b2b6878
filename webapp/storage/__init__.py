"""Persistence of accounts, practice sessions, grades and trainer reviews (SQLAlchemy)."""

from webapp.storage.database import StorageError, create_db_engine
from webapp.storage.records import (
    ROLE_LABELS_FR,
    STATUS_LABELS_FR,
    GradeRecord,
    SessionRecord,
    UserInfo,
    UserRole,
    awaiting_review_first,
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
    "awaiting_review_first",
    "create_db_engine",
]
