"""`crca chat`: a conversation with the simulated client in the terminal.

Trainee lines come from stdin (a pipe works: no TTY needed), client lines go to stdout as they
stream, so scripts can drive a conversation. `/action type: detail` records a back-office action,
`/fin` or end of input stops; the transcript is saved as JSON in the shared transcript format.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from bot.conversation import END_REASONS_FR, Conversation
from bot.simulator import ConditionSearch
from crca.llm import LLMError
from domain.transcript import ACTION_TYPES
from scenarios.models import Scenario


def _load(scenario_id: str) -> Scenario | None:
    from scenarios.library import UnknownScenarioError, load_scenario, scenario_files

    try:
        return load_scenario(scenario_id)
    except UnknownScenarioError as exc:
        known = ", ".join(p.stem for p in scenario_files()) or "aucun"
        print(f"Erreur : {exc}\nScénarios disponibles : {known}", file=sys.stderr)
        return None


def _retriever() -> ConditionSearch | None:
    """The conditions index when `crca index` has built it (never built here: it is slow)."""
    from crca.settings import load_settings

    if not (load_settings().home / "chroma").is_dir():
        return None
    try:
        from knowledge.retriever import ConditionRetriever

        return ConditionRetriever.open()
    except Exception:  # absent module or index not built yet: consistency lookups are optional
        return None


def default_out(transcript_id: str) -> Path:
    from crca.settings import load_settings

    return load_settings().home / "transcripts" / f"{transcript_id}.json"


def _stream(pieces: object, out: TextIO) -> bool:
    """Print a streamed reply; False (with a French message) when the model failed."""
    print("Client : ", end="", file=out, flush=True)
    try:
        for piece in pieces:  # type: ignore[attr-defined]
            print(piece, end="", file=out, flush=True)
    except LLMError as exc:
        print(f"\n[Le client ne répond pas : {exc} Tapez /relance pour réessayer.]", file=out, flush=True)
        return False
    print(file=out, flush=True)
    return True


def _action(conversation: Conversation, command: str, out: TextIO) -> None:
    body = command.removeprefix("/action").strip()
    kind, _, detail = body.partition(":")
    if not kind.strip():
        print("Usage : /action type: détail (types : " + ", ".join(ACTION_TYPES) + ")", file=out)
        return
    action = conversation.record_action(kind.strip(), detail.strip())
    label = ACTION_TYPES.get(action.type, "type libre")
    print(f"[Action enregistrée : {action.type} ({label})]", file=out, flush=True)


def run_chat(args: argparse.Namespace, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    """Play a scenario from stdin to stdout; returns the exit code (2: unknown scenario)."""
    from bot.simulator import ClientSimulator
    from crca.llm import chat_model

    stdin, out = stdin or sys.stdin, out or sys.stdout
    scenario = _load(args.scenario)
    if scenario is None:
        return 2
    conversation = Conversation(scenario, ClientSimulator(scenario, chat_model("client"), _retriever()))
    print(f"=== {scenario.title} ===\n{scenario.brief()}\n", file=out)
    print("(Écrivez vos réponses ; /action type: détail, /relance, /fin pour terminer.)\n", file=out)
    print(f"Client : {conversation.transcript.turns[0].text}", file=out, flush=True)
    for raw in stdin:
        line = raw.strip()
        if not line:
            continue
        if line == "/fin":
            break
        if line.startswith("/action"):
            _action(conversation, line, out)
        elif line == "/relance":
            if conversation.awaiting_reply:
                _stream(conversation.retry(), out)
        elif conversation.ended:
            print("[La conversation est terminée ; tapez /fin.]", file=out)
        else:
            _stream(conversation.send(line), out)
            if conversation.ended:
                reason = END_REASONS_FR.get(conversation.end_reason or "", conversation.end_reason)
                print(f"[Fin de l'échange : {reason}.]", file=out, flush=True)
    target = Path(args.out) if getattr(args, "out", None) else default_out(conversation.transcript.id)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(conversation.transcript.model_dump_json(indent=2), encoding="utf-8")
    print(f"Transcription enregistrée : {target}", file=out)
    return 0
