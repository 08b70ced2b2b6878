"""The Markdown report a trainer reads: summary, per-bloc tables, each criterion, the transcript."""

from __future__ import annotations

from domain.grades import GradeReport, bloc_of, confidence_text
from domain.transcript import Transcript
from evaluation.report_views import (
    SPEAKER_LABELS_FR,
    action_label,
    bloc_counts,
    header_facts,
    justification_heading,
    override_note,
    review_mark,
    verdict_label,
)
from evaluation.reports import bloc_title, ordered, title_of
from rubrics.models import Rubric


def _cell(text: str) -> str:
    """Table cells hold one line and no bare pipe."""
    return " ".join(text.split()).replace("|", "\\|")


def _quoted(text: str) -> list[str]:
    return ["> " + line if line.strip() else ">" for line in text.splitlines()]


def _criterion(report: GradeReport, rubric: Rubric | None, grade_id: str) -> list[str]:
    g = report.grade(grade_id)
    lines = [
        f"### {g.criterion_id} — {title_of(rubric, g.criterion_id)} : **{verdict_label(g.verdict)}**",
        "",
    ]
    note = override_note(report, g.criterion_id)
    if note:
        lines += [f"*{note}*", ""]
    if g.error:
        lines += [f"Évaluation impossible : {g.error}", ""]
    if g.justification:
        lines += [justification_heading(report, g.criterion_id) + g.justification, ""]
    if g.evidence:
        lines += ["Preuves :", ""]
        for ev in g.evidence:
            lines += [*_quoted(f"« {ev.quote} » (tour {ev.turn + 1})"), ""]
    if g.confidence:
        lines += [f"Confiance : {confidence_text(g)}", ""]
    if g.articles:
        lines += ["Articles cités : " + ", ".join(g.articles), ""]
    if g.to_verify:
        lines += ["À vérifier par le formateur (non compté) :", "", *(f"- {n}" for n in g.to_verify), ""]
    if g.tip:
        lines += [f"**Conseil :** {g.tip}", ""]
    return lines


def _transcript(transcript: Transcript) -> list[str]:
    lines = ["## Transcription", ""]
    if transcript.context:
        lines += ["**Contexte :**", "", *_quoted(transcript.context), ""]
    actions = {}
    for action in transcript.actions:
        actions.setdefault(action.after_turn, []).append(action)
    for index, turn in enumerate(transcript.turns):
        body = turn.text.strip().replace("\n", "  \n")
        lines += [f"**{index + 1}. {SPEAKER_LABELS_FR[turn.speaker]} :** {body}", ""]
        for action in actions.pop(index, []):
            detail = f" — {action.detail}" if action.detail else ""
            lines += [f"*Action : {action_label(action.type)}{detail}*", ""]
    for action in (a for rest in actions.values() for a in rest):
        detail = f" — {action.detail}" if action.detail else ""
        lines += [f"*Action (moment non précisé) : {action_label(action.type)}{detail}*", ""]
    return lines


def markdown_report(report: GradeReport, transcript: Transcript, rubric: Rubric | None = None) -> str:
    """The whole report; a criterion a trainer reviewed shows both verdicts and the decision."""
    lines = [f"# Évaluation CQP CRCA — {report.transcript_id}", ""]
    lines += [f"- **{name} :** {value}" for name, value in header_facts(report, transcript)]
    lines += ["", "## Synthèse", "", report.summary or "(pas de synthèse)", ""]
    grades = ordered(report, rubric)
    for bloc in sorted({bloc_of(g.criterion_id) for g in grades}):
        in_bloc = [g for g in grades if bloc_of(g.criterion_id) == bloc]
        lines += [f"## Bloc {bloc} — {bloc_title(rubric, bloc)}", ""]
        text = next((b.text for b in report.blocs if b.bloc == bloc), "")
        counts = ", ".join(f"{n} {verdict_label(v)}" for v, n in bloc_counts(report, bloc).items() if n)
        lines += [text, ""] if text else []
        lines += [f"Bilan : {counts}.", "", "| Critère | Intitulé | Verdict |", "|---|---|---|"]
        for g in in_bloc:
            mark = review_mark(report, g.criterion_id)
            title = _cell(title_of(rubric, g.criterion_id))
            lines.append(f"| {g.criterion_id} | {title} | {verdict_label(g.verdict)}{mark} |")
        lines.append("")
        for g in in_bloc:
            lines += _criterion(report, rubric, g.criterion_id)
    lines += _transcript(transcript)
    return "\n".join(lines).rstrip() + "\n"
