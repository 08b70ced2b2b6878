"""Grader against trainers over reviewed sessions: agreement, κ, confusion, most corrected criteria.

The trainers' final verdicts are the reference (a confirmation is a label too); only criteria a
trainer reviewed count, since an unreviewed verdict says nothing about the grader. The arithmetic
is `evaluation.agreement`'s, so these figures read like the labelled-set benchmarks'.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from pydantic import BaseModel, Field

from domain.grades import GradeReport, Verdict
from domain.review import Review, latest_reviews
from evaluation.agreement import cohen_kappa, exact_agreement
from evaluation.reports import id_order, title_of
from rubrics.models import Rubric

EXAMPLES = 3
"""Corrections shown per criterion (the most recent)."""


class ReviewedGrade(BaseModel):
    """One session's grader report and its trainers' reviews, with what the filters look at."""

    session_id: str
    report: GradeReport = Field(description="The grader's report as produced.")
    reviews: list[Review] = Field(description="Every decision; the latest per criterion counts.")
    cohort: str | None = None
    scenario_id: str | None = None
    trainee: str = ""


class AgreementFilters(BaseModel):
    cohort: str | None = None
    scenario_id: str | None = None
    rubric_version: str | None = None

    def keeps(self, grade: ReviewedGrade) -> bool:
        return (
            (not self.cohort or grade.cohort == self.cohort)
            and (not self.scenario_id or grade.scenario_id == self.scenario_id)
            and (not self.rubric_version or grade.report.rubric_version == self.rubric_version)
        )


class Correction(BaseModel):
    """A verdict a trainer changed: an example of what the grader gets wrong."""

    session_id: str
    criterion_id: str
    grader_verdict: Verdict
    trainer_verdict: Verdict
    comment: str
    author: str


class CriterionAgreement(BaseModel):
    criterion_id: str
    title: str = ""
    items: int = Field(description="Reviewed verdicts of this criterion.")
    exact: float = Field(description="Share where the grader's verdict is the trainer's.")
    kappa: float = Field(description="Cohen's κ, trainer vs grader.")
    corrections: int = Field(description="Verdicts the trainer changed.")
    examples: list[Correction] = Field(default_factory=list, description="Up to 3, most recent first.")


class AgreementDashboard(BaseModel):
    """What the trainers' agreement screen shows; empty figures are None, never a made-up 0."""

    filters: AgreementFilters
    sessions: int = Field(description="Reviewed sessions counted.")
    items: int = Field(description="Reviewed verdicts counted (confirmations and changes).")
    exact: float | None
    kappa: float | None
    per_criterion: list[CriterionAgreement] = Field(description="In the rubric's id order.")
    most_corrected: list[CriterionAgreement] = Field(description="Corrected criteria, most first.")
    verdicts: list[Verdict] = Field(description="Row and column order of the confusion matrix.")
    confusion: dict[Verdict, dict[Verdict, int]] = Field(description="grader verdict → trainer verdict → n.")
    cohorts: list[str] = Field(default_factory=list, description="Every cohort seen (filter choices).")
    scenarios: list[str] = Field(default_factory=list, description="Every scenario seen.")
    rubric_versions: list[str] = Field(default_factory=list, description="Every rubric version seen.")


class _Pair(BaseModel):
    criterion_id: str
    grader: Verdict
    review: Review
    session_id: str


def _pairs(grades: Iterable[ReviewedGrade]) -> list[_Pair]:
    return [
        _Pair(
            criterion_id=cid,
            grader=grade.report.grade(cid).verdict,
            review=review,
            session_id=grade.session_id,
        )
        for grade in grades
        for cid, review in latest_reviews(grade.reviews).items()
    ]


def _criterion(cid: str, pairs: list[_Pair], rubric: Rubric | None) -> CriterionAgreement:
    trainer, grader = [p.review.verdict.value for p in pairs], [p.grader.value for p in pairs]
    changed = sorted(
        (p for p in pairs if p.review.verdict != p.grader), key=lambda p: p.review.at, reverse=True
    )
    return CriterionAgreement(
        criterion_id=cid,
        title=title_of(rubric, cid) if rubric else "",
        items=len(pairs),
        exact=exact_agreement(trainer, grader),
        kappa=cohen_kappa(trainer, grader),
        corrections=len(changed),
        examples=[
            Correction(
                session_id=p.session_id,
                criterion_id=cid,
                grader_verdict=p.grader,
                trainer_verdict=p.review.verdict,
                comment=p.review.comment,
                author=p.review.author,
            )
            for p in changed[:EXAMPLES]
        ],  # fmt: skip
    )


def agreement_dashboard(
    grades: Iterable[ReviewedGrade], filters: AgreementFilters | None = None, rubric: Rubric | None = None,
    *, top: int = 5,
) -> AgreementDashboard:  # fmt: skip
    """The figures over every reviewed grade the filters keep; `top` most corrected criteria."""
    filters = filters or AgreementFilters()
    grades = list(grades)
    kept = [g for g in grades if filters.keeps(g)]
    pairs = _pairs(kept)
    by_criterion: dict[str, list[_Pair]] = defaultdict(list)
    for pair in pairs:
        by_criterion[pair.criterion_id].append(pair)
    per_criterion = [_criterion(cid, by_criterion[cid], rubric) for cid in sorted(by_criterion, key=id_order)]
    counts = Counter((p.grader, p.review.verdict) for p in pairs)
    trainer, grader = [p.review.verdict.value for p in pairs], [p.grader.value for p in pairs]
    corrected = sorted((c for c in per_criterion if c.corrections), key=lambda c: (-c.corrections, c.exact))
    return AgreementDashboard(
        filters=filters,
        sessions=len({p.session_id for p in pairs}),
        items=len(pairs),
        exact=exact_agreement(trainer, grader) if pairs else None,
        kappa=cohen_kappa(trainer, grader) if pairs else None,
        per_criterion=per_criterion,
        most_corrected=corrected[:top],
        verdicts=list(Verdict),
        confusion={g: {t: counts[(g, t)] for t in Verdict} for g in Verdict},
        cohorts=sorted({g.cohort for g in grades if g.cohort}),
        scenarios=sorted({g.scenario_id for g in grades if g.scenario_id}),
        rubric_versions=sorted({g.report.rubric_version for g in grades}),
    )
