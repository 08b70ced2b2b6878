"""Grades and the trainers' reviews of them: one transaction per call, score kept in step.

A grade (row + session status + final transcript) or a review (row + new score) is committed
whole or not at all. Reviews map onto `domain.review.Review`, whose `decide` holds the rules.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.grades import GradeReport, Verdict
from domain.review import Review, ReviewRefused, ReviewStatus, latest_reviews, review_status
from domain.score import Score, score_verdicts
from domain.transcript import Transcript
from webapp.storage.database import StorageError
from webapp.storage.mixin import StoreMixin
from webapp.storage.models import GradeRow, ReviewRow, SessionRow, utcnow
from webapp.storage.records import GradeRecord


class LatestGrade(NamedTuple):
    """What session lists show of a session's latest grade."""

    score: float | None
    detail: Score
    review: ReviewStatus


_CHUNK = 500
"""Ids per IN (…) list: well under SQLite's bound-parameter limit."""


def _review(row: ReviewRow) -> Review:
    return Review(
        criterion_id=row.criterion_id,
        verdict=Verdict(row.new_verdict),
        original_verdict=Verdict(row.original_verdict),
        comment=row.comment,
        author=row.author,
        at=row.at,
    )


class GradesMixin(StoreMixin):
    def _session_row(self, db: Session, session_id: str) -> SessionRow:
        row = db.get(SessionRow, session_id)
        if row is None:
            raise StorageError(f"Session introuvable : {session_id}.")
        return row

    def save_grade(
        self, session_id: str, report: GradeReport, *, transcript: Transcript | None = None
    ) -> GradeRecord:
        """Write the grade, the final transcript and the 'graded' status in one transaction."""
        with self._tx() as db:
            session = self._session_row(db, session_id)
            row = GradeRow(
                session_id=session_id,
                report_json=report.model_dump_json(),
                backend=report.grader.backend,
                model=report.grader.model,
                score=score_verdicts(g.verdict for g in report.criteria).value,
            )
            db.add(row)
            db.flush()
            if transcript is not None:
                session.transcript_json = transcript.model_dump_json()
            session.status, session.last_error, session.updated_at = "graded", None, utcnow()
            return self._grade_record(db, row)

    def latest_grade(self, session_id: str) -> GradeRecord | None:
        with self._tx() as db:
            row = db.scalar(
                select(GradeRow).where(GradeRow.session_id == session_id).order_by(GradeRow.id.desc())
            )
            return self._grade_record(db, row) if row else None

    def add_review(
        self, grade_id: int, criterion_id: str, verdict: Verdict | str, comment: str, author: str
    ) -> Review:
        """Record a trainer's decision, confirmation or change (the rules: `Review.decide`).

        The grader's verdict is kept beside it and the grade's score follows the final verdicts.
        """
        with self._tx() as db:
            grade = db.get(GradeRow, grade_id)
            if grade is None:
                raise StorageError(f"Évaluation introuvable : {grade_id}.")
            record = self._grade_record(db, grade)
            original = record.grader_verdicts().get(criterion_id)
            if original is None:
                raise StorageError(f"Critère absent de cette évaluation : {criterion_id}.")
            try:
                review = Review.decide(criterion_id, original, verdict, comment, author, self.clock())
            except ReviewRefused as exc:
                raise StorageError(str(exc)) from exc
            db.add(ReviewRow(grade_id=grade_id, criterion_id=criterion_id, original_verdict=original.value,
                             new_verdict=review.verdict.value, comment=review.comment, author=author,
                             at=review.at))  # fmt: skip
            grade.score = score_verdicts(
                (record.effective_verdicts() | {criterion_id: review.verdict}).values()
            ).value
            return review

    @staticmethod
    def _grade_record(db: Session, row: GradeRow) -> GradeRecord:
        query = select(ReviewRow).where(ReviewRow.grade_id == row.id).order_by(ReviewRow.id)
        return GradeRecord(
            id=row.id,
            session_id=row.session_id,
            report=GradeReport.model_validate_json(row.report_json),
            backend=row.backend,
            model=row.model,
            score=row.score,
            created_at=row.created_at,
            reviews=[_review(r) for r in db.scalars(query)],
        )

    @staticmethod
    def _latest_grades(db: Session, session_ids: Iterable[str]) -> dict[str, LatestGrade]:
        """Session id → score and review status of its latest grade, in a few queries for a whole list.

        Only the verdicts are read from the report JSON: a list of hundreds of sessions should not
        validate hundreds of full reports.
        """
        ids = list(session_ids)
        grades: dict[int, tuple[str, float | None, dict[str, Verdict]]] = {}
        for start in range(0, len(ids), _CHUNK):
            latest = (
                select(func.max(GradeRow.id))
                .where(GradeRow.session_id.in_(ids[start : start + _CHUNK]))
                .group_by(GradeRow.session_id)
            )
            query = select(GradeRow.id, GradeRow.session_id, GradeRow.score, GradeRow.report_json)
            for gid, sid, score, report_json in db.execute(query.where(GradeRow.id.in_(latest))):
                criteria = json.loads(report_json).get("criteria", [])
                grades[gid] = (sid, score, {c["criterion_id"]: Verdict(c["verdict"]) for c in criteria})
        reviews: dict[int, list[Review]] = {gid: [] for gid in grades}
        gids = list(grades)
        for start in range(0, len(gids), _CHUNK):
            query = select(ReviewRow).where(ReviewRow.grade_id.in_(gids[start : start + _CHUNK]))
            for row in db.scalars(query.order_by(ReviewRow.id)):
                reviews[row.grade_id].append(_review(row))
        found = {}
        for gid, (sid, score, verdicts) in grades.items():
            final = verdicts | {cid: r.verdict for cid, r in latest_reviews(reviews[gid]).items()}
            found[sid] = LatestGrade(
                score, score_verdicts(final.values()), review_status(verdicts, reviews[gid])
            )
        return found
