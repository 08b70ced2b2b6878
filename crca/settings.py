"""Configuration: environment variables (CRCA_*) over an optional TOML file over defaults.

The client simulator and the grader are configured separately (roles `client` and
`grader`): a strong grader with a cheap client is a normal set-up.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

Backend = Literal["embedded", "openai", "scripted"]
Role = Literal["client", "grader"]


def _default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "crca"


def _default_model_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "crca" / "models"


class RoleSettings(BaseModel):
    """Model settings of one role."""

    backend: Backend = "embedded"
    base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint URL.")
    api_key: SecretStr | None = None
    model: str | None = Field(default=None, description="Model name at the endpoint.")
    timeout: float = Field(default=60.0, gt=0, description="Seconds per request.")
    max_retries: int = Field(default=2, ge=0, le=10)
    temperature: float = Field(default=0.0, ge=0, le=2)
    seed: int = 42
    max_tokens: int = Field(default=400, gt=0)
    structured_output: Literal["json_schema", "json_object"] = Field(
        default="json_schema",
        description="Dialect of `response_format` the endpoint understands "
        "(llama.cpp's server wants json_object with a schema).",
    )
    script: Path | None = Field(default=None, description="Replies file of the scripted backend.")
    phrasing: Literal["script", "hint", "lines"] | None = Field(
        default=None,
        description="Client role only: the model phrases the decided content (script), takes it as a "
        "hint (hint), or the content lines are shown as they are (lines). Default: lines on the "
        "embedded model, hint on any other.",
    )


class EmbeddedSettings(BaseModel):
    """The offline default: a GGUF model served on loopback by llama-cpp-python."""

    model_dir: Path = Field(default_factory=_default_model_dir)
    model_path: Path | None = Field(default=None, description="Use this GGUF instead.")
    n_ctx: int = 8192
    n_threads: int = Field(default_factory=lambda: max(1, os.cpu_count() or 1))
    host: str = "127.0.0.1"
    port: int = Field(default=0, description="0 picks a free port.")
    startup_timeout: float = 180.0
    yes_bias: float = Field(
        default=2.75,
        description="Logit bias added to « oui » in the grader's yes/no confirmations: the "
        "decision threshold calibrated on the tuning sets (docs/grader.md).",
    )


class InputLimits(BaseModel):
    """Bounds on a transcript given to the grader or imported (a file, not a practice chat).

    Why: one enormous file must not hold a batch or the app for minutes; a real exchange of
    an hour stays far below these.
    """

    max_file_bytes: int = Field(default=1_000_000, gt=0, description="Size of a transcript file.")
    max_turns: int = Field(default=600, gt=0, description="Turns of speech in one transcript.")
    max_turn_chars: int = Field(default=8_000, gt=0, description="Characters in one turn.")


class ThrottleSettings(BaseModel):
    """Sign-in failures tolerated for one key (an account name or a client address)."""

    free_failures: int = Field(default=3, ge=0, description="Failures answered without delay.")
    lock_after: int = Field(default=10, gt=0, description="Failures within the window that lock the key.")
    window_minutes: float = Field(default=15, gt=0, description="Observation window of failures.")
    lock_minutes: float = Field(default=15, gt=0, description="Length of a first lock-out.")
    max_lock_minutes: float = Field(default=240, gt=0, description="Cap of the doubling lock-outs.")
    first_delay_seconds: float = Field(default=1, ge=0, description="Delay after the first extra failure.")
    max_delay_seconds: float = Field(default=60, ge=0, description="Cap of the doubling delays.")


class AddressThrottleSettings(ThrottleSettings):
    """Per client address: lenient, a whole training room may come through one address."""

    free_failures: int = Field(default=30, ge=0)
    lock_after: int = Field(default=100, gt=0)


class AuthSettings(BaseModel):
    """Sign-in policy; figures and their sources in the README (« Comptes et connexion »)."""

    account: ThrottleSettings = Field(default_factory=ThrottleSettings)
    address: AddressThrottleSettings = Field(default_factory=AddressThrottleSettings)
    token_idle_minutes: float = Field(default=30, gt=0, description="Unused this long, a token expires.")
    token_max_hours: float = Field(default=8, gt=0, description="Absolute lifetime of a token.")
    min_password_length: int = Field(default=12, ge=8, description="Trainee accounts.")
    min_password_length_trainer: int = Field(default=16, ge=8, description="Trainer accounts.")
    journal_days: int = Field(default=180, gt=0, description="Sign-in journal retention.")


class Settings(BaseSettings):
    """All settings of the application."""

    model_config = SettingsConfigDict(env_prefix="CRCA_", env_nested_delimiter="__", extra="ignore")

    home: Path = Field(default_factory=_default_home, description="Data directory.")
    database_url: str | None = Field(default=None, description="Defaults to SQLite in home.")
    database_auto_upgrade: bool = Field(
        default=True, description="Apply pending migrations at start; when off, refuse to start instead."
    )
    limits: InputLimits = Field(default_factory=InputLimits)
    chroma_url: str | None = Field(
        default=None,
        description="A chroma server (http://host:8000) for the conditions index; default: local.",
    )
    concurrent_requests: int = Field(
        default=64, gt=0, description="App requests served at once (a cohort's chat turns run in parallel)."
    )
    client: RoleSettings = Field(default_factory=lambda: RoleSettings(temperature=0.7))
    grader: RoleSettings = Field(
        # Grading runs in the background: a slow call is better than a lost check.
        default_factory=lambda: RoleSettings(timeout=180.0)
    )
    embedded: EmbeddedSettings = Field(default_factory=EmbeddedSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = os.environ.get("CRCA_CONFIG", "crca.toml")
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_file),
        )

    def role(self, role: Role) -> RoleSettings:
        return self.client if role == "client" else self.grader

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'crca.sqlite3'}"


def load_settings(**overrides: object) -> Settings:
    """Read settings now (environment and files may change between calls in tests)."""
    return Settings(**overrides)  # type: ignore[arg-type]
