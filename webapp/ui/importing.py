"""Trainer handler: import recorded dialogues (the batch formats) and grade them in the app."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

from webapp.ui.auth import UIError, require_trainer
from webapp.ui.practice import grade_session
from webapp.ui.services import AppServices, Progress


class ImportResult(BaseModel):
    file: str
    session_id: str | None = None
    score: float | None = None
    error: str | None = None


def import_dialogues(
    services: AppServices,
    token: str | None,
    paths: Iterable[str | Path],
    owner: str | None = None,
    progress: Progress | None = None,
) -> list[ImportResult]:
    """Read each file, store it as an imported session of `owner` (default: the trainer), grade it.

    A bad file or a failed grading is reported for that file; the others go on.
    """
    from crca.settings import load_settings
    from evaluation.formats import TranscriptFormatError, load_transcript

    trainer = require_trainer(services, token)
    owner_id = trainer.id
    if owner:
        match = [u for u in services.repo.list_users() if u.username == owner]
        if not match:
            raise UIError(f"Compte inconnu : {owner}.")
        owner_id = match[0].id
    results, limits = [], load_settings().limits
    files = [Path(p) for p in paths]
    if not files:
        raise UIError("Choisissez au moins un fichier de transcription.")
    for index, path in enumerate(files):
        name = path.name
        try:
            transcript = load_transcript(path, limits)
        except TranscriptFormatError as exc:
            where = f"{exc.where} : " if exc.where else ""
            results.append(ImportResult(file=name, error=where + exc.reason))
            continue
        session = services.repo.create_session(owner_id, transcript, source="import")

        def step(i: int, n: int, label: str, index: int = index, name: str = name) -> None:
            if progress:
                progress(index * n + i, len(files) * n, f"{name} — {label}")

        try:
            grade = grade_session(services, session.id, step)
        except UIError as exc:
            results.append(ImportResult(file=name, session_id=session.id, error=str(exc)))
            continue
        results.append(ImportResult(file=name, session_id=session.id, score=grade.score))
    return results
