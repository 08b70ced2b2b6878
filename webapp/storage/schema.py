"""The database schema's version, and its upgrade by the Alembic migrations shipped in this package.

Why upgrades at start: a training centre updates the app and restarts it; the schema must follow
without a separate step. A database from before migrations (tables made by `create_all`, with the
old `schema_version` table) is recognised as the baseline revision and upgraded from there.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from webapp.storage.errors import StorageError

MIGRATIONS = Path(__file__).with_name("migrations")
BASELINE = "0001"
"""The revision of the schema `ensure_schema` created before Alembic (schema version 1)."""
_LOCK_KEY = 741_852_963
"""PostgreSQL advisory lock: two app processes starting together do not migrate twice."""


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The revision this version of the app needs."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's revision; BASELINE for a pre-migration database; None when it is empty."""
    with engine.connect() as connection:
        return _current(connection)


def _current(connection: Connection) -> str | None:
    revision = MigrationContext.configure(connection).get_current_revision()
    if revision is None and inspect(connection).has_table("users"):
        return BASELINE
    return revision


def _known(revision: str) -> bool:
    script = ScriptDirectory.from_config(_config())
    return any(r.revision == revision for r in script.walk_revisions())


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the database to the head revision; returns (before, after)."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        before = _current(connection)
        if before is not None and not _known(before):
            raise _too_new(before)
        config = _config(connection)
        if before == BASELINE and MigrationContext.configure(connection).get_current_revision() is None:
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")
        return before, head_revision()


def check_schema(engine: Engine, *, auto_upgrade: bool = True) -> str:
    """Upgrade (or, with `auto_upgrade` off, refuse) a database that is not at the head revision."""
    head, current = head_revision(), current_revision(engine)
    if current == head:
        return head
    if current is not None and not _known(current):
        raise _too_new(current)
    if not auto_upgrade:
        raise StorageError(
            f"La base de données n'est pas à jour (révision {current or 'vide'}, attendue {head}) : "
            "lancez « crca db upgrade » puis relancez l'application."
        )
    try:
        upgrade(engine)
    except StorageError:
        raise
    except Exception as exc:
        raise StorageError(
            f"La mise à jour de la base de données a échoué ({exc.__class__.__name__} : {exc}) ; "
            "corrigez puis lancez « crca db upgrade »."
        ) from exc
    return head


def _too_new(revision: str) -> StorageError:
    return StorageError(
        f"La base de données est à la révision {revision}, inconnue de cette version de l'application "
        "(plus récente ?) : mettez l'application à jour."
    )
