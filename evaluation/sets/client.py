"""Typed loader of the client's labelled sets: advisor intents, responsiveness probes, reading audit.

The files are written by people who did not write the client (schema fixed in issue #11); tests and
`benchmarks/client_fidelity.py` read them here only. The intent list is the files' closed list; a
test keeps it equal to the client's own (`bot.intents.INTENTS`), which this package may not import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, TypeAdapter

SETS_DIR = Path(__file__).parent
INTENTS_FILE = SETS_DIR / "client-intents" / "turns.yaml"
PROBES_FILE = SETS_DIR / "client-probes" / "probes.yaml"
AUDIT_DIR = SETS_DIR / "client-audit"

AdvisorIntent = Literal[
    "greeting", "identification", "situation_question", "reformulation", "proposal", "explanation",
    "acknowledgement", "hold", "anything_else", "closing", "unclear",
]  # fmt: skip
IdentityField = Literal["name", "birth_date", "address", "postcode", "contract_number", "claim_number",
                        "phone", "email"]  # fmt: skip
Expectation = Literal[
    "identity", "fact", "corrects", "confirms", "anything_else", "reacts", "waits", "goodbye"
]
AuditLabel = Literal["coherent", "non_sequitur", "role_break", "invented_fact", "repetition"]


class IntentTurn(BaseModel):
    """One advisor turn and the intent the client must respond to."""

    id: str
    scenario: str = Field(description="A scenario id.")
    previous_client: str | None = Field(default=None, description="Default: the scenario's opening line.")
    advisor: str
    intent: AdvisorIntent
    also: list[AdvisorIntent] = Field(default_factory=list)
    asks: list[IdentityField] = Field(default_factory=list, description="Identification only.")


class HistoryTurn(BaseModel):
    speaker: Literal["advisor", "client"]
    text: str


class Probe(BaseModel):
    """A trainee turn with an expected content checkable by rule."""

    id: str
    scenario: str
    history: list[HistoryTurn] = Field(default_factory=list, description="After the opening line.")
    advisor: str
    intent: str = Field(description="Informative only (the probes file names intents its own way).")
    expect: Expectation
    any_of: list[str] = Field(default_factory=list, description="At least one must appear (whole words).")
    none_of: list[str] = Field(default_factory=list, description="None may appear.")


class AuditReply(BaseModel):
    """A client reply to be read blind."""

    id: str
    scenario: str
    mode: Literal["model", "lines"]
    history: list[HistoryTurn] = Field(default_factory=list)
    advisor: str
    reply: str


class AuditReading(BaseModel):
    """The blind reader's label of one reply."""

    id: str
    label: AuditLabel
    note: str = ""


def set_file(name: str, default: str, base: Path | None = None) -> Path:
    """The YAML file of a named set folder (`client-intents-2`): `default` if present, else its only one."""
    folder = (base or SETS_DIR) / name
    if (folder / default).is_file() or not folder.is_dir():
        return folder / default
    found = sorted(p for p in folder.glob("*.yaml") if not p.name.startswith(("labels", "README")))
    return found[0] if len(found) == 1 else folder / default


def _load(path: Path, kind: Any) -> list[Any]:
    if not path.is_file():
        raise FileNotFoundError(f"Jeu introuvable : {path} (il est écrit par d'autres, voir le ticket #11).")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return TypeAdapter(list[kind]).validate_python(raw)


def load_intent_turns(path: Path = INTENTS_FILE) -> list[IntentTurn]:
    return _load(path, IntentTurn)


def load_probes(path: Path = PROBES_FILE) -> list[Probe]:
    return _load(path, Probe)


def load_audit_replies(path: Path = AUDIT_DIR / "replies.yaml") -> list[AuditReply]:
    return _load(path, AuditReply)


def load_audit_labels(path: Path = AUDIT_DIR / "labels.yaml") -> list[AuditReading]:
    return _load(path, AuditReading)


def write_audit_replies(replies: list[AuditReply], path: Path = AUDIT_DIR / "replies.yaml") -> Path:
    """The replies for the blind reader, in order (the reader labels them in labels.yaml)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = [r.model_dump() for r in replies]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8")
    return path
