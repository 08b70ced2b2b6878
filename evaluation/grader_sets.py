"""Typed loaders for the grader's blind labelled files: advisor statements and fault sentences.

Why typed: the files are written by people who never read the grader; a typo in a label must stop
the benchmark with a French message naming the item, not skew a published figure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scenarios.models import field_path, french_reason

SETS_DIR = Path(__file__).parent / "sets"
STATEMENTS_FILE = SETS_DIR / "factcheck-statements" / "statements.yaml"
FAULTS_FILE = SETS_DIR / "faults" / "sentences.yaml"

FaultKind = Literal["false_promise", "pressure", "jargon", "curt", "bank_details", "none"]


class StatementItem(BaseModel):
    """One advisor statement labelled against the corpus insurer's conditions."""

    model_config = ConfigDict(extra="forbid")

    id: str
    scenario: str | None = Field(default=None, description="Scenario played: its insurer's conditions apply.")
    context: str = Field(default="", description="What the advisor knew (former insurer, contract held).")
    previous_client: str = Field(default="", description="The client's line just before.")
    statement: str = Field(min_length=1)
    label: Literal[True, "contradicts", "unverifiable"] = Field(
        description="true | contradicts | unverifiable (the corpus conditions do not decide it)."
    )
    articles: list[str] = Field(default_factory=list)
    note: str = ""

    @field_validator("label", mode="before")
    @classmethod
    def _quoted_true(cls, value: object) -> object:
        """A label written `'true'` (quoted in the YAML) means the boolean."""
        return True if isinstance(value, str) and value.strip().lower() == "true" else value


class FaultItem(BaseModel):
    """One advisor sentence, a fault in everyday wording or a correct one (`none`)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    scenario: str | None = None
    previous_client: str = ""
    text: str = Field(min_length=1)
    fault: FaultKind
    note: str = ""


class LabelledSetError(ValueError):
    """A labelled file that cannot be read; the message names the file and the item, in French."""


def _load(path: Path, model: type[BaseModel]) -> list:
    if not path.is_file():
        raise LabelledSetError(f"{path} : fichier introuvable (le jeu à l'aveugle n'est pas encore écrit ?)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LabelledSetError(f"{path} : YAML invalide ({exc})") from exc
    if not isinstance(data, list) or not data:
        raise LabelledSetError(f"{path} : une liste non vide d'éléments est attendue")
    items, ids = [], set()
    for number, raw in enumerate(data, start=1):
        where = f"{path.name}, élément {number}" + (f" ({raw.get('id')})" if isinstance(raw, dict) else "")
        try:
            item = model.model_validate(raw)
        except ValidationError as exc:
            problems = "; ".join(f"{field_path(e['loc'])} : {french_reason(e)}" for e in exc.errors())
            raise LabelledSetError(f"{where} : {problems}") from exc
        if item.id in ids:
            raise LabelledSetError(f"{where} : identifiant en double")
        ids.add(item.id)
        items.append(item)
    return items


def load_statements(path: Path = STATEMENTS_FILE) -> list[StatementItem]:
    return _load(path, StatementItem)


def load_faults(path: Path = FAULTS_FILE) -> list[FaultItem]:
    return _load(path, FaultItem)
