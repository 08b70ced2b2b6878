"""The "Stagiaire" tab: scenario, brief, chat, conditions search, back-office, grading, report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from webapp.storage import STATUS_LABELS_FR, SessionRecord
from webapp.ui import practice
from webapp.ui.progress import my_progress
from webapp.ui.render import actions_markdown, brief_markdown, chat_messages, hits_markdown, report_iframe
from webapp.ui.review import report_view
from webapp.ui.review_render import progress_html, trainer_notes_markdown
from webapp.ui.services import AppServices
from webapp.ui.widgets import (
    ACTION_CHOICES,
    CHANNEL_CHOICES,
    DIFFICULTY_CHOICES,
    PATH_CHOICES,
    PRODUCT_CHOICES,
    PROGRESS,
    export_files,
    guarded,
    progress_callback,
)

ENDED = "Le client a mis fin à l'échange : cliquez sur « Terminer et évaluer »."


@dataclass
class TraineeTab:
    """Components the app-level sign-in and page-load handlers fill."""

    scenario: gr.Dropdown
    history: gr.Dropdown
    session_outputs: list[Any]


def session_values(services: AppServices, token: str | None, record: SessionRecord | None) -> list[Any]:
    """Values of `session_outputs` for a session (or an empty screen)."""
    progress = progress_values(services, token)
    if record is None:
        return [None, [], "", actions_markdown_empty(), "", "", None, "", gr.update(visible=False), *progress]
    brief = ""
    if record.scenario_id in services.scenarios.get():
        brief = brief_markdown(services.scenarios.get()[record.scenario_id or ""])
    status = f"⚠️ Dernière erreur : {record.last_error} Utilisez « Renvoyer »." if record.last_error else ""
    report, files, notes = "", None, ""
    if record.status == "graded":
        view = report_view(services, token, record.id)
        if view.report is not None:
            rubric = services.rubric.get()
            report = report_iframe(view.report, record.transcript, rubric)
            files = export_files(view.report, record.transcript, rubric)
            notes = trainer_notes_markdown(view.report)
            status = "Session évaluée : voici votre rapport."
    replay = gr.update(visible=record.status == "graded" and record.scenario_id in services.scenarios.get())
    return [record.id, chat_messages(record.transcript), brief, actions_markdown(record.transcript), status,
            report, files, notes, replay, *progress]  # fmt: skip


def progress_values(services: AppServices, token: str | None) -> list[Any]:
    """The progress plot (acquisition per bloc over sessions) and criterion × session table."""
    if not token or services.repo.user_for_token(token) is None:
        return [None, ""]
    import pandas as pd

    progress = my_progress(services, token)
    frame = pd.DataFrame(
        [{"séance": n, "acquis (%)": round(rate * 100), "bloc": f"Bloc {bloc}"}
         for n, bloc, rate in progress.bloc_rates()], columns=["séance", "acquis (%)", "bloc"],
    )  # fmt: skip
    return [frame, progress_html(progress, services.rubric.get())]


def actions_markdown_empty() -> str:
    return "_Aucune opération enregistrée._"


def history_choices(services: AppServices, token: str | None) -> list[tuple[str, str]]:
    """« 07/12 23:41 — scénario (évaluée, relue par le formateur) »: a reviewed report is worth reopening."""
    return [
        (f"{s.created_at:%d/%m %H:%M} — {s.scenario_id or 'import'} ({STATUS_LABELS_FR[s.status]}"
         f"{_reviewed(s)})", s.id)
        for s in practice.my_sessions(services, token)
    ]  # fmt: skip


def _reviewed(session: SessionRecord) -> str:
    if session.review is None or not session.review.reviewed:
        return ""
    return ", relue par le formateur" if session.review.complete else ", relecture en cours"


def build_trainee_tab(services: AppServices, token: gr.BrowserState, current: gr.BrowserState) -> TraineeTab:
    gr.Markdown("Choisissez un scénario, lisez le dossier client puis répondez au client simulé.")
    with gr.Row():
        product = gr.Dropdown(PRODUCT_CHOICES, value="", label="Produit")
        path = gr.Dropdown(PATH_CHOICES, value="", label="Parcours")
        channel = gr.Dropdown(CHANNEL_CHOICES, value="", label="Canal")
        difficulty = gr.Dropdown(DIFFICULTY_CHOICES, value="", label="Difficulté")
    with gr.Row():
        scenario = gr.Dropdown([], label="Scénario", scale=3, elem_id="scenario-picker")
        start = gr.Button("Commencer ce scénario", variant="primary", scale=1, elem_id="start-btn")
    with gr.Row():
        history = gr.Dropdown([], label="Mes sessions", scale=3, elem_id="my-sessions")
        resume = gr.Button("Reprendre", scale=1, elem_id="resume-btn")
    brief = gr.Markdown(elem_id="brief")
    with gr.Row():
        with gr.Column(scale=3):
            chat = gr.Chatbot(label="Échange avec le client", height=420, elem_id="chat")
            message = gr.Textbox(label="Votre réponse au client", lines=2, elem_id="message")
            with gr.Row():
                send = gr.Button("Envoyer", variant="primary", elem_id="send-btn")
                resend = gr.Button("Renvoyer", elem_id="resend-btn")
            status = gr.Markdown(elem_id="chat-status")
        with gr.Column(scale=2):
            with gr.Accordion("Conditions contractuelles", open=False):
                query = gr.Textbox(label="Rechercher dans les conditions", elem_id="conditions-query")
                query_product = gr.Dropdown(PRODUCT_CHOICES[:-1], value="", label="Produit")
                search = gr.Button("Rechercher", elem_id="conditions-btn")
                hits = gr.Markdown(elem_id="conditions-hits")
            with gr.Accordion("Back-office", open=True):
                action_type = gr.Dropdown(ACTION_CHOICES, label="Opération", elem_id="action-type")
                action_detail = gr.Textbox(label="Détail", elem_id="action-detail")
                record = gr.Button("Enregistrer l'opération", elem_id="action-btn")
                actions = gr.Markdown(actions_markdown_empty(), elem_id="actions-log")
    with gr.Row():
        finish = gr.Button("Terminer et évaluer", variant="stop", elem_id="finish-btn")
        replay = gr.Button("Rejouer ce scénario", visible=False, elem_id="replay-btn")
    notes = gr.Markdown(elem_id="trainer-notes")
    report = gr.HTML(elem_id="report")
    files = gr.File(
        label="Télécharger le rapport", file_count="multiple", interactive=False, elem_id="downloads"
    )
    with gr.Accordion("Ma progression par critère", open=False):
        # Sessions are numbered 1, 2, 3: integer ticks, not « 1.000000 ».
        plot = gr.LinePlot(x="séance", y="acquis (%)", color="bloc", elem_id="my-progress-plot",
                           x_axis_format="d", label="Acquisition par bloc, séance après séance")  # fmt: skip
        table = gr.HTML(elem_id="my-progress")
    outputs = [current, chat, brief, actions, status, report, files, notes, replay, plot, table]

    def on_filter(product: str, path: str, channel: str, difficulty: str) -> Any:
        found = practice.filter_scenarios(
            services.scenarios.get(), product=product, path=path, channel=channel,
            difficulty=int(difficulty) if difficulty else None,
        )  # fmt: skip
        from webapp.ui.render import scenario_label

        choices = [(scenario_label(s), s.id) for s in found]
        return gr.update(choices=choices, value=choices[0][1] if choices else None)

    def on_pick(scenario_id: str | None) -> str:
        return brief_markdown(practice.scenario(services, scenario_id)) if scenario_id else ""

    @guarded
    def on_start(tok: str | None, scenario_id: str | None) -> list[Any]:
        record = practice.start_session(services, tok, scenario_id or "")
        choices = gr.update(choices=history_choices(services, tok), value=record.id)
        return [*session_values(services, tok, record), choices]

    @guarded
    def on_replay(tok: str | None, session_id: str | None) -> list[Any]:
        done = practice.session_for(services, tok, session_id)
        return on_start(tok, done.scenario_id)

    @guarded
    def on_resume(tok: str | None, session_id: str | None) -> list[Any]:
        return session_values(services, tok, practice.session_for(services, tok, session_id))

    def stream(updates: Any) -> Any:
        for update in updates:
            note = f"⚠️ {update.error}" if update.error else (ENDED if update.ended else "")
            yield chat_messages(update), note, ""

    @guarded
    def on_check(tok: str | None, session_id: str | None, text: str) -> None:
        """A refused message is a toast only: a failing streaming step would blank the chat."""
        practice.check_message(services, tok, session_id, text)

    @guarded
    def on_send(tok: str | None, session_id: str | None, text: str) -> Any:
        yield from stream(practice.send_message(services, tok, session_id, text))

    @guarded
    def on_resend(tok: str | None, session_id: str | None) -> Any:
        yield from stream(practice.resend(services, tok, session_id))

    @guarded
    def on_action(tok: str | None, session_id: str | None, kind: str | None, detail: str) -> tuple[str, str]:
        transcript = practice.record_action(services, tok, session_id, kind or "", detail)
        return actions_markdown(transcript), ""

    @guarded
    def on_search(query: str, product: str) -> str:
        return hits_markdown(practice.search_conditions(services, query, product))

    @guarded
    def on_finish_check(tok: str | None, session_id: str | None) -> None:
        practice.check_finish(services, tok, session_id)

    @guarded
    def on_finish(tok: str | None, session_id: str | None, progress: gr.Progress = PROGRESS) -> list[Any]:
        practice.finish_and_grade(services, tok, session_id, progress_callback(progress))
        record = practice.session_for(services, tok, session_id)
        # « Mes sessions » must now say « évaluée », not « en cours ».
        choices = gr.update(choices=history_choices(services, tok), value=record.id)
        return [*session_values(services, tok, record), choices]

    filters = [product, path, channel, difficulty]
    for box in filters:
        box.change(on_filter, filters, scenario, api_name=False)
    scenario.change(on_pick, scenario, brief, api_name=False)
    start.click(on_start, [token, scenario], [*outputs, history], api_name="start")
    replay.click(on_replay, [token, current], [*outputs, history], api_name="replay")
    resume.click(on_resume, [token, history], outputs, api_name="resume")
    send_inputs = [token, current, message]
    for trigger, api_name in [(send.click, "send"), (message.submit, False)]:
        checked = trigger(on_check, send_inputs, None, api_name=False)
        checked.success(on_send, send_inputs, [chat, status, message], api_name=api_name)
    resend.click(on_resend, [token, current], [chat, status, message], api_name="resend")
    record.click(
        on_action, [token, current, action_type, action_detail], [actions, action_detail], api_name="action"
    )
    search.click(on_search, [query, query_product], hits, api_name="search")
    query.submit(on_search, [query, query_product], hits, api_name=False)
    finish.click(on_finish_check, [token, current], None, api_name=False).success(
        on_finish, [token, current], [*outputs, history], api_name="finish", concurrency_limit=2
    )
    return TraineeTab(scenario=scenario, history=history, session_outputs=outputs)
