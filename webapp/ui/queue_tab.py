"""The review queue screen: one card at a time beside the report, decided in one click or by keyboard.

The cursor (the session, the card order fixed when it was opened, the current card) is JSON in
a hidden textbox: a `gr.State` would keep a heartbeat connection open per browser tab. Each
decision is stored, then the report beside the card is rebuilt from the stored reviews, so its
synthesis, counts and score follow.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from domain.grades import VERDICT_LABELS_FR
from domain.review import TRAINER_VERDICTS
from webapp.ui import queue
from webapp.ui.auth import UIError, require_trainer
from webapp.ui.render import overrides_markdown, report_iframe
from webapp.ui.review_render import card_html, progress_markdown
from webapp.ui.services import AppServices
from webapp.ui.widgets import export_files, guarded

KEYS_JS = """
() => {
  if (window.crcaReviewKeys) return;
  window.crcaReviewKeys = true;
  const keys = {c: "queue-confirm", n: "queue-next", p: "queue-prev", "1": "queue-v-acquired",
    "2": "queue-v-partial", "3": "queue-v-not_acquired", "4": "queue-v-not_observed"};
  const shown = (id) => {
    const node = document.getElementById(id);
    const button = node && (node.tagName === "BUTTON" ? node : node.querySelector("button"));
    return button && button.offsetParent !== null ? button : null;
  };
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target && (target.isContentEditable
      || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
    if (typing) { if (event.key === "Escape") target.blur(); return; }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const id = keys[event.key.toLowerCase()];
    if (!id || !shown("queue-confirm")) return;
    // The current verdict has no button: its key confirms it.
    const button = shown(id) || (/^[1-4]$/.test(event.key) ? shown("queue-confirm") : null);
    if (!button) return;
    event.preventDefault();
    button.click();
  });
}
"""
"""Keyboard shortcuts of the queue, installed once on page load; inactive while typing in a field."""


@dataclass
class QueueView:
    outputs: list[Any]
    open: Callable[..., list[Any]]
    cursor: gr.Textbox
    decisions: list[Any] = field(default_factory=list)
    """The decision events, for screens that follow a session's review (the session list)."""


def _cursor(q: queue.ReviewQueue, order: list[str] | None, current: str | None) -> dict[str, Any]:
    return {"session": q.session.id, "order": order or q.order(), "current": current or q.order()[0]}


NO_SESSION = "Aucune session ouverte : cliquez une ligne de la liste des sessions."


def _read(text: str | None) -> dict[str, Any]:
    """The cursor sent back by the browser; refused before a session is opened (the trainee's
    « choisissez un scénario » would send the trainer to the wrong screen)."""
    if not text:
        raise UIError(NO_SESSION)
    try:
        state = json.loads(text)
        assert isinstance(state["session"], str) and isinstance(state["current"], str)
        assert isinstance(state["order"], list) and all(isinstance(c, str) for c in state["order"])
    except (ValueError, KeyError, TypeError, AssertionError) as exc:
        raise UIError("Rouvrez la session : la file de revue n'est plus valide.") from exc
    return state


def build_queue(services: AppServices, token: gr.BrowserState, session_id: gr.Textbox) -> QueueView:
    cursor = gr.Textbox(visible=False, elem_id="queue-cursor")
    with gr.Row():
        with gr.Column(scale=2):
            progress = gr.Markdown(elem_id="queue-progress")
            card = gr.HTML(elem_id="queue-card")
            with gr.Row():
                prev = gr.Button("◀ Précédent (p)", size="sm", elem_id="queue-prev")
                confirm = gr.Button("Confirmer (c)", variant="primary", elem_id="queue-confirm")
                nxt = gr.Button("Suivant (n) ▶", size="sm", elem_id="queue-next")
            comment = gr.Textbox(
                label="Commentaire (obligatoire pour modifier)", lines=2, elem_id="queue-comment"
            )
            gr.Markdown("Modifier le verdict :")
            with gr.Row():
                verdicts = {
                    v: gr.Button(f"{i} · {VERDICT_LABELS_FR[v]}", size="sm", elem_id=f"queue-v-{v.value}")
                    for i, v in enumerate(TRAINER_VERDICTS, start=1)
                }
            with gr.Accordion("Historique des décisions", open=False):
                history = gr.Markdown(elem_id="queue-history")
            files = gr.File(label="Rapport revu", file_count="multiple", interactive=False,
                            elem_id="trainer-downloads")  # fmt: skip
        with gr.Column(scale=3):
            report = gr.HTML(elem_id="trainer-report")
    outputs = [cursor, progress, card, *verdicts.values(), report, history, files, comment]

    def screen(q: queue.ReviewQueue, order: list[str] | None, current: str | None, full: bool) -> list[Any]:
        """Every output for the queue on card `current`; `full` also rebuilds report and downloads."""
        state = _cursor(q, order, current)
        text = json.dumps(state)
        shown = q.card(state["current"])
        buttons = [gr.update(visible=v != shown.verdict) for v in verdicts]
        if not full:
            return [text, progress_markdown(q), card_html(q, shown.criterion_id), *buttons,
                    gr.update(), gr.update(), gr.update(), gr.update()]  # fmt: skip
        grade = services.repo.latest_grade(q.session.id)
        rubric = services.rubric.get()
        transcript = q.session.transcript
        return [text, progress_markdown(q), card_html(q, shown.criterion_id), *buttons,
                report_iframe(q.report, transcript, rubric), overrides_markdown(grade) if grade else "",
                export_files(q.report, transcript, rubric), ""]  # fmt: skip

    @guarded
    def on_open(tok: str | None, sid: str) -> list[Any]:
        q = queue.review_queue(services, tok, sid)
        first = q.next_open(q.order(), "") or q.order()[0]
        return screen(q, None, first, full=True)

    def _decide(tok: str | None, cursor_text: str | None, verdict: str | None, text: str) -> list[Any]:
        require_trainer(services, tok)
        state = _read(cursor_text)
        q = queue.decide(services, tok, state["session"], state["current"], verdict, text)
        following = q.next_open(state["order"], state["current"]) or state["current"]
        return screen(q, state["order"], following, full=True)

    @guarded
    def on_confirm(tok: str | None, cursor_text: str | None) -> list[Any]:
        return _decide(tok, cursor_text, None, "")

    def on_verdict(verdict: str) -> Callable[..., list[Any]]:
        @guarded
        def handler(tok: str | None, cursor_text: str | None, text: str) -> list[Any]:
            return _decide(tok, cursor_text, verdict, text)

        return handler

    def check(verdict: str) -> Callable[..., None]:
        """A refused change (no comment) is shown as a toast only: outputs and comment stay as they were."""

        @guarded
        def handler(tok: str | None, cursor_text: str | None, text: str) -> None:
            require_trainer(services, tok)
            state = _read(cursor_text)
            queue.decide(services, tok, state["session"], state["current"], verdict, text, store=False)

        return handler

    def on_move(step: int) -> Callable[..., list[Any]]:
        @guarded
        def handler(tok: str | None, cursor_text: str | None) -> list[Any]:
            require_trainer(services, tok)
            state = _read(cursor_text)
            q = queue.review_queue(services, tok, state["session"])
            order = state["order"]
            at = order.index(state["current"]) if state["current"] in order else 0
            return screen(q, order, order[(at + step) % len(order)], full=False)

        return handler

    decisions = [
        confirm.click(on_confirm, [token, cursor], outputs, api_name="queue_confirm", show_progress="minimal")
    ]
    for v, button in verdicts.items():
        checked = button.click(check(v.value), [token, cursor, comment], None, api_name=False)
        decided = checked.success(
            on_verdict(v.value),
            [token, cursor, comment],
            outputs,
            api_name=f"queue_{v.value}",
            show_progress="minimal",
        )
        decisions.append(decided)
    nxt.click(on_move(1), [token, cursor], outputs, api_name="queue_next", show_progress="minimal")
    prev.click(on_move(-1), [token, cursor], outputs, api_name="queue_previous", show_progress="minimal")
    return QueueView(outputs=outputs, open=on_open, cursor=cursor, decisions=decisions)
