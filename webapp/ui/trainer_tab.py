"""The "Formateur" tab: sessions with filters, review and overrides, cohort view, import, CSV.

Hidden for trainees, and every handler refuses them anyway (`require_trainer`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import gradio as gr

from webapp.ui import importing, review
from webapp.ui.auth import UIError, require_trainer
from webapp.ui.journal_tab import build_journal_tab
from webapp.ui.render import SESSION_HEADERS, heatmap_html, overrides_markdown, report_iframe, session_rows
from webapp.ui.services import AppServices
from webapp.ui.widgets import PROGRESS, VERDICT_CHOICES, export_files, guarded, progress_callback, text_file


@dataclass
class TrainerTab:
    trainee: gr.Dropdown
    scenario: gr.Dropdown
    owner: gr.Dropdown


def _day(text: str | None) -> date | None:
    if not (text or "").strip():
        return None
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError as exc:
        raise UIError(f"Date invalide : {text} (format AAAA-MM-JJ).") from exc


def filters_of(trainee: str, scenario: str, since: str, until: str, min_score: Any, max_score: Any) -> Any:
    return review.SessionFilters(
        trainee=trainee or None, scenario_id=scenario or None, since=_day(since), until=_day(until),
        min_score=float(min_score) if min_score not in (None, "") and float(min_score) > 0 else None,
        max_score=float(max_score) if max_score not in (None, "") and float(max_score) < 100 else None,
    )  # fmt: skip


def build_trainer_tab(services: AppServices, token: gr.BrowserState) -> TrainerTab:
    with gr.Tab("Sessions"):
        with gr.Row():
            trainee = gr.Dropdown([("Tous", "")], value="", label="Stagiaire")
            scenario = gr.Dropdown([("Tous", "")], value="", label="Scénario")
            since = gr.Textbox(label="Depuis le (AAAA-MM-JJ)")
            until = gr.Textbox(label="Jusqu'au (AAAA-MM-JJ)")
            # 0 and 100 mean "no bound", so ungraded sessions stay listed by default.
            min_score = gr.Number(0, label="Score min. (%)", minimum=0, maximum=100)
            max_score = gr.Number(100, label="Score max. (%)", minimum=0, maximum=100)
        with gr.Row():
            show = gr.Button("Afficher les sessions", variant="primary", elem_id="trainer-list-btn")
            export = gr.Button("Exporter en CSV", elem_id="trainer-csv-btn")
        table = gr.Dataframe(headers=SESSION_HEADERS, interactive=False, elem_id="trainer-sessions")
        csv_file = gr.File(label="Export CSV", interactive=False, elem_id="trainer-csv")
        with gr.Row():
            session_id = gr.Textbox(
                label="Session à ouvrir (cliquez une ligne)", scale=3, elem_id="trainer-sid"
            )
            open_btn = gr.Button("Ouvrir", scale=1, elem_id="trainer-open-btn")
        with gr.Row():
            with gr.Column(scale=3):
                report = gr.HTML(elem_id="trainer-report")
            with gr.Column(scale=2):
                gr.Markdown("#### Modifier un verdict")
                criterion = gr.Dropdown([], label="Critère", elem_id="override-criterion")
                verdict = gr.Dropdown(VERDICT_CHOICES, label="Nouveau verdict", elem_id="override-verdict")
                comment = gr.Textbox(label="Commentaire (obligatoire)", lines=2, elem_id="override-comment")
                apply = gr.Button("Enregistrer la modification", variant="primary", elem_id="override-btn")
                history = gr.Markdown(elem_id="override-history")
                files = gr.File(label="Rapport (verdicts du formateur)", file_count="multiple",
                                interactive=False, elem_id="trainer-downloads")  # fmt: skip
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

    filter_inputs = [token, trainee, scenario, since, until, min_score, max_score]

    @guarded
    def on_list(tok: str | None, *values: Any) -> list[list[str]]:
        return session_rows(review.list_sessions(services, tok, filters_of(*values)))

    @guarded
    def on_csv(tok: str | None, *values: Any) -> str:
        return text_file("sessions.csv", review.sessions_csv(services, tok, filters_of(*values)))

    def on_select(evt: gr.SelectData) -> str:
        return str(evt.row_value[0]) if evt.row_value else ""

    @guarded
    def on_open(tok: str | None, sid: str) -> list[Any]:
        require_trainer(services, tok)
        view = review.report_view(services, tok, sid.strip())
        if view.report is None or view.grade is None:
            raise UIError("Cette session n'a pas encore été évaluée.")
        rubric = services.rubric.get()
        ids = [(f"{c.criterion_id} — {c.verdict.value}", c.criterion_id) for c in view.report.criteria]
        transcript = view.session.transcript
        return [report_iframe(view.report, transcript, rubric), gr.update(choices=ids, value=None),
                overrides_markdown(view.grade), export_files(view.report, transcript, rubric)]  # fmt: skip

    @guarded
    def on_override(tok: str | None, sid: str, cid: str | None, new: str | None, text: str) -> list[Any]:
        require_trainer(services, tok)  # a dead token hears about its session, not about the inputs
        if not cid or not new:
            raise UIError("Choisissez le critère et le nouveau verdict.")
        review.record_review(services, tok, sid.strip(), cid, new, text)
        return [*on_open(tok, sid), ""]

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
    table.select(on_select, None, session_id, api_name=False)
    open_outputs = [report, criterion, history, files]
    open_btn.click(on_open, [token, session_id], open_outputs, api_name="open_session")
    apply.click(on_override, [token, session_id, criterion, verdict, comment], [*open_outputs, comment],
                api_name="override")  # fmt: skip
    refresh.click(on_cohort, filter_inputs, [heatmap, timeline], api_name="cohort")
    run_import.click(on_import, [token, uploads, owner], import_log, api_name="import", concurrency_limit=2)
    build_journal_tab(services, token)
    return TrainerTab(trainee=trainee, scenario=scenario, owner=owner)
