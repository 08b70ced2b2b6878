"""The "Formateur" tab: sessions awaiting review, the review queue, cohort view, import, CSV.

Hidden for trainees, and every handler refuses them anyway (`require_trainer`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import gradio as gr

from webapp.ui import importing, queue, review
from webapp.ui.agreement_tab import build_agreement_tab
from webapp.ui.auth import UIError
from webapp.ui.journal_tab import build_journal_tab
from webapp.ui.queue_tab import build_queue
from webapp.ui.render import SESSION_HEADERS, heatmap_html, session_rows
from webapp.ui.services import AppServices
from webapp.ui.widgets import PROGRESS, guarded, progress_callback, text_file


@dataclass
class TrainerTab:
    trainee: gr.Dropdown
    cohort: gr.Dropdown
    scenario: gr.Dropdown
    owner: gr.Dropdown
    list_sessions: Callable[..., Any]
    list_inputs: list[Any]
    table: gr.Dataframe


def _day(text: str | None) -> date | None:
    if not (text or "").strip():
        return None
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError as exc:
        raise UIError(f"Date invalide : {text} (format AAAA-MM-JJ).") from exc


def filters_of(
    trainee: str, cohort: str, scenario: str, since: str, until: str, min_score: Any, max_score: Any
) -> Any:
    return review.SessionFilters(
        trainee=trainee or None, cohort=cohort or None, scenario_id=scenario or None, since=_day(since),
        until=_day(until),
        min_score=float(min_score) if min_score not in (None, "") and float(min_score) > 0 else None,
        max_score=float(max_score) if max_score not in (None, "") and float(max_score) < 100 else None,
    )  # fmt: skip


def build_trainer_tab(services: AppServices, token: gr.BrowserState) -> TrainerTab:
    with gr.Tab("Relire une session"):
        with gr.Accordion("Filtres", open=False):
            with gr.Row():
                trainee = gr.Dropdown([("Tous", "")], value="", label="Stagiaire")
                cohort = gr.Dropdown([("Toutes", "")], value="", label="Cohorte", elem_id="trainer-cohort")
                scenario = gr.Dropdown([("Tous", "")], value="", label="Scénario")
                since = gr.Textbox(label="Depuis le (AAAA-MM-JJ)")
                until = gr.Textbox(label="Jusqu'au (AAAA-MM-JJ)")
                # 0 and 100 mean "no bound", so ungraded sessions stay listed by default.
                min_score = gr.Number(0, label="Score min. (%)", minimum=0, maximum=100)
                max_score = gr.Number(100, label="Score max. (%)", minimum=0, maximum=100)
        with gr.Row():
            show = gr.Button("Afficher les sessions", variant="primary", elem_id="trainer-list-btn")
            export = gr.Button("Exporter en CSV", elem_id="trainer-csv-btn")
        gr.Markdown("Sessions à relire en premier. **Cliquez une ligne** pour ouvrir sa file de revue.")
        table = gr.Dataframe(headers=SESSION_HEADERS, interactive=False, elem_id="trainer-sessions")
        csv_file = gr.File(label="Export CSV", interactive=False, visible=False, elem_id="trainer-csv")
        with gr.Row():
            session_id = gr.Textbox(
                label="Ou saisissez l'identifiant de session", scale=3, elem_id="trainer-sid"
            )
            open_btn = gr.Button("Ouvrir", scale=1, elem_id="trainer-open-btn")
        queue_view = build_queue(services, token, session_id)
        open_outputs = queue_view.outputs
    build_agreement_tab(services, token)
    with gr.Tab("Cohorte"):
        refresh = gr.Button("Calculer la vue de cohorte", elem_id="cohort-btn")
        heatmap = gr.HTML(elem_id="cohort-heatmap")
        timeline = gr.LinePlot(
            x="date", y="score", color="stagiaire", label="Score par stagiaire dans le temps"
        )
    with gr.Tab("Importer"):
        gr.Markdown("Transcriptions enregistrées (JSON natif, texte « Conseiller : … », messages OpenAI).")
        uploads = gr.File(label="Fichiers", file_count="multiple", file_types=[".json", ".txt", ".md"])
        owner = gr.Dropdown([("Moi", "")], value="", label="Attribuer au stagiaire")
        run_import = gr.Button("Importer et évaluer", variant="primary", elem_id="import-btn")
        import_log = gr.Markdown(elem_id="import-log")

    filter_inputs = [token, trainee, cohort, scenario, since, until, min_score, max_score]

    @guarded
    def on_list(tok: str | None, *values: Any) -> list[list[str]]:
        titles = {sid: sc.title for sid, sc in services.scenarios.get().items()}
        return session_rows(queue.sessions_for_review(services, tok, filters_of(*values)), titles)

    @guarded
    def on_csv(tok: str | None, *values: Any) -> Any:
        path = text_file("sessions.csv", review.sessions_csv(services, tok, filters_of(*values)))
        return gr.update(value=path, visible=True)

    def on_decided(tok: str | None, cursor: str | None, *values: Any) -> Any:
        """The list again once the session under review is fully reviewed (it moves down)."""
        sid = json.loads(cursor)["session"] if cursor else ""
        record = services.repo.get_session(sid) if sid else None
        done = record is not None and record.review is not None and record.review.complete
        return on_list(tok, *values) if done else gr.update()

    @guarded
    def on_row(tok: str | None, evt: gr.SelectData) -> list[Any]:
        sid = str(evt.row_value[0]) if evt.row_value else ""
        return [sid, *queue_view.open(tok, sid)]

    @guarded
    def on_cohort(tok: str | None, *values: Any) -> list[Any]:
        import pandas as pd

        view = review.cohort(services, tok, filters_of(*values))
        frame = pd.DataFrame(
            [{"date": p.at.replace(tzinfo=None), "score": round(p.score * 100), "stagiaire": p.trainee}
             for p in view.timeline], columns=["date", "score", "stagiaire"],
        )  # fmt: skip
        return [heatmap_html(view, services.rubric.get()), frame]

    @guarded
    def on_import(
        tok: str | None, paths: list[str] | None, who: str, progress: gr.Progress = PROGRESS
    ) -> str:
        results = importing.import_dialogues(
            services, tok, paths or [], who or None, progress_callback(progress)
        )
        lines = [
            f"- **{r.file}** : " + (f"⚠️ {r.error}" if r.error else
                                    f"évalué, score {'–' if r.score is None else f'{r.score * 100:.0f} %'}"
                                    f" (session {r.session_id})")
            for r in results
        ]  # fmt: skip
        return "\n".join(lines)

    show.click(on_list, filter_inputs, table, api_name="trainer_sessions")
    export.click(on_csv, filter_inputs, csv_file, api_name="export_csv")
    table.select(on_row, [token], [session_id, *open_outputs], api_name=False)
    open_btn.click(queue_view.open, [token, session_id], open_outputs, api_name="open_session")
    for decided in queue_view.decisions:
        decided.success(on_decided, [token, queue_view.cursor, *filter_inputs[1:]], table, api_name=False)
    refresh.click(on_cohort, filter_inputs, [heatmap, timeline], api_name="cohort")
    run_import.click(on_import, [token, uploads, owner], import_log, api_name="import", concurrency_limit=2)
    build_journal_tab(services, token)
    return TrainerTab(trainee=trainee, cohort=cohort, scenario=scenario, owner=owner, list_sessions=on_list,
                      list_inputs=filter_inputs, table=table)  # fmt: skip
