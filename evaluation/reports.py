"""Exports of a `GradeReport`: batch JSON, CSV summary, trainer overrides; Markdown and HTML views.

The trainer's verdict wins in every export once applied (`apply_overrides`), and the
grader's original stays visible next to it: a report is a record, not an opinion.
Turn numbers shown to people are 1-based ("tour 3" is `turns[2]`); JSON keeps indices.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from pydantic import BaseModel, Field

from domain.grades import (
    BlocSummary,
    CriterionGrade,
    Evidence,
    GradeReport,
    GraderInfo,
    Verdict,
)
from domain.review import Review
from domain.transcript import Transcript
from rubrics.loader import load_rubric
from rubrics.models import Rubric


class ReviewedReport(GradeReport):
    """A report with trainer verdicts in `criteria`; `graded` is the grader's report untouched."""

    overrides: list[Review] = Field(default_factory=list, description="Latest per criterion.")
    graded: GradeReport = Field(description="The report exactly as the grader produced it.")

    def override_for(self, criterion_id: str) -> Review | None:
        return next((o for o in self.overrides if o.criterion_id == criterion_id), None)


def bloc_of(criterion_id: str) -> int:
    """Bloc number from an id such as 'B2.4'."""
    return int(criterion_id[1]) if criterion_id[:1] == "B" and criterion_id[1:2].isdigit() else 0


def id_order(criterion_id: str) -> tuple[int, int, str]:
    """Natural order of criterion ids: B1.2 before B1.10."""
    _, _, number = criterion_id.partition(".")
    return bloc_of(criterion_id), int(number) if number.isdigit() else 999, criterion_id


def _recount(blocs: list[BlocSummary], criteria: list[CriterionGrade]) -> list[BlocSummary]:
    return [
        b.model_copy(
            update={
                "counts": {
                    v: sum(1 for c in criteria if bloc_of(c.criterion_id) == b.bloc and c.verdict == v)
                    for v in Verdict
                }
            }
        )
        for b in blocs
    ]


def apply_overrides(report: GradeReport, overrides: Iterable[Review]) -> ReviewedReport:
    """The report with each criterion's latest trainer verdict; the grader's verdict is kept."""
    base = report.graded if isinstance(report, ReviewedReport) else report
    latest: dict[str, Review] = {}
    for item in sorted(overrides, key=lambda o: o.at):
        base.grade(item.criterion_id)  # KeyError for a criterion the report does not have
        latest[item.criterion_id] = item
    applied = [
        o.model_copy(update={"original_verdict": base.grade(cid).verdict}) for cid, o in latest.items()
    ]
    criteria = [
        c.model_copy(update={"verdict": latest[c.criterion_id].verdict}) if c.criterion_id in latest else c
        for c in base.criteria
    ]
    data = {**base.model_dump(exclude={"criteria", "blocs"}), "criteria": criteria}
    return ReviewedReport(**data, blocs=_recount(base.blocs, criteria), overrides=applied, graded=base)


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
    original_verdict: Verdict | None = Field(default=None, description="Grader's verdict if overridden.")
    override: Review | None = None


class BatchResult(BaseModel):
    """The `<id>.json` written by `crca grade`, read back to build `summary.csv`."""

    transcript_id: str
    rubric_version: str
    grader: GraderInfo
    criteria: list[CriterionResult]
    summary: str = ""
    blocs: list[dict] = Field(default_factory=list, description="Per bloc: bloc, counts, text.")

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
        change = report.override_for(g.criterion_id) if isinstance(report, ReviewedReport) else None
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
