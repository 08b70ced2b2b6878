"""The case key: what a complete handling of this case uncovers, proposes, cites and records.

Why: assessors grade completeness and exactness against the case, which generic cues cannot see.
A scenario-linked transcript gets its key from the scenario (hidden facts + expected part); a
recorded role-play gets it from a case file a trainer writes (`crca grade --case FILE`) or from a
`case` block in the transcript file. Same schema as the scenario's expected part, validated, with
French errors.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from domain.transcript import Transcript
from scenarios.models import Scenario, field_path, french_reason


class CaseFact(BaseModel):
    """A fact a complete discovery brings out (a scenario's hidden fact)."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(description="Stable id; app sessions record the ids the client revealed.")
    content: str = Field(min_length=3, description="The fact as the client states it (French).")


class CaseKey(BaseModel):
    """The answer key of one case, read by the grader."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(default="", description="Where it comes from: 'scénario <id>' or a file name.")
    hidden_facts: list[CaseFact] = Field(default_factory=list)
    solution: str = Field(default="", description="The expected solution, in French prose.")
    articles: list[str] = Field(default_factory=list, description="Knowledge article ids to apply.")
    criteria: list[str] = Field(default_factory=list, description="Criterion ids the case makes observable.")
    expected_actions: list[str] = Field(default_factory=list, description="Operation codes to log.")

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> CaseKey:
        facts = [CaseFact(id=f.id, content=f.content) for f in scenario.hidden_facts]
        e = scenario.expected
        return cls(
            source=f"scénario {scenario.id}", hidden_facts=facts, solution=e.solution,
            articles=e.articles, criteria=e.criteria, expected_actions=e.expected_actions,
        )  # fmt: skip


class CaseKeyError(ValueError):
    """A case file or block that cannot be read; the message says where and why, in French."""


def parse_case(data: object, where: str) -> CaseKey:
    """A case key from decoded YAML/JSON: `{hidden_facts, solution, articles, criteria,
    expected_actions}`, or a scenario-like `{hidden_facts, expected: {...}}`."""
    if not isinstance(data, dict):
        raise CaseKeyError(f"{where} : un objet (clé: valeur) est attendu pour le corrigé du cas")
    fields: dict[str, Any] = dict(data)
    if isinstance(fields.get("expected"), dict):
        fields = {**{k: v for k, v in fields.items() if k != "expected"}, **fields["expected"]}
    try:
        key = CaseKey.model_validate({"source": where, **fields})
    except ValidationError as exc:
        problems = "; ".join(f"{field_path(e['loc'])} : {french_reason(e)}" for e in exc.errors())
        raise CaseKeyError(f"{where} : corrigé du cas invalide ({problems})") from exc
    if not (key.hidden_facts or key.solution.strip() or key.articles or key.expected_actions):
        raise CaseKeyError(
            f"{where} : corrigé du cas vide (faits, solution, articles ou opérations attendus)"
        )
    return key


def load_case_file(path: Path | str) -> CaseKey:
    """A trainer's case file (YAML or JSON)."""
    path = Path(path)
    if not path.is_file():
        raise CaseKeyError(f"{path} : fichier de corrigé introuvable")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CaseKeyError(f"{path} : fichier de corrigé illisible ({exc})") from exc
    return parse_case(data, path.name)


def case_block(path: Path | str) -> CaseKey | None:
    """The `case` block of a JSON transcript file, if it has one."""
    path = Path(path)
    if path.suffix.lower() != ".json" or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None  # the transcript reader reports it
    if not isinstance(data, dict) or data.get("case") is None:
        return None
    return parse_case(data["case"], f"{path.name}, bloc case")


def scenario_case(transcript: Transcript) -> CaseKey | None:
    """The key of the scenario the transcript was played on; None when unlinked or unknown."""
    if not transcript.scenario_id:
        return None
    from scenarios.library import load_scenario  # reads YAML: only when a transcript is linked

    try:
        return CaseKey.from_scenario(load_scenario(transcript.scenario_id))
    except LookupError:
        return None


def resolve_case(
    transcript: Transcript, *, path: Path | str | None = None, case_file: CaseKey | None = None
) -> CaseKey | None:
    """The key to grade against: an explicit case file, else the file's `case` block, else the
    scenario the transcript is linked to."""
    if case_file is not None:
        return case_file
    block = case_block(path) if path is not None else None
    return block or scenario_case(transcript)
