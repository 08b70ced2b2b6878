"""Criteria the case makes observable are never « non observable ».

Why: a scenario's answer key lists the criteria its situation calls for (a refusal to explain, a
complaint to take, a payment to record). When the checks saw no such situation, it is because the
advisor never opened it, not because it did not arise: assessors grade it « non acquis » (on the
scenario-linked development sets, none of the key's criteria was labelled « non observable »).
"""

from __future__ import annotations

from domain.grades import CriterionGrade, Verdict
from evaluation.case_key import CaseKey
from evaluation.verdicts import Reassess
from rubrics.models import Rubric

NOTE = (
    "Le corrigé du cas ({source}) rend ce critère observable : la situation se présentait et "
    "le conseiller ne l'a pas traitée. "
)


def observed_by_case(
    rubric: Rubric, grades: list[CriterionGrade], case: CaseKey | None, reassess: Reassess
) -> list[CriterionGrade]:
    """The grades with the key's criteria moved from « non observable » to « non acquis »."""
    expected = set(case.criteria) if case else set()
    if not expected:
        return grades
    out: list[CriterionGrade] = []
    for grade in grades:
        if grade.criterion_id not in expected or grade.verdict != Verdict.NOT_OBSERVED:
            out.append(grade)
            continue
        criterion = rubric.get(grade.criterion_id)
        moved = grade.model_copy(
            update={
                "verdict": Verdict.NOT_ACQUIRED,
                "adjusted_from": Verdict.NOT_OBSERVED,
                "justification": NOTE.format(source=case.source or "cas") + grade.justification,
                "tip": criterion.tip,
            }
        )
        out.append(reassess(criterion, moved))
    return out
