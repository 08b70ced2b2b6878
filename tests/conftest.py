"""Shared fixtures: an isolated data directory and deterministic models."""

from __future__ import annotations

from pathlib import Path

import pytest

from crca.environment import apply_offline_defaults
from tests.postgres_server import db_url, postgres_server  # noqa: F401  (fixtures for every test module)

apply_offline_defaults()

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def crca_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data directory (database, chroma store) for one test."""
    home = tmp_path / "crca-home"
    monkeypatch.setenv("CRCA_HOME", str(home))
    monkeypatch.setenv("CRCA_CONFIG", str(tmp_path / "absent.toml"))
    return home
