"""Pieces the Markdown and HTML reports share: French labels, header facts, counts, review notes."""

from __future__ import annotations

from domain.grades import VERDICT_LABELS_FR, GradeReport, Verdict, bloc_of
from domain.review import ReviewedReport
from domain.score import score_verdicts
from domain.transcript import ACTION_TYPES, CHANNEL_LABELS_FR, Speaker, Transcript

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
        ("Score", score_verdicts(g.verdict for g in report.criteria).label_fr),
    ]
    if isinstance(report, ReviewedReport):
        facts.append(("Relecture du formateur", report.status.label_fr))
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
    """'Verdict formateur : acquis (évaluateur : non acquis) — Paul, 03/02/2026 10:15 : commentaire',
    or 'Verdict confirmé par le formateur — Paul, …' for a confirmation; '' when not reviewed."""
    review = report.review_for(criterion_id) if isinstance(report, ReviewedReport) else None
    if review is None:
        return ""
    who = f"{review.author}, {review.at:%d/%m/%Y %H:%M}"
    if review.confirms:
        note = f"Verdict confirmé par le formateur — {who}"
    else:
        was = verdict_label(review.original_verdict) if review.original_verdict else "?"
        note = f"Verdict formateur : {verdict_label(review.verdict)} (évaluateur : {was}) — {who}"
    return note + (f" : {review.comment}" if review.comment else "")


def review_mark(report: GradeReport, criterion_id: str) -> str:
    """The mark beside a verdict in the bloc tables: ' (formateur)', ' (confirmé)' or ''."""
    review = report.review_for(criterion_id) if isinstance(report, ReviewedReport) else None
    if review is None:
        return ""
    return " (confirmé)" if review.confirms else " (formateur)"


def justification_heading(report: GradeReport, criterion_id: str) -> str:
    """'Analyse de l'évaluateur : ' before a justification whose verdict the trainer changed
    (the grader's text argues for the verdict it gave, not for the trainer's)."""
    review = report.review_for(criterion_id) if isinstance(report, ReviewedReport) else None
    return "Analyse de l'évaluateur : " if review is not None and not review.confirms else ""
