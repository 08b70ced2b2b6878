"""The real Gradio app on scripted models, launched in this process on a free port.

Shared by the gradio_client tests and the browser test: same accounts, same wiring.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from crca.settings import load_settings
from webapp.ui.services import AppServices

SCENARIO = "auto-sinistre-choc-arriere"
GRADER_REPLY = "oui"
"""Every model-confirmed check answers yes."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def scripted_env(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Deterministic models through the same settings path as production."""
    grader = home.parent / "grader.yaml"
    grader.write_text(f"- '{GRADER_REPLY}'\n", encoding="utf-8")
    script = home.parent / "client.yaml"
    script.write_text("- \"Oui, c'est moi. On m'a percuté par l'arrière hier soir.\"\n", encoding="utf-8")
    monkeypatch.setenv("CRCA_HOME", str(home))
    monkeypatch.setenv("CRCA_CONFIG", str(home.parent / "absent.toml"))
    monkeypatch.setenv("CRCA_CLIENT__BACKEND", "scripted")
    monkeypatch.setenv("CRCA_CLIENT__SCRIPT", str(script))
    monkeypatch.setenv("CRCA_GRADER__BACKEND", "scripted")
    monkeypatch.setenv("CRCA_GRADER__SCRIPT", str(grader))


def app_services() -> AppServices:
    """The production wiring (real grader, simulator, retriever) on the scripted settings."""
    return AppServices.from_settings(load_settings())


@contextmanager
def running_app(home: Path) -> Iterator[tuple[str, AppServices]]:
    """(URL, services) of the served app with a trainee `alice` and a trainer `fanny`."""
    from webapp.ui.app import build_app

    monkeypatch = pytest.MonkeyPatch()
    demo = None
    try:  # a launch that fails must not leave the scripted environment to the tests after it
        scripted_env(monkeypatch, home)
        services = app_services()
        services.repo.create_user("alice", "motdepasse-a1b2", "trainee")
        services.repo.create_user("fanny", "motdepasse-f3g4h5", "trainer")
        port = free_port()
        demo = build_app(services).queue()
        demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
        yield f"http://127.0.0.1:{port}/", services
    finally:
        if demo is not None:
            demo.close()
        monkeypatch.undo()
