"""Glue shared by the Gradio tabs: French error display, export files, choice lists."""

from __future__ import annotations

import functools
import inspect
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from domain.grades import GradeReport
from domain.transcript import ACTION_TYPES, CHANNEL_LABELS_FR, Transcript
from evaluation.reports import batch_json, render_html, render_markdown
from rubrics.models import Rubric
from scenarios.models import PATH_LABELS_FR, PRODUCT_LABELS_FR
from webapp.ui.auth import UIError
from webapp.ui.render import DIFFICULTY_FR

ANY = ("Tous", "")
PRODUCT_CHOICES = [ANY, *((label, p.value) for p, label in PRODUCT_LABELS_FR.items())]
PATH_CHOICES = [ANY, *((label, p.value) for p, label in PATH_LABELS_FR.items())]
CHANNEL_CHOICES = [ANY, *((label, c.value) for c, label in CHANNEL_LABELS_FR.items())]
DIFFICULTY_CHOICES = [ANY, *((label, str(d)) for d, label in DIFFICULTY_FR.items())]
ACTION_CHOICES = [(label, code) for code, label in ACTION_TYPES.items()]
PROGRESS = gr.Progress()
"""Default of a handler's `progress` parameter: Gradio swaps in a tracker per event."""


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Show a handler's UIError as a French error toast (and an API error for clients)."""
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def gen_wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                yield from fn(*args, **kwargs)
            except UIError as exc:
                raise gr.Error(str(exc), title="Erreur", print_exception=False) from exc

        return gen_wrapper

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except UIError as exc:
            raise gr.Error(str(exc), title="Erreur", print_exception=False) from exc

    return wrapper


FRENCH_TOASTS_JS = """
() => {
  if (window.crcaFrenchToasts) return;
  window.crcaFrenchToasts = true;
  const titles = {Error: "Erreur", Warning: "Attention", Info: "Information"};
  const translate = (root) => root.querySelectorAll?.(".toast-title").forEach((title) => {
    const text = title.firstChild;
    const french = text && text.nodeType === Node.TEXT_NODE && titles[text.nodeValue.trim()];
    if (french) text.nodeValue = french + " ";
  });
  new MutationObserver((changes) => changes.forEach((change) => change.addedNodes.forEach(translate)))
    .observe(document.body, {childList: true, subtree: true});
}
"""
"""Toast titles in French. Gradio's page ignores the `title` of `gr.Error` and always shows
« Error » (its client reads `_title`, which the server never sends); installed once on page load."""


def progress_callback(progress: gr.Progress) -> Callable[[int, int, str], None]:
    """Adapt the grader's progress(i, n, label) to Gradio's progress bar (« 8/28 critères »:
    Gradio's default unit, « steps », would show English)."""
    return lambda i, n, label: progress((i, n), desc=label, unit="critères")


EXPORT_ROOT = Path(tempfile.gettempdir()) / "crca-exports"
EXPORT_MAX_AGE = 3600
"""Seconds an export stays on disk: long enough to download it, short enough not to pile up."""


def export_directory(root: Path = EXPORT_ROOT, max_age: float = EXPORT_MAX_AGE) -> Path:
    """A fresh directory for one download; older ones are removed first (Gradio serves a copy)."""
    root.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - max_age
    for old in root.iterdir():
        if old.is_dir() and old.stat().st_mtime < cutoff:
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix="export-", dir=root))


def export_files(report: GradeReport, transcript: Transcript, rubric: Rubric | None) -> list[str]:
    """Markdown, JSON and printable HTML of a (reviewed) report, written for download."""
    directory = export_directory()
    stem = f"evaluation-{report.transcript_id[:8]}"
    contents = {
        f"{stem}.md": render_markdown(report, transcript, rubric),
        f"{stem}.json": batch_json(report, rubric),
        f"{stem}.html": render_html(report, transcript, rubric),
    }
    for name, text in contents.items():
        (directory / name).write_text(text, encoding="utf-8")
    return [str(directory / name) for name in contents]


def text_file(name: str, content: str) -> str:
    directory = export_directory()
    (directory / name).write_text(content, encoding="utf-8")
    return str(directory / name)


def browser_secret(home: Path) -> str:
    """A stable key for BrowserState encryption, so signed-in browsers survive a restart."""
    path = home / "browser_state.key"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()
