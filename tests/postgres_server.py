"""A throwaway PostgreSQL cluster for the test session, from Debian's `postgresql` binaries.

Why a real server: SQLite forgives what PostgreSQL refuses (types, transaction rules,
string lengths); storage code that only ever ran on SQLite is not known to work.
The cluster lives in a temporary directory on a loopback port and is removed at the end.
PostgreSQL refuses to run as root, so as root its binaries run as the `postgres` user.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_ROOT = Path("/usr/lib/postgresql")


@dataclass
class PostgresServer:
    port: int

    def url(self, schema: str | None = None) -> str:
        """The `postgres` database; with `schema`, every unqualified name resolves there."""
        options = f"?options=-csearch_path%3D{schema}" if schema else ""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres{options}"

    def admin(self, sql: str) -> None:
        """Run one statement in autocommit (CREATE/DROP SCHEMA)."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres") as conn:
            conn.autocommit = True
            conn.execute(sql)


def _binaries() -> Path | None:
    versions = sorted(
        PG_ROOT.glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0
    )
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _skip_reason() -> str | None:
    if _binaries() is None:
        return "PostgreSQL absent (paquet Debian « postgresql » non installé ; ./dev.sh test l'installe)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "PostgreSQL refuse de tourner en root et runuser est absent"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "pilote psycopg absent (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """Start a cluster once per session; skip with the reason when it cannot run here."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    bin_dir = _binaries()
    assert bin_dir is not None
    root = Path(tempfile.mkdtemp(prefix="crca-pg-"))
    data, log = root / "data", root / "server.log"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    try:
        subprocess.run(
            _as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                          "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
            **run,
        )  # fmt: skip
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off -c max_connections=200"
        subprocess.run(
            _as_postgres(
                [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]
            ),
            **run,
        )
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"PostgreSQL n'a pas démarré : {exc.stderr or exc.stdout}")
    try:
        yield PostgresServer(port=port)
    finally:
        subprocess.run(
            _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True, timeout=60,
        )  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend: a SQLite file, or a fresh PostgreSQL schema.

    Why a schema and not a database per test: CREATE DATABASE copies a template (seconds on a
    busy machine); an empty schema on the search path is as isolated for the app, and instant.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'db.sqlite3'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    server.admin(f"CREATE SCHEMA {name}")
    try:
        yield server.url(name)
    finally:
        server.admin(f"DROP SCHEMA IF EXISTS {name} CASCADE")
