"""The README's `crca app` on the embedded default, driven as a trainee through gradio_client.

Started as a user starts it (a child process, warm-up in its background thread), used past
the warm-up, then with its model server killed: the trainee must still get the client's
replies, through « Renvoyer » when a reply was cut off.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.app_process import WARM_LINE, AppProcess, alive, app_process, cpu_ticks

SCENARIO = "habitation-sinistre-degat-eaux-voisin"
ERROR_MARK = "⚠️"


def _text(message: dict) -> str:
    content = message["content"]
    return content if isinstance(content, str) else "".join(part.get("text", "") for part in content)


def _client_reply(chat: list[dict], status: str) -> str:
    assert ERROR_MARK not in status, status
    assert chat[-1]["role"] == "assistant"
    reply = _text(chat[-1]).strip()
    assert reply, "réponse vide"
    return reply


def _server_pid(app: AppProcess, timeout: float = 240) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pids := app.model_server_pids():
            return pids[0]
        time.sleep(0.2)
    raise AssertionError("aucun serveur de modèle embarqué en cours")


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while alive(pid):
        assert time.monotonic() < deadline
        time.sleep(0.05)


def _kill_while_it_works(app: AppProcess, pid: int, job) -> bool:  # noqa: ANN001
    """Kill the server as soon as it starts on the request; False if the reply came first."""
    before = cpu_ticks(pid)
    while not job.done():
        if cpu_ticks(pid) > before + 2:
            _kill(pid)
            return True
        time.sleep(0.01)
    return False


@pytest.mark.embedded
def test_the_client_answers_past_warm_up_and_after_its_server_is_killed(tmp_path: Path) -> None:
    from gradio_client import Client

    # The model phrases the client's replies here (the embedded default shows the content lines).
    with app_process(tmp_path / "home", env={"CRCA_CLIENT__PHRASING": "script"}) as app:
        app.wait_for_line(WARM_LINE, timeout=600)
        time.sleep(2)  # the warm-up thread has ended: its end used to kill the server
        username, password = app.accounts()["stagiaire"]
        trainee = Client(app.url, verbose=False)
        token = trainee.predict(username, password, api_name="/sign_in")[0]
        session = trainee.predict(token, SCENARIO, api_name="/start")[0]

        chat, status, _ = trainee.predict(
            token,
            session,
            "Bonjour, Horizon Mutuelle, Paul à l'appareil. Que se passe-t-il ?",
            api_name="/send",
        )
        _client_reply(chat, status)

        # Killed between two messages: the next one restarts it and is answered.
        _kill(_server_pid(app))
        chat, status, _ = trainee.predict(
            token, session, "Pouvez-vous me décrire les dégâts au plafond ?", api_name="/send"
        )
        _client_reply(chat, status)

        # Killed while it works on a reply: the trainee is told, the message kept, « Renvoyer » works.
        questions = [
            "D'accord. Avez-vous pu joindre votre voisin du dessus ?",
            "Est-ce que ça coule encore en ce moment ?",
            "Le syndic de copropriété est-il prévenu ?",
        ]
        cut_off = False
        for question in questions:
            pid = _server_pid(app)
            job = trainee.submit(token, session, question, api_name="/send")
            killed = _kill_while_it_works(app, pid, job)
            chat, status, _ = job.result()
            if killed and ERROR_MARK in status:
                assert "redémarre" in status and "Renvoyer" in status and "URL" not in status
                assert _text(chat[-1]) == question  # the trainee's message is kept
                chat, status, _ = trainee.predict(token, session, api_name="/resend")
                _client_reply(chat, status)
                cut_off = True
                break
            _client_reply(chat, status)  # killed after a first sentence was shown: the reply stands
        assert cut_off, "le serveur n'a jamais pu être arrêté avant la première phrase"
