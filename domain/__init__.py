"""Shared domain types that every package may import: transcript, grades, review.

Data flows scenario → conversation → `Transcript` → `CriterionGrade`s → `GradeReport` → review;
this package holds the records that cross those steps and imports nothing of the project but `crca`.
"""

from domain.grades import (
    VERDICT_LABELS_FR,
    BlocSummary,
    CheckResult,
    CriterionGrade,
    Evidence,
    GradeReport,
    GraderInfo,
    Verdict,
)
from domain.review import Review
from domain.transcript import ACTION_TYPES, CHANNEL_LABELS_FR, Action, Channel, Speaker, Transcript, Turn

__all__ = [
    "ACTION_TYPES",
    "CHANNEL_LABELS_FR",
    "VERDICT_LABELS_FR",
    "Action",
    "BlocSummary",
    "Channel",
    "CheckResult",
    "CriterionGrade",
    "Evidence",
    "GradeReport",
    "GraderInfo",
    "Review",
    "Speaker",
    "Transcript",
    "Turn",
    "Verdict",
]
