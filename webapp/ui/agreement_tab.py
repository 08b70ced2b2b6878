"""The « Accord évaluateur / formateurs » tab: where the grader and the trainers disagree.

Figures come from `review.agreement` (trainers only); this module only lays them out: the
overall exact agreement and κ, a per-criterion table, the most corrected criteria with
examples and a grader × trainer confusion table coloured by count.
"""

from __future__ import annotations

from html import escape
from typing import Any

import gradio as gr

from domain.grades import VERDICT_LABELS_FR
from evaluation.review_agreement import AgreementDashboard, AgreementFilters
from webapp.ui import review
from webapp.ui.services import AppServices
from webapp.ui.widgets import guarded

TABLE_HEADERS = ["Critère", "Intitulé", "Verdicts revus", "Accord exact", "κ", "Corrections"]


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f} %"


def _decimal(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def summary_markdown(board: AgreementDashboard) -> str:
    """« Accord exact : 25 / 28 verdicts (89 %) · κ = 0,41 » over n reviewed sessions."""
    if not board.items:
        return "_Aucune session revue pour ces filtres : relisez une session dans « Relire une session »._"
    same = round((board.exact or 0) * board.items)
    kappa = "–" if board.kappa is None else _decimal(board.kappa)
    return (
        f"**Accord exact : {same} / {board.items} verdicts ({_percent(board.exact)})** · **κ = {kappa}**  \n"
        f"Sur {board.sessions} session(s) revue(s) ; une confirmation compte comme un accord, "
        "une modification comme un désaccord."
    )


def criterion_rows(board: AgreementDashboard) -> list[list[str]]:
    return [
        [c.criterion_id, c.title, str(c.items), _percent(c.exact), _decimal(c.kappa), str(c.corrections)]
        for c in board.per_criterion
    ]


def corrected_markdown(board: AgreementDashboard) -> str:
    """The most corrected criteria, each with the trainers' recent corrections and their reasons."""
    if not board.most_corrected:
        return "_Aucune correction : les formateurs ont confirmé tous les verdicts revus._"
    lines = ["#### Critères les plus corrigés"]
    for c in board.most_corrected:
        lines.append(f"- **{c.criterion_id}** {c.title} — {c.corrections} correction(s) sur {c.items}")
        lines += [
            f"  - session {e.session_id[:8]} : {VERDICT_LABELS_FR[e.grader_verdict]} → "
            f"**{VERDICT_LABELS_FR[e.trainer_verdict]}** ({e.author}) — {e.comment}"
            for e in c.examples
        ]
    return "\n".join(lines)


def confusion_html(board: AgreementDashboard) -> str:
    """Grader verdict (rows) × trainer verdict (columns); green diagonal, red off it, darker = more."""
    used = [v for v in board.verdicts if sum(board.confusion[v].values()) or any(
        board.confusion[g][v] for g in board.verdicts)]  # fmt: skip
    if not used:
        return ""
    top = max(board.confusion[g][t] for g in used for t in used) or 1

    def cell(g: Any, t: Any) -> str:
        n = board.confusion[g][t]
        hue = 120 if g == t else 0
        light = 95 - int(45 * n / top) if n else 98
        return f'<td style="background:hsl({hue},60%,{light}%);text-align:center">{n}</td>'

    head = "".join(f"<th>{escape(VERDICT_LABELS_FR[t])}</th>" for t in used)
    rows = "".join(
        f"<tr><th style='text-align:left'>{escape(VERDICT_LABELS_FR[g])}</th>"
        + "".join(cell(g, t) for t in used)
        + "</tr>"
        for g in used
    )
    return (
        "<h4>Matrice de confusion (lignes : évaluateur, colonnes : formateur)</h4>"
        '<table class="crca-confusion" style="border-collapse:collapse;font-size:.9em">'
        f"<tr><th>Évaluateur \\ formateur</th>{head}</tr>{rows}</table>"
    )


def build_agreement_tab(services: AppServices, token: gr.BrowserState) -> None:
    with gr.Tab("Accord évaluateur / formateurs"):
        with gr.Row():
            # Choices come with the first figures; any value is accepted (API callers filter directly).
            cohort, scenario, version = (
                gr.Dropdown([(anything, "")], value="", label=label, allow_custom_value=True, elem_id=elem_id)
                for anything, label, elem_id in [
                    ("Toutes", "Cohorte", "agreement-cohort"), ("Tous", "Scénario", "agreement-scenario"),
                    ("Toutes", "Version de la grille", "agreement-version"),
                ]
            )  # fmt: skip
            run = gr.Button("Calculer l'accord", variant="primary", elem_id="agreement-btn")
        summary = gr.Markdown(elem_id="agreement-summary")
        with gr.Row():
            with gr.Column(scale=3):
                corrected = gr.Markdown(elem_id="agreement-corrected")
            with gr.Column(scale=2):
                confusion = gr.HTML(elem_id="agreement-confusion")
        table = gr.Dataframe(headers=TABLE_HEADERS, interactive=False, elem_id="agreement-table")

    @guarded
    def on_run(tok: str | None, cohort_id: str, scenario_id: str, rubric_version: str) -> list[Any]:
        filters = AgreementFilters(
            cohort=cohort_id or None, scenario_id=scenario_id or None, rubric_version=rubric_version or None
        )
        board = review.agreement(services, tok, filters)

        def choices(anything: str, values: list[str], current: str) -> Any:
            return gr.update(choices=[(anything, ""), *((v, v) for v in values)], value=current or "")

        return [
            choices("Toutes", board.cohorts, cohort_id), choices("Tous", board.scenarios, scenario_id),
            choices("Toutes", board.rubric_versions, rubric_version), summary_markdown(board),
            corrected_markdown(board), confusion_html(board), criterion_rows(board),
        ]  # fmt: skip

    outputs = [cohort, scenario, version, summary, corrected, confusion, table]
    run.click(on_run, [token, cohort, scenario, version], outputs, api_name="agreement")
