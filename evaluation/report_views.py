"""Pieces the Markdown and HTML reports share: French labels, header facts, counts, override notes."""

from __future__ import annotations

from domain.grades import VERDICT_LABELS_FR, GradeReport, Verdict
from domain.transcript import ACTION_TYPES, CHANNEL_LABELS_FR, Speaker, Transcript
from evaluation.reports import ReviewedReport, bloc_of

SPEAKER_LABELS_FR = {Speaker.ADVISOR: "Conseiller", Speaker.CLIENT: "Client"}
SHOWN_VERDICTS = [
    Verdict.ACQUIRED,
    Verdict.PARTIAL,
    Verdict.NOT_ACQUIRED,
    Verdict.NOT_OBSERVED,
    Verdict.COULD_NOT_GRADE,
]


def verdict_label(verdict: Verdict) -> str:
    return VERDICT_LABELS_FR[verdict]


def header_facts(report: GradeReport, transcript: Transcript) -> list[tuple[str, str]]:
    facts = [("Canal", CHANNEL_LABELS_FR[transcript.channel])]
    if transcript.scenario_id:
        facts.append(("Scénario", transcript.scenario_id))
    facts += [
        ("Référentiel", report.rubric_version),
        ("Évaluateur", f"{report.grader.backend} / {report.grader.model}"),
    ]
    if isinstance(report, ReviewedReport) and report.overrides:
        facts.append(("Verdicts revus par le formateur", str(len(report.overrides))))
    return facts


def bloc_counts(report: GradeReport, bloc: int) -> dict[Verdict, int]:
    """Verdict counts of one bloc, from the criteria themselves (overrides included)."""
    counts = dict.fromkeys(SHOWN_VERDICTS, 0)
    for g in report.criteria:
        if bloc_of(g.criterion_id) == bloc:
            counts[g.verdict] += 1
    return counts


def action_label(kind: str) -> str:
    return ACTION_TYPES.get(kind, kind)


def override_note(report: GradeReport, criterion_id: str) -> str:
    """'Verdict formateur : acquis (évaluateur : non acquis) — Paul, 03/02/2026 : commentaire'."""
    change = report.override_for(criterion_id) if isinstance(report, ReviewedReport) else None
    if change is None:
        return ""
    note = (
        f"Verdict formateur : {verdict_label(change.verdict)} (évaluateur : "
        f"{verdict_label(change.original_verdict)}) — {change.author}, {change.at:%d/%m/%Y %H:%M}"
    )
    return note + (f" : {change.comment}" if change.comment else "")
