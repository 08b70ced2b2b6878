"""Gradio entry point of the CRCA practice bot (`crca app` or `python app.py`)."""

from __future__ import annotations

from typing import Any

from crca.environment import apply_offline_defaults

apply_offline_defaults()  # before gradio is imported


def build_app() -> Any:
    """The app's Blocks on the configured database and models (gradio imported lazily)."""
    from webapp.ui.app import build_app as build

    return build()


def launch(host: str = "127.0.0.1", port: int = 7860, *, block: bool = True) -> Any:
    """Serve the app (see `webapp.server.launch`)."""
    from webapp.server import launch as serve

    return serve(host, port, block=block)


if __name__ == "__main__":
    launch()
