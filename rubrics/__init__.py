"""The CQP CRCA referential (Bloc 1 and Bloc 2) as a versioned, checkable rubric."""

from rubrics.loader import DEFAULT_RUBRIC, RubricError, load_rubric
from rubrics.models import Check, Criterion, Rubric, VerdictRule

__all__ = ["DEFAULT_RUBRIC", "Check", "Criterion", "Rubric", "RubricError", "VerdictRule", "load_rubric"]
