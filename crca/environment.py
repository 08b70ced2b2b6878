"""Offline defaults for libraries that phone home, applied by the entry points (CLI, app, tests)."""

from __future__ import annotations

import os

OFFLINE_DEFAULTS: dict[str, str] = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
}


def apply_offline_defaults() -> None:
    """Set each default unless the user set it; call before gradio or chromadb is imported."""
    for name, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(name, value)
