"""`crca chat` driven through stdin with the scripted backend."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.chat_cli import run_chat
from crca.llm import LLMError, ScriptedChatModel
from domain.transcript import Speaker, Transcript
from scenarios.library import load_scenarios

SCENARIO_ID = next(iter(load_scenarios()))
REPLIES = ["D'accord. Je comprends.", "Bon, très bien, merci. Au revoir."]


@pytest.fixture
def scripted(crca_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    script = tmp_path / "replies.yaml"
    script.write_text("\n".join(f'- "{r}"' for r in REPLIES), encoding="utf-8")
    monkeypatch.setenv("CRCA_CLIENT__BACKEND", "scripted")
    monkeypatch.setenv("CRCA_CLIENT__SCRIPT", str(script))
    return script


def chat(stdin: str, **args: Any) -> tuple[int, str]:
    out = io.StringIO()
    namespace = argparse.Namespace(scenario=args.get("scenario", SCENARIO_ID), out=args.get("out"))
    code = run_chat(namespace, stdin=io.StringIO(stdin), out=out)
    return code, out.getvalue()


def test_chat_streams_replies_records_actions_and_saves_json(scripted: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "t.json"
    lines = "Bonjour, je vous écoute.\n\n/action claim_opened: sinistre ouvert\nMerci, au revoir.\n"
    code, output = chat(lines, out=str(target))
    assert code == 0
    assert "Client : D'accord. Je comprends." in output and "Action enregistrée : claim_opened" in output
    assert "Fin de l'échange : le conseiller a conclu l'échange." in output
    transcript = Transcript.model_validate_json(target.read_text(encoding="utf-8"))
    assert transcript.scenario_id == SCENARIO_ID
    assert [t.speaker for t in transcript.turns] == [Speaker.CLIENT, Speaker.ADVISOR] * 2 + [Speaker.CLIENT]
    assert transcript.turns[2].text == REPLIES[0]
    assert transcript.actions[0].type == "claim_opened" and transcript.actions[0].after_turn == 2


def test_fin_stops_and_default_path_is_under_the_data_dir(scripted: Path, crca_home: Path) -> None:
    code, output = chat("Bonjour.\n/fin\nJamais lu.\n")
    saved = list((crca_home / "transcripts").glob("*.json"))
    assert code == 0 and len(saved) == 1 and "Jamais lu" not in saved[0].read_text(encoding="utf-8")
    assert str(saved[0]) in output


def test_unknown_scenario_lists_available_ids(scripted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = chat("", scenario="nexiste-pas")
    err = capsys.readouterr().err
    assert code == 2 and "Scénario inconnu" in err and SCENARIO_ID in err


def test_model_error_is_reported_and_the_conversation_continues(
    crca_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}

    def flaky(messages: Any, kwargs: Any) -> str:
        calls["n"] += 1
        if calls["n"] == 1:
            raise LLMError("Serveur de modèle injoignable.")
        return {2: "Oui, je suis toujours là.", 3: "Et du coup, je fais quoi ?"}[calls["n"]]

    monkeypatch.setattr("crca.llm.chat_model", lambda role: ScriptedChatModel(responder=flaky))
    target = tmp_path / "t.json"
    code, output = chat("Bonjour madame.\n/relance\nEt ensuite ?\n", out=str(target))
    assert code == 0 and "Le client ne répond pas : Serveur de modèle injoignable." in output
    turns = Transcript.model_validate_json(target.read_text(encoding="utf-8")).turns
    assert [t.text for t in turns[1:]] == ["Bonjour madame.", "Oui, je suis toujours là.", "Et ensuite ?",
                                           "Et du coup, je fais quoi ?"]  # fmt: skip


def test_crca_chat_works_through_a_pipe(scripted: Path, tmp_path: Path) -> None:
    target = tmp_path / "pipe.json"
    result = subprocess.run(
        [sys.executable, "-m", "webapp.cli", "chat", "--scenario", SCENARIO_ID, "--out", str(target)],
        input="Bonjour, je vous écoute.\n",
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Client : D'accord. Je comprends." in result.stdout
    assert json.loads(target.read_text(encoding="utf-8"))["turns"][1]["speaker"] == "advisor"
