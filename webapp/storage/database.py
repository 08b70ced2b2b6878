"""Engine creation and the schema check at start (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from webapp.storage.errors import StorageError
from webapp.storage.schema import check_schema

__all__ = ["StorageError", "create_db_engine", "open_sessionmaker"]


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")  # SQLite ignores foreign keys otherwise
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_db_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file gets its directory created and sane pragmas."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Each trainee's turn holds a connection briefly; a cohort of 50 must not queue on 5.
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=40)


def open_sessionmaker(url: str, *, auto_upgrade: bool = True) -> sessionmaker[Session]:
    """Engine + schema check (upgrade, or refusal in French) + session factory, ready for a `Repository`."""
    engine = create_db_engine(url)
    check_schema(engine, auto_upgrade=auto_upgrade)
    return sessionmaker(engine, expire_on_commit=False)
