"""Alembic migrations: today's databases upgrade without loss; the migrations match the ORM models."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, text

from domain.grades import CriterionGrade, GradeReport, GraderInfo, Verdict
from webapp.cli import main as crca
from webapp.storage import Repository, StorageError, create_db_engine
from webapp.storage.models import Base
from webapp.storage.schema import BASELINE, current_revision, head_revision, upgrade

LEGACY = Path(__file__).parent / "fixtures" / "db" / "legacy-schema1.sqlite3"
"""Written by main's code before migrations (tests/fixtures/db/make_legacy_db.py)."""


def _rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    copy = tmp_path / "legacy.sqlite3"
    shutil.copy(LEGACY, copy)
    return copy


def test_legacy_database_upgrades_without_losing_anything(legacy: Path) -> None:
    sessions = _rows(
        legacy, "SELECT id, user_id, status, transcript_json, last_error FROM sessions ORDER BY id"
    )
    grades = _rows(legacy, "SELECT id, session_id, report_json, score FROM grades ORDER BY id")
    overrides = _rows(
        legacy, "SELECT grade_id, criterion_id, original_verdict, new_verdict, comment FROM overrides"
    )
    tokens = _rows(legacy, "SELECT token_hash, user_id FROM auth_tokens")
    assert sessions and grades and overrides and tokens  # the fixture has something of each to lose

    repo = Repository.open(f"sqlite:///{legacy}")

    assert _rows(legacy, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    assert _rows(legacy, "SELECT name FROM sqlite_master WHERE name = 'schema_version'") == []
    after = "SELECT id, user_id, status, transcript_json, last_error FROM sessions ORDER BY id"
    assert _rows(legacy, after) == sessions
    assert _rows(legacy, "SELECT id, session_id, report_json, score FROM grades ORDER BY id") == grades
    # Sign-in tokens without expiry are not carried over (#16): their table is replaced, users sign in again.
    assert _rows(legacy, "SELECT name FROM sqlite_master WHERE name = 'auth_tokens'") == []
    assert _rows(legacy, "SELECT count(*) FROM sign_in_tokens") == [(0,)]
    # Read back through the app, not only as rows: the records still parse.
    graded = next(s for s in repo.list_sessions() if s.status == "graded")
    grade = repo.latest_grade(graded.id)
    assert grade is not None
    stored = {(o.criterion_id, o.original_verdict.value, o.verdict.value, o.comment) for o in grade.reviews}
    assert stored == {row[1:] for row in overrides}
    assert grade.effective_verdicts()["B1.2"] == Verdict(overrides[0][3])
    assert repo.authenticate("alice", "motdepasse1") is not None
    # The sign-in tables of #16 came with the upgrade: signing in issues an expiring token, journaled.
    user = repo.sign_in("alice", "motdepasse1", "10.0.0.1")
    assert repo.user_for_token(repo.issue_token(user.id)) == user
    assert [e.kind for e in repo.sign_in_log()] == ["success"]
    assert len(repo.list_sessions()) == len(sessions)


def test_app_refuses_an_old_database_when_auto_upgrade_is_off(legacy: Path) -> None:
    with pytest.raises(StorageError, match="crca db upgrade"):
        Repository.open(f"sqlite:///{legacy}", auto_upgrade=False)
    assert _rows(legacy, "SELECT name FROM sqlite_master WHERE name = 'alembic_version'") == []
    assert current_revision(create_db_engine(f"sqlite:///{legacy}")) == BASELINE


def test_migrations_create_exactly_the_models_and_go_back_down(db_url: str) -> None:
    engine = create_db_engine(db_url)
    assert current_revision(engine) is None
    assert upgrade(engine) == (None, head_revision())
    with engine.connect() as connection:
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []
    assert upgrade(engine) == (head_revision(), head_revision())  # idempotent

    from alembic import command

    from webapp.storage.schema import _config

    with engine.begin() as connection:
        command.downgrade(_config(connection), "base")
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() is None
    Repository.open(db_url).create_user("alice", "motdepasse-a1b2", "trainee")  # and up again at open


def test_unknown_revision_is_refused_in_french(db_url: str) -> None:
    repo = Repository.open(db_url)
    engine = repo._sessions.kw["bind"]
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    with pytest.raises(StorageError, match="inconnue de cette version"):
        Repository.open(db_url)


def test_db_commands_report_and_upgrade(
    legacy: Path, crca_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CRCA_DATABASE_URL", f"sqlite:///{legacy}")
    assert crca(["db", "current"]) == 1
    assert f"Révision de la base : {BASELINE}" in capsys.readouterr().out
    assert crca(["db", "upgrade"]) == 0
    assert f"{BASELINE} → {head_revision()}" in capsys.readouterr().out
    assert crca(["db", "current"]) == 0
    assert crca(["db", "upgrade"]) == 0
    assert "déjà à jour" in capsys.readouterr().out


def _migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    from alembic import command

    from webapp.storage.schema import _config

    with engine.begin() as connection:
        (command.downgrade if down else command.upgrade)(_config(connection), revision)


def _insert(db: Connection, table: str, **values: object) -> None:
    names = ", ".join(values)
    db.execute(text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in values)})"), values)


def test_scores_written_before_0004_are_recomputed_with_errors_counted(db_url: str) -> None:
    """A grade stored with the former rule (errors left out) gets the score of `domain.score`."""
    engine = create_db_engine(db_url)
    _migrate(engine, "0003")
    verdicts = {"B1.1": "acquired", "B1.2": "not_acquired", "B1.3": "could_not_grade",
                "B1.4": "could_not_grade", "B1.5": "could_not_grade", "B2.1": "not_observed"}  # fmt: skip
    report = GradeReport(
        transcript_id="t",
        rubric_version="v",
        grader=GraderInfo(backend="scripted", model="fake"),
        criteria=[CriterionGrade(criterion_id=c, verdict=v, justification="-") for c, v in verdicts.items()],
    )
    now = datetime(2026, 12, 1, tzinfo=UTC)
    with engine.begin() as db:
        _insert(db, "users", id=1, username="alice", role="trainee", password_hash="x", created_at=now)
        _insert(db, "sessions", id="s1", user_id=1, source="practice", status="graded",
                transcript_json='{"id": "t", "turns": []}', created_at=now, updated_at=now)  # fmt: skip
        _insert(db, "grades", id=1, session_id="s1", report_json=report.model_dump_json(), backend="scripted",
                model="fake", score=1.0, created_at=now)  # fmt: skip
        _insert(db, "overrides", grade_id=1, criterion_id="B1.2", original_verdict="not_acquired",
                new_verdict="acquired", comment="Vu", author="fanny", at=now)  # fmt: skip
    # The former rule gave 1.0: two acquired out of two graded, the three errors left out.

    _migrate(engine, "0004")
    with engine.connect() as db:
        assert db.scalar(text("SELECT score FROM grades WHERE id = 1")) == 0.4  # 2 of 5 applicable
    _migrate(engine, "0003", down=True)
    with engine.connect() as db:
        assert db.scalar(text("SELECT score FROM grades WHERE id = 1")) == 1.0
