"""Domain objects → what Gradio components display (chat messages, Markdown, HTML).

The graded report reuses the printable HTML of `evaluation.reports` inside an iframe:
one rendering for screen, print and download, and its styles cannot leak into the app.
"""

from __future__ import annotations

from html import escape
from typing import Any

from domain.grades import VERDICT_LABELS_FR, GradeReport
from domain.transcript import ACTION_TYPES, CHANNEL_LABELS_FR, Speaker, Transcript
from evaluation.reports import render_html
from rubrics.models import Rubric
from scenarios.models import PATH_LABELS_FR, PRODUCT_LABELS_FR, Scenario
from webapp.storage import STATUS_LABELS_FR, GradeRecord, SessionRecord
from webapp.ui.practice import ChatUpdate
from webapp.ui.review import Cohort

DIFFICULTY_FR = {1: "★ facile", 2: "★★ intermédiaire", 3: "★★★ difficile"}


def chat_messages(update: ChatUpdate | Transcript) -> list[dict[str, str]]:
    """gr.Chatbot messages: the trainee (advisor) is the user, the simulated client the assistant."""
    transcript = update if isinstance(update, Transcript) else update.transcript
    messages = [
        {"role": "user" if t.speaker == Speaker.ADVISOR else "assistant", "content": t.text}
        for t in transcript.turns
    ]
    if isinstance(update, ChatUpdate):
        if update.pending_advisor:
            messages.append({"role": "user", "content": update.pending_advisor})
        if update.pending_client:
            messages.append({"role": "assistant", "content": update.pending_client})
    return messages


def scenario_label(s: Scenario) -> str:
    return f"{s.title} — {PRODUCT_LABELS_FR[s.product]}, {DIFFICULTY_FR[s.difficulty]}"


def brief_markdown(s: Scenario) -> str:
    """The advisor's screen before the exchange: the scenario frame and the client file."""
    facts = (
        f"**Produit** : {PRODUCT_LABELS_FR[s.product]} · **Parcours** : {PATH_LABELS_FR[s.path]} · "
        f"**Canal** : {CHANNEL_LABELS_FR[s.channel]} · **Difficulté** : {DIFFICULTY_FR[s.difficulty]}"
    )
    lines = "\n".join(f"- {line}" for line in s.brief().splitlines())
    return f"### {s.title}\n{facts}\n\n**Dossier client**\n{lines}"


def actions_markdown(transcript: Transcript) -> str:
    if not transcript.actions:
        return "_Aucune opération enregistrée._"
    return "\n".join(
        f"- après le tour {(a.after_turn or 0) + 1} : **{ACTION_TYPES.get(a.type, a.type)}**"
        + (f" — {a.detail}" if a.detail else "")
        for a in transcript.actions
    )


def hits_markdown(hits: list[Any]) -> str:
    """Search results with article id, title and full text (what the trainee may cite).

    The sentence that answers the query is highlighted in the text.
    """
    if not hits:
        return "_Aucun article trouvé._"
    return "\n\n".join(f"#### {h.article_id} — {h.title}\n_{h.document}_\n\n{_highlighted(h)}" for h in hits)


def _highlighted(hit: Any) -> str:
    passage = getattr(hit, "passage", "")
    return hit.text.replace(passage, f"<mark>{passage}</mark>", 1) if passage else hit.text


def report_iframe(report: GradeReport, transcript: Transcript, rubric: Rubric | None) -> str:
    """The printable report, isolated in an iframe."""
    page = render_html(report, transcript, rubric)
    return (
        f'<iframe class="crca-report" title="Rapport d\'évaluation" srcdoc="{escape(page, quote=True)}" '
        'style="width:100%;height:900px;border:1px solid #ddd;border-radius:6px;background:#fff"></iframe>'
    )


def overrides_markdown(grade: GradeRecord) -> str:
    """Every override ever made on this grade, oldest first: original, new verdict, who, when, why."""
    if not grade.reviews:
        return "_Aucune modification par un formateur._"
    rows = [
        f"| {o.at:%d/%m/%Y %H:%M} | {o.author} | {o.criterion_id} | {VERDICT_LABELS_FR[o.original_verdict]} "
        f"| {VERDICT_LABELS_FR[o.verdict]} | {o.comment.replace('|', '/')} |"
        for o in grade.reviews
    ]
    head = "| Date (UTC) | Formateur | Critère | Verdict de l'évaluateur | Nouveau verdict | Commentaire |"
    return "\n".join([head, "|---|---|---|---|---|---|", *rows])


def session_rows(sessions: list[SessionRecord], titles: dict[str, str] | None = None) -> list[list[str]]:
    """Rows of the trainer's session table (id first, so a click can open it; « 12 / 28 » reviewed).

    `titles` maps scenario ids to what the trainer reads (the scenario's title); ids not in it
    (a removed scenario) are shown as they are.
    """
    titles = titles or {}
    return [
        [s.id, s.username, titles.get(s.scenario_id, s.scenario_id) if s.scenario_id else "(import)",
         f"{s.created_at:%d/%m/%Y %H:%M}",
         STATUS_LABELS_FR[s.status], s.score_detail.label_fr if s.score_detail else "",
         f"{s.review.reviewed} / {s.review.criteria}" if s.review else ""]
        for s in sessions
    ]  # fmt: skip


SESSION_HEADERS = ["Session", "Stagiaire", "Scénario", "Date (UTC)", "Statut", "Score", "Revue"]


def _cell(rate: float | None) -> str:
    if rate is None:
        return '<td style="background:#eceff1;color:#78909c;text-align:center">–</td>'
    hue = int(rate * 120)  # 0 red → 120 green
    return f'<td style="background:hsl({hue},65%,80%);text-align:center">{rate * 100:.0f} %</td>'


def heatmap_html(cohort: Cohort, rubric: Rubric | None) -> str:
    """Criterion × trainee acquisition rates as a coloured table (red: not acquired, green: acquired)."""
    if not cohort.criteria:
        return "<p>Aucune session évaluée pour ces filtres.</p>"

    def title(cid: str) -> str:
        try:
            return rubric.get(cid).title if rubric else ""
        except KeyError:
            return ""

    head = "".join(f"<th>{escape(t)}</th>" for t in cohort.trainees)
    rows = "".join(
        f'<tr><th style="text-align:left" title="{escape(title(c))}">{escape(c)} {escape(title(c))}</th>'
        + "".join(_cell(cohort.rates[c][t]) for t in cohort.trainees)
        + _cell(cohort.overall[c])
        + "</tr>"
        for c in cohort.criteria
    )
    return (
        '<table class="crca-heatmap" style="border-collapse:collapse;font-size:.9em">'
        f"<tr><th>Critère</th>{head}<th>Cohorte</th></tr>{rows}</table>"
        "<p style='font-size:.85em'>Taux d'acquisition (partiellement acquis compte pour moitié ; "
        "les critères non observables sont exclus).</p>"
    )
