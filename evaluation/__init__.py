"""Rubric grading of transcripts, batch runs and reports."""

import crca  # noqa: F401  (offline environment defaults)
from evaluation.models import (
    VERDICT_LABELS_FR,
    BlocSummary,
    CheckResult,
    CriterionGrade,
    Evidence,
    GradeReport,
    GraderInfo,
    Verdict,
)

__all__ = [
    "VERDICT_LABELS_FR",
    "BlocSummary",
    "CheckResult",
    "CriterionGrade",
    "Evidence",
    "GradeReport",
    "GraderInfo",
    "Verdict",
]
