"""The one loader of the labelled sets: typed labels and the transcripts they grade.

`labels.yaml`: transcript id → criterion id → `{verdict, rationale}` (a bare verdict code is
accepted too); `twins.yaml` (or a `twin_of: <id>` entry) maps an injected transcript to the clean
one it copies.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.grades import Verdict
from domain.transcript import Transcript
from evaluation.formats import iter_transcript_files, load_transcript

SETS_DIR = Path(__file__).resolve().parent
SET_NAMES = ("devset", "heldout", "testset", "testset2", "testset3")
"""By how much the rubric has seen them: devset (tuned on), heldout, testset, testset2 (measured,
then opened to tuning), testset3 (the blind set figures are cited on, never tuned on)."""
LABEL_FILES = ("labels.yaml", "labels.yml", "labels.json")


class Label(BaseModel):
    """An assessor's verdict on one criterion of one transcript."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    verdict: Verdict = Field(description="The assessor's verdict (never could_not_grade).")
    rationale: str = Field(default="", description="Why, citing turns as t<index>.")

    @model_validator(mode="before")
    @classmethod
    def _bare_code(cls, value: Any) -> Any:
        return {"verdict": value} if isinstance(value, str) else value


Labels = dict[str, dict[str, Label]]
"""Transcript id → criterion id → label, in file order."""


class LabelledItem(BaseModel):
    """One labelled transcript of a set."""

    transcript: Transcript
    verdicts: dict[str, str] = Field(description="criterion id → verdict code of the assessor.")
    twin_of: str | None = Field(default=None, description="Clean transcript an injected one copies.")


def set_dir(name: str | Path) -> Path:
    """The folder of the set called `name` (see `SET_NAMES`), or `name` itself as a folder path,
    e.g. the trainers' labels exported by `crca reviews export --out DIR`."""
    bare = str(name)
    if "/" not in bare and (SETS_DIR / bare).is_dir():
        return SETS_DIR / bare
    return Path(name)


def label_file(folder: Path) -> Path:
    found = next((folder / n for n in LABEL_FILES if (folder / n).is_file()), None)
    if found is None:
        raise FileNotFoundError(f"Aucun fichier d'étiquettes ({', '.join(LABEL_FILES)}) dans {folder}")
    return found


def _entries(path: Path) -> dict[str, Any]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    raw = raw.get("transcripts", raw) if isinstance(raw, dict) else raw
    return raw if isinstance(raw, dict) else {e["id"]: e for e in raw}


def label_parts(folder: Path) -> list[Path]:
    """The folder's label file, or, for a set written in parts by several people and no
    `labels.yaml`, every `labels-<part>.yaml` (their transcripts are disjoint)."""
    if any((folder / n).is_file() for n in LABEL_FILES):
        return [label_file(folder)]
    parts = sorted(p for p in folder.glob("labels-*.y*ml") if p.is_file())
    return parts or [label_file(folder)]


def _all_entries(folder: Path) -> dict[str, Any]:
    entries: dict[str, Any] = {}
    for part in label_parts(folder):
        for tid, entry in _entries(part).items():
            if tid in entries:
                raise ValueError(f"« {tid} » étiqueté dans deux fichiers de {folder}")
            entries[tid] = entry
    return entries


def load_labels(path: Path) -> Labels:
    """The labels of a file (or of a set folder's label file or parts), validated."""
    labels: Labels = {}
    entries = _all_entries(path) if path.is_dir() else _entries(path)
    for tid, entry in entries.items():
        per_criterion = entry.get("verdicts", entry) if isinstance(entry, dict) else {}
        labels[tid] = {k: Label.model_validate(v) for k, v in per_criterion.items() if k[:1] == "B"}
    return labels


def load_set(folder: str | Path) -> list[LabelledItem]:
    """The transcripts of a set (a name of `SET_NAMES` or a folder path) with their labels, by id."""
    folder = set_dir(folder)
    entries = _all_entries(folder)
    files = [p for p in iter_transcript_files([folder]) if p.name not in LABEL_FILES]
    transcripts = {t.id: t for t in map(load_transcript, files)}
    twins_file = folder / "twins.yaml"
    twins = yaml.safe_load(twins_file.read_text(encoding="utf-8")) if twins_file.is_file() else {}
    items = []
    for tid, per_criterion in load_labels(folder).items():
        if tid not in transcripts:
            raise ValueError(f"Étiquettes pour « {tid} » mais aucune transcription de cet identifiant")
        entry = entries[tid]
        twin = (entry.get("twin_of") if isinstance(entry, dict) else None) or twins.get(tid)
        verdicts = {cid: label.verdict.value for cid, label in per_criterion.items()}
        items.append(LabelledItem(transcript=transcripts[tid], verdicts=verdicts, twin_of=twin))
    return sorted(items, key=lambda i: i.transcript.id)
