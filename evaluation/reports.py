"""Exports of a `GradeReport`: batch JSON, CSV summary, trainer reviews; Markdown and HTML views.

The trainer's verdict wins in every export once applied (`apply_overrides`, which regenerates
counts, texts and score), and the grader's original stays visible next to it: a report is a
record, not an opinion.
Turn numbers shown to people are 1-based ("tour 3" is `turns[2]`); JSON keeps indices.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from pydantic import BaseModel, Field

from domain.grades import (
    Confidence,
    CriterionGrade,
    Evidence,
    GradeReport,
    GraderInfo,
    Verdict,
    bloc_of,
)
from domain.review import Review, ReviewedReport, latest_reviews, review_status
from domain.score import Score, score_verdicts
from domain.transcript import Transcript
from evaluation.summaries import bloc_summaries, overall_summary
from rubrics.loader import load_rubric
from rubrics.models import Rubric


def id_order(criterion_id: str) -> tuple[int, int, str]:
    """Natural order of criterion ids: B1.2 before B1.10."""
    _, _, number = criterion_id.partition(".")
    return bloc_of(criterion_id), int(number) if number.isdigit() else 999, criterion_id


def _reviewed_grade(grade: CriterionGrade, review: Review, rubric: Rubric) -> CriterionGrade:
    """The criterion with the trainer's verdict; its tip follows the verdict (a weak one gets one)."""
    if review.verdict == grade.verdict:
        return grade
    weak = review.verdict in (Verdict.PARTIAL, Verdict.NOT_ACQUIRED)
    try:
        tip = rubric.get(grade.criterion_id).tip if weak else None
    except KeyError:  # a criterion of an older rubric: keep the grader's tip where it still applies
        tip = grade.tip if weak else None
    return grade.model_copy(update={"verdict": review.verdict, "tip": tip})


def apply_overrides(
    report: GradeReport, reviews: Iterable[Review], rubric: Rubric | None = None
) -> ReviewedReport:
    """The report as the trainers left it: every part derived from the verdicts is regenerated.

    Each criterion takes its latest review's verdict (confirmations included); the bloc counts
    and texts, the synthesis and the score are computed again from the final verdicts, so no
    text still cites a verdict a trainer changed. The grader's report stays in `graded`; each
    applied review carries the grader's verdict as `original_verdict`. `rubric` names the
    criteria in the texts (default: the app's rubric). Every caller goes through here.
    """
    base = report.graded if isinstance(report, ReviewedReport) else report
    rubric = rubric or load_rubric()
    latest = latest_reviews(reviews)
    for criterion_id in latest:
        base.grade(criterion_id)  # KeyError for a criterion the report does not have
    applied = [
        r.model_copy(update={"original_verdict": base.grade(cid).verdict}) for cid, r in latest.items()
    ]
    criteria = [
        _reviewed_grade(c, latest[c.criterion_id], rubric) if c.criterion_id in latest else c
        for c in base.criteria
    ]
    status = review_status({c.criterion_id: c.verdict for c in base.criteria}, applied)
    summary = overall_summary(rubric, criteria)
    if status.reviewed:
        summary = f"Relecture du formateur : {status.label_fr}. {summary}"
    data = base.model_dump(exclude={"criteria", "blocs", "summary"})
    return ReviewedReport(
        **data,
        criteria=criteria,
        blocs=bloc_summaries(rubric, criteria),
        summary=summary,
        reviews=applied,
        graded=base,
        score=score_verdicts(c.verdict for c in criteria),
    )


# --- batch JSON -------------------------------------------------------------------------------


class CriterionResult(BaseModel):
    """One criterion in the batch JSON."""

    id: str
    title: str = ""
    verdict: Verdict
    justification: str
    evidence: list[Evidence] = Field(default_factory=list, description="`turn` is the 0-based index.")
    tip: str | None = None
    articles: list[str] = Field(default_factory=list)
    error: str | None = None
    confidence: Confidence | None = Field(default=None, description="'sure' or 'to_confirm'.")
    confidence_reason: str = Field(default="", description="Why, in French (how often such verdicts agreed).")
    to_verify: list[str] = Field(default_factory=list, description="Uncertain contradictions, not counted.")
    original_verdict: Verdict | None = Field(default=None, description="Grader's verdict once reviewed.")
    override: Review | None = Field(
        default=None, description="The trainer's latest review, confirmation or change (historical name)."
    )


class BatchResult(BaseModel):
    """The `<id>.json` written by `crca grade`, read back to build `summary.csv`."""

    transcript_id: str
    rubric_version: str
    grader: GraderInfo
    criteria: list[CriterionResult]
    summary: str = ""
    blocs: list[dict] = Field(default_factory=list, description="Per bloc: bloc, counts, text.")
    score: Score | None = Field(
        default=None, description="Score of the verdicts above (absent in old files)."
    )

    def verdicts(self) -> dict[str, Verdict]:
        return {c.id: c.verdict for c in self.criteria}


def title_of(rubric: Rubric | None, criterion_id: str) -> str:
    try:
        return rubric.get(criterion_id).title if rubric else criterion_id
    except KeyError:
        return criterion_id


def bloc_title(rubric: Rubric | None, bloc: int) -> str:
    """The bloc's French title, from the given rubric or else the default one."""
    return (rubric or load_rubric()).bloc_title(bloc)


def ordered(report: GradeReport, rubric: Rubric | None) -> list[CriterionGrade]:
    """Criteria in the rubric's order (unknown ids last, in natural order)."""
    rank = {c.id: i for i, c in enumerate(rubric.criteria)} if rubric else {}
    return sorted(report.criteria, key=lambda g: (rank.get(g.criterion_id, 999), id_order(g.criterion_id)))


def to_batch_result(report: GradeReport, rubric: Rubric | None = None) -> BatchResult:
    """The documented batch JSON of one report (trainer verdicts applied if any)."""
    criteria = []
    for g in ordered(report, rubric):
        change = report.review_for(g.criterion_id) if isinstance(report, ReviewedReport) else None
        criteria.append(
            CriterionResult(
                id=g.criterion_id,
                title=title_of(rubric, g.criterion_id),
                verdict=g.verdict,
                justification=g.justification,
                evidence=g.evidence,
                tip=g.tip,
                articles=g.articles,
                error=g.error,
                confidence=g.confidence,
                confidence_reason=g.confidence_reason,
                to_verify=g.to_verify,
                original_verdict=change.original_verdict if change else None,
                override=change,
            )
        )
    blocs = [
        {"bloc": b.bloc, "counts": {v.value: n for v, n in b.counts.items()}, "text": b.text}
        for b in report.blocs
    ]
    return BatchResult(
        transcript_id=report.transcript_id,
        rubric_version=report.rubric_version,
        grader=report.grader,
        criteria=criteria,
        summary=report.summary,
        blocs=blocs,
        score=score_verdicts(g.verdict for g in report.criteria),
    )


def batch_json(report: GradeReport, rubric: Rubric | None = None) -> str:
    return to_batch_result(report, rubric).model_dump_json(indent=2) + "\n"


def summary_csv(results: Iterable[BatchResult], criterion_ids: list[str] | None = None) -> str:
    """One row per transcript, one column per criterion id holding the verdict code."""
    results = sorted(results, key=lambda r: r.transcript_id)
    ids = criterion_ids or sorted({c.id for r in results for c in r.criteria}, key=id_order)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["transcript_id", "rubric_version", "grader_backend", "grader_model", *ids])
    for r in results:
        verdicts = r.verdicts()
        writer.writerow(
            [
                r.transcript_id,
                r.rubric_version,
                r.grader.backend,
                r.grader.model,
                *(verdicts[i].value if i in verdicts else "" for i in ids),
            ]
        )
    return out.getvalue()


def render_markdown(report: GradeReport, transcript: Transcript, rubric: Rubric | None = None) -> str:
    """The trainer's Markdown report (see `evaluation.report_markdown`)."""
    from evaluation.report_markdown import markdown_report

    return markdown_report(report, transcript, rubric)


def render_html(report: GradeReport, transcript: Transcript, rubric: Rubric | None = None) -> str:
    """The printable standalone HTML report (see `evaluation.report_html`)."""
    from evaluation.report_html import html_report

    return html_report(report, transcript, rubric)
