"""Batch grading of recorded transcripts into a results folder, resumable and crash-safe.

Why the JSON is the "done" marker: it is written last, atomically, so a transcript
whose JSON exists was fully graded and reported; an interrupted run resumes there.
Why threads: the work is waiting on a model server. The embedded llama.cpp server
answers one request at a time, so `jobs > 1` only helps with a remote endpoint.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, Field, ValidationError
from tqdm import tqdm

from domain.grades import GradeReport
from domain.transcript import Transcript
from evaluation.formats import TranscriptFormatError, iter_transcript_files, load_transcript
from evaluation.reports import BatchResult, batch_json, render_markdown, summary_csv
from rubrics.models import Rubric

if TYPE_CHECKING:
    from crca.settings import Backend, Settings

SUMMARY_FILE = "summary.csv"


class Grader(Protocol):
    """What batch grading needs from a grader (`evaluation.grader.RubricGrader` is one)."""

    def grade(self, transcript: Transcript, progress: Callable[..., Any] | None = None) -> GradeReport: ...


class BatchFailure(BaseModel):
    path: str
    reason: str = Field(description="French message naming the problem.")


class BatchOutcome(BaseModel):
    """What a run did; the exit code is 1 when `failed` is not empty."""

    graded: list[str] = Field(default_factory=list, description="Ids graded in this run.")
    skipped: list[str] = Field(default_factory=list, description="Ids already graded (resume).")
    failed: list[BatchFailure] = Field(default_factory=list)


def safe_stem(transcript_id: str) -> str:
    """A file name from an id: no path separators, no leading dot."""
    stem = re.sub(r"[^\w.-]+", "_", transcript_id.strip()).lstrip(".")
    return stem or "transcription"


def atomic_write(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def grade_one(grader: Grader, transcript: Transcript, out_dir: Path, rubric: Rubric | None) -> GradeReport:
    """Grade and write `<id>.md` then `<id>.json` (the marker) — nothing if grading fails."""
    report = grader.grade(transcript)
    stem = safe_stem(transcript.id)
    atomic_write(out_dir / f"{stem}.md", render_markdown(report, transcript, rubric))
    atomic_write(out_dir / f"{stem}.json", batch_json(report, rubric))
    return report


def read_results(out_dir: Path) -> list[BatchResult]:
    """Every batch JSON in `out_dir` (other JSON files are ignored)."""
    results = []
    for path in sorted(out_dir.glob("*.json")):
        try:
            results.append(BatchResult.model_validate_json(path.read_text(encoding="utf-8")))
        except (ValidationError, ValueError, OSError):
            continue
    return results


def write_summary(out_dir: Path, rubric: Rubric | None = None) -> Path:
    """Rebuild `summary.csv` from all results in the folder, this run's and earlier ones."""
    ids = [c.id for c in rubric.criteria] if rubric else None
    target = out_dir / SUMMARY_FILE
    atomic_write(target, summary_csv(read_results(out_dir), ids))
    return target


def _plan(
    files: list[Path], out_dir: Path, force: bool, outcome: BatchOutcome
) -> list[tuple[Path, Transcript]]:
    """Load every file; keep those to grade, note skipped and unreadable ones."""
    todo, owners = [], {}
    for path in files:
        try:
            transcript = load_transcript(path)
        except TranscriptFormatError as exc:
            outcome.failed.append(BatchFailure(path=str(path), reason=str(exc)))
            continue
        stem = safe_stem(transcript.id)
        if stem in owners:
            reason = f"{path} : identifiant « {transcript.id} » déjà utilisé par {owners[stem]}"
            outcome.failed.append(BatchFailure(path=str(path), reason=reason))
            continue
        owners[stem] = path
        if not force and (out_dir / f"{stem}.json").exists():
            outcome.skipped.append(transcript.id)
        else:
            todo.append((path, transcript))
    return todo


def run_batch(
    paths: Iterable[Path | str],
    out_dir: Path,
    grader: Grader,
    rubric: Rubric | None = None,
    *,
    jobs: int = 1,
    force: bool = False,
    show_progress: bool = True,
) -> BatchOutcome:
    """Grade every transcript under `paths` into `out_dir`; a bad file is reported, not fatal."""
    out_dir.mkdir(parents=True, exist_ok=True)
    outcome = BatchOutcome()
    todo = _plan(iter_transcript_files(paths), out_dir, force, outcome)
    for failure in outcome.failed:
        print(f"Ignoré : {failure.reason}", file=sys.stderr)
    bar = tqdm(total=len(todo), unit="transcription", file=sys.stderr, disable=not show_progress)

    def done(path: Path, transcript: Transcript, error: Exception | None) -> None:
        if error is None:
            outcome.graded.append(transcript.id)
        else:
            reason = f"{path} : évaluation impossible ({error})"
            outcome.failed.append(BatchFailure(path=str(path), reason=reason))
            tqdm.write(f"Échec : {reason}", file=sys.stderr)
        bar.update(1)

    try:
        if jobs <= 1:  # in the main thread, so Ctrl-C stops at once
            for path, transcript in todo:
                done(path, transcript, _attempt(grader, transcript, out_dir, rubric))
        else:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                futures = {pool.submit(_attempt, grader, t, out_dir, rubric): (p, t) for p, t in todo}
                try:
                    for future in as_completed(futures):
                        done(*futures[future], future.result())
                except BaseException:
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
    finally:
        bar.close()
    write_summary(out_dir, rubric)
    return outcome


def _attempt(
    grader: Grader, transcript: Transcript, out_dir: Path, rubric: Rubric | None
) -> Exception | None:
    try:
        grade_one(grader, transcript, out_dir, rubric)
    except Exception as exc:  # a model or grader failure affects this transcript only
        return exc
    return None


def build_grader(settings: Settings, backend: Backend | None = None) -> tuple[Grader, Rubric]:
    """The configured `RubricGrader` and its rubric; heavy imports happen here, not at import time."""
    from evaluation.grader import RubricGrader

    if backend:
        settings.grader.backend = backend
    grader = RubricGrader.from_settings(settings, fact_checker=_fact_checker(settings))
    return grader, grader.rubric


def _fact_checker(settings: Settings) -> Any | None:
    """The knowledge fact-check when its index can be opened, else None (with a warning)."""
    from knowledge.factory import open_fact_checker

    try:
        return open_fact_checker(settings)
    except Exception as exc:  # a missing index must not stop grading; say so
        print(f"Avertissement : vérification des faits indisponible ({exc}).", file=sys.stderr)
        return None
