"""A trainer's review of a grade: per criterion, confirm the grader's verdict or change it.

One review model for the whole app: storage maps its rows onto `Review`, reports apply it
(`evaluation.reports.apply_overrides` regenerates every derived text from the final verdicts)
and the agreement figures and the labelled-set export read it. A confirmation is stored like a
change: it is a label too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from pydantic import BaseModel, Field

from domain.grades import VERDICT_LABELS_FR, GradeReport, Verdict
from domain.score import Score

TRAINER_VERDICTS: tuple[Verdict, ...] = (
    Verdict.ACQUIRED,
    Verdict.PARTIAL,
    Verdict.NOT_ACQUIRED,
    Verdict.NOT_OBSERVED,
)
"""What a trainer may decide: « non évalué (erreur) » is the grader's failure, never a decision."""


class ReviewRefused(ValueError):
    """A decision the review rules refuse; the message is French, for the trainer."""


class Review(BaseModel):
    """A trainer's decision on one criterion, stored beside the grader's report and shown in exports."""

    criterion_id: str = Field(description="Rubric criterion reviewed, e.g. 'B1.4'.")
    verdict: Verdict = Field(description="The trainer's verdict, which exports show.")
    original_verdict: Verdict | None = Field(
        default=None, description="The grader's verdict, kept for the record once stored or applied."
    )
    comment: str = Field(default="", description="Why, in the trainer's words (required for a change).")
    author: str = Field(description="Username of the trainer.")
    at: datetime = Field(description="When the decision was recorded.")

    @property
    def confirms(self) -> bool:
        """True when the trainer kept the grader's verdict."""
        return self.verdict == self.original_verdict

    @classmethod
    def decide(
        cls, criterion_id: str, grader_verdict: Verdict, verdict: Verdict | str, comment: str, author: str,
        at: datetime,
    ) -> Review:  # fmt: skip
        """A new decision, checked: the one place the review rules live.

        A trainer verdict is one of `TRAINER_VERDICTS`; changing the grader's verdict needs a
        comment (a confirmation does not: agreeing needs no argument; nor does a verdict where the
        grader could not grade: there is nothing to argue against).
        """
        try:
            chosen = Verdict(verdict)
        except ValueError as exc:
            raise ReviewRefused("Choisissez un verdict dans la liste.") from exc
        if chosen not in TRAINER_VERDICTS:
            raise ReviewRefused(
                "« non évalué (erreur) » n'est pas un verdict de formateur : choisissez acquis, "
                "partiellement acquis, non acquis ou non observable."
            )
        comment = (comment or "").strip()
        if chosen != grader_verdict and grader_verdict != Verdict.COULD_NOT_GRADE and not comment:
            raise ReviewRefused("Un commentaire est requis pour modifier un verdict.")
        return cls(criterion_id=criterion_id, verdict=chosen, original_verdict=grader_verdict,
                   comment=comment, author=author, at=at)  # fmt: skip


def latest_reviews(reviews: Iterable[Review]) -> dict[str, Review]:
    """Criterion id → its latest review (by time; among equal times, the later one given)."""
    latest: dict[str, Review] = {}
    for review in sorted(reviews, key=lambda r: r.at):
        latest[review.criterion_id] = review
    return latest


class CriterionReview(BaseModel):
    """Where one criterion stands in the trainer's review."""

    criterion_id: str
    grader_verdict: Verdict = Field(description="What the grader decided.")
    review: Review | None = Field(default=None, description="The latest trainer decision, if any.")

    @property
    def verdict(self) -> Verdict:
        """The final verdict: the trainer's when reviewed, else the grader's."""
        return self.review.verdict if self.review else self.grader_verdict

    @property
    def reviewed(self) -> bool:
        return self.review is not None

    @property
    def confirmed(self) -> bool:
        return self.review is not None and self.review.verdict == self.grader_verdict

    @property
    def changed(self) -> bool:
        return self.review is not None and self.review.verdict != self.grader_verdict

    @property
    def label_fr(self) -> str:
        """« non relu », « confirmé par paul le 03/02/2026 » or « modifié par paul le … : why »."""
        if self.review is None:
            return "non relu"
        when = f"{self.review.at:%d/%m/%Y}"
        if self.confirmed:
            return f"confirmé par {self.review.author} le {when}"
        was = VERDICT_LABELS_FR[self.grader_verdict]
        return f"modifié par {self.review.author} le {when} (évaluateur : {was}) : {self.review.comment}"


class ReviewStatus(BaseModel):
    """How far the trainers' review of one grade went."""

    criteria: int = Field(description="Criteria in the grade.")
    reviewed: int = Field(default=0, description="Criteria with a trainer decision (confirmed or changed).")
    changed: int = Field(default=0, description="Of those, criteria whose verdict the trainer changed.")

    @property
    def confirmed(self) -> int:
        return self.reviewed - self.changed

    @property
    def complete(self) -> bool:
        return self.criteria > 0 and self.reviewed >= self.criteria

    @property
    def label_fr(self) -> str:
        """« non relue », « 5 critères relus sur 28, dont 2 modifiés », « … aucun modifié »."""
        if not self.reviewed:
            return "non relue"
        s, c = ("s" if self.reviewed > 1 else ""), ("s" if self.changed > 1 else "")
        changes = f"dont {self.changed} modifié{c}" if self.changed else "aucun modifié"
        return f"{self.reviewed} critère{s} relu{s} sur {self.criteria}, {changes}"


def review_states(grader_verdicts: Mapping[str, Verdict], reviews: Iterable[Review]) -> list[CriterionReview]:
    """Each criterion of a grade (in the grade's order) with its latest review."""
    latest = latest_reviews(reviews)
    return [CriterionReview(criterion_id=cid, grader_verdict=v, review=latest.get(cid))
            for cid, v in grader_verdicts.items()]  # fmt: skip


def review_status(grader_verdicts: Mapping[str, Verdict], reviews: Iterable[Review]) -> ReviewStatus:
    """The counts of `review_states`: what storage hands out per session."""
    states = review_states(grader_verdicts, reviews)
    return ReviewStatus(criteria=len(states), reviewed=sum(s.reviewed for s in states),
                        changed=sum(s.changed for s in states))  # fmt: skip


class ReviewedReport(GradeReport):
    """A report whose verdicts, counts, texts and score follow the trainers' latest decisions.

    Built by `evaluation.reports.apply_overrides` (the French texts need the rubric); `graded`
    keeps the grader's report untouched, so the record of what the grader said is never lost.
    """

    reviews: list[Review] = Field(default_factory=list, description="Latest per criterion, applied.")
    graded: GradeReport = Field(description="The report exactly as the grader produced it.")
    score: Score = Field(description="The score of the final verdicts.")

    def review_for(self, criterion_id: str) -> Review | None:
        return next((r for r in self.reviews if r.criterion_id == criterion_id), None)

    def state(self, criterion_id: str) -> CriterionReview:
        """Reviewed or not, confirmed or changed, by whom, why (KeyError for an unknown id)."""
        grader = self.graded.grade(criterion_id).verdict
        return CriterionReview(
            criterion_id=criterion_id, grader_verdict=grader, review=self.review_for(criterion_id)
        )

    def states(self) -> list[CriterionReview]:
        return [self.state(c.criterion_id) for c in self.graded.criteria]

    @property
    def status(self) -> ReviewStatus:
        return review_status({c.criterion_id: c.verdict for c in self.graded.criteria}, self.reviews)
