"""The review queue of one graded session: a card per criterion, the doubtful verdicts first.

A trainer confirms a verdict in one click or changes it (a comment is then required); both
are stored, since a confirmation is an assessor's label too. Every handler starts with
`require_trainer`, so a trainee calling the endpoints directly is refused.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, Field

from domain.grades import CriterionGrade, Verdict
from domain.review import Review, ReviewedReport, ReviewRefused
from evaluation.reports import ordered, title_of
from webapp.storage import SessionRecord, StorageError, awaiting_review_first
from webapp.ui.auth import UIError, require_trainer
from webapp.ui.review import SessionFilters, list_sessions, report_view
from webapp.ui.services import AppServices


class QueueCard(BaseModel):
    """One criterion as the trainer reviews it."""

    criterion_id: str
    title: str
    grade: CriterionGrade = Field(description="The grader's grade (justification, evidence, tip).")
    verdict: Verdict = Field(description="The verdict in force: the trainer's once reviewed.")
    review: Review | None = Field(default=None, description="The latest trainer decision, if any.")

    @property
    def to_confirm(self) -> bool:
        return self.grade.confidence == "to_confirm"


class ReviewQueue(BaseModel):
    """A session's cards in review order: unreviewed « à confirmer », other unreviewed, reviewed."""

    session: SessionRecord
    grade_id: int = Field(description="The stored grade the decisions apply to (the session's latest).")
    report: ReviewedReport
    cards: list[QueueCard]

    @property
    def reviewed(self) -> int:
        return sum(1 for c in self.cards if c.review is not None)

    def card(self, criterion_id: str | None) -> QueueCard:
        """The card of `criterion_id`, or the first card when it is unknown."""
        return next((c for c in self.cards if c.criterion_id == criterion_id), self.cards[0])

    def order(self) -> list[str]:
        return [c.criterion_id for c in self.cards]

    def next_open(self, order: list[str], current: str) -> str | None:
        """The first unreviewed card after `current` in `order` (wrapping), or None when all are done."""
        done = {c.criterion_id for c in self.cards if c.review is not None}
        start = order.index(current) + 1 if current in order else 0
        rest = order[start:] + order[:start]
        return next((cid for cid in rest if cid not in done), None)


def review_queue(services: AppServices, token: str | None, session_id: str) -> ReviewQueue:
    """The queue of a graded session (trainers only)."""
    require_trainer(services, token)
    view = report_view(services, token, (session_id or "").strip())
    if view.report is None or view.grade is None:
        raise UIError("Cette session n'a pas encore été évaluée.")
    report, rubric = view.report, services.rubric.get()
    cards = [
        QueueCard(
            criterion_id=g.criterion_id,
            title=title_of(rubric, g.criterion_id),
            grade=report.graded.grade(g.criterion_id),
            verdict=g.verdict,
            review=report.review_for(g.criterion_id),
        )
        for g in ordered(report, rubric)
    ]
    cards.sort(key=lambda c: (c.review is not None, not c.to_confirm))  # stable: rubric order within
    return ReviewQueue(session=view.session, grade_id=view.grade.id, report=report, cards=cards)


def decide(
    services: AppServices,
    token: str | None,
    session_id: str,
    criterion_id: str,
    verdict: str | None = None,
    comment: str = "",
    *,
    store: bool = True,
) -> ReviewQueue:
    """Store a trainer's decision on one criterion and return the updated queue.

    `verdict` None confirms the verdict in force (nothing is stored again when the trainer
    already decided it); the rules are `Review.decide`'s (a change needs a comment). `store=False`
    only checks the decision, so the screen can refuse it before touching its outputs.
    """
    trainer = require_trainer(services, token)
    queue = review_queue(services, token, session_id)
    card = next((c for c in queue.cards if c.criterion_id == criterion_id), None)
    if card is None:
        raise UIError(f"Critère absent de cette évaluation : {criterion_id}.")
    if verdict is None and card.review is not None:
        return queue
    chosen = verdict or card.verdict.value
    try:
        Review.decide(criterion_id, card.grade.verdict, chosen, comment, trainer.username, datetime.now(UTC))
    except ReviewRefused as exc:
        raise UIError(str(exc)) from exc
    if not store:
        return queue
    try:
        services.repo.add_review(queue.grade_id, criterion_id, chosen, comment, trainer.username)
    except StorageError as exc:
        raise UIError(str(exc)) from exc
    return review_queue(services, token, session_id)


def sessions_for_review(
    services: AppServices, token: str | None, filters: SessionFilters
) -> list[SessionRecord]:
    """The filtered sessions, those awaiting review first (newest first within each group)."""
    return awaiting_review_first(list_sessions(services, token, filters))
