"""Configuration: defaults, environment variables and the TOML file, per role."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from crca.settings import load_settings


def test_defaults_are_offline_embedded(crca_home: Path) -> None:
    settings = load_settings()
    assert settings.client.backend == "embedded" and settings.grader.backend == "embedded"
    assert settings.grader.temperature == 0.0  # grading must be reproducible
    assert settings.client.temperature > 0.0  # the simulated client may vary its phrasing
    assert settings.client.timeout < settings.grader.timeout  # a chat UI cannot wait minutes
    assert settings.home == crca_home
    assert settings.db_url == f"sqlite:///{crca_home / 'crca.sqlite3'}"


def test_roles_are_configured_separately(monkeypatch: pytest.MonkeyPatch, crca_home: Path) -> None:
    monkeypatch.setenv("CRCA_GRADER__BACKEND", "openai")
    monkeypatch.setenv("CRCA_GRADER__MODEL", "gpt-4o")
    monkeypatch.setenv("CRCA_GRADER__TIMEOUT", "30")
    settings = load_settings()
    assert (settings.grader.backend, settings.grader.model, settings.grader.timeout) == (
        "openai",
        "gpt-4o",
        30.0,
    )
    assert settings.client.backend == "embedded"


def test_toml_file_is_read_and_env_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crca_home: Path
) -> None:
    config = tmp_path / "crca.toml"
    config.write_text(
        '[client]\nbackend = "openai"\nbase_url = "http://127.0.0.1:11434/v1"\nmodel = "mistral"\n'
        '[grader]\nmodel = "from-file"\n'
    )
    monkeypatch.setenv("CRCA_CONFIG", str(config))
    monkeypatch.setenv("CRCA_GRADER__MODEL", "from-env")
    settings = load_settings()
    assert settings.client.base_url == "http://127.0.0.1:11434/v1"
    assert settings.client.model == "mistral"
    assert settings.grader.model == "from-env"


def test_invalid_backend_is_rejected(monkeypatch: pytest.MonkeyPatch, crca_home: Path) -> None:
    monkeypatch.setenv("CRCA_CLIENT__BACKEND", "gpt")
    with pytest.raises(ValidationError, match="backend"):
        load_settings()
