"""Engine creation and automatic schema set-up (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from webapp.storage.models import SCHEMA_VERSION, Base, SchemaVersionRow


class StorageError(RuntimeError):
    """A storage operation was refused; `str(error)` is a French message for the UI."""


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
    return create_engine(url, pool_pre_ping=True)


def ensure_schema(engine: Engine) -> int:
    """Create missing tables and record the schema version; refuse a newer database."""
    Base.metadata.create_all(engine)
    with Session(engine) as db, db.begin():
        current = db.scalar(select(SchemaVersionRow.version).order_by(SchemaVersionRow.version.desc()))
        if current is None:
            db.add(SchemaVersionRow(version=SCHEMA_VERSION))
            return SCHEMA_VERSION
        if current > SCHEMA_VERSION:
            raise StorageError(
                f"La base de données est au schéma {current}, plus récent que celui de cette version "
                f"({SCHEMA_VERSION}) : mettez l'application à jour."
            )
        # Future migrations: apply the steps from `current` to SCHEMA_VERSION here.
        return current


def open_sessionmaker(url: str) -> sessionmaker[Session]:
    """Engine + schema + session factory, ready for a `Repository`."""
    engine = create_db_engine(url)
    ensure_schema(engine)
    return sessionmaker(engine, expire_on_commit=False)
