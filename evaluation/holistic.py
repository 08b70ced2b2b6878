"""The handling's overall level moves the observed verdicts, as assessors read a whole exchange.

Why: criterion by criterion, checks see a handling through keyhole cues; assessors read it whole.
On every labelled set, a weak handling has nearly all its observed criteria « non acquis » even
where a check found something done, and a solid one has its small gaps « acquis ». The checks'
verdicts already measure the level well (share of observed criteria acquired); pulling the
criteria of a clearly weak or clearly solid handling to that level raised the held-out κ on each
of the seven development sets. A verdict a logged operation or the case key decided never moves,
a verdict a fault decided is never lifted, and « non observé » never moves. Thresholds are data in
the rubric (`handling_level`); the justification says what the checks alone gave.
"""

from __future__ import annotations

from domain.grades import VERDICT_LABELS_FR, CriterionGrade, Verdict
from evaluation.verdicts import Reassess, grade_deciding_sources
from rubrics.models import Criterion, HandlingLevel, Rubric

ANCHORS = frozenset({"actions", "case"})
"""Sources that decide a check on facts (a logged operation, the case key), not on a reading."""
OBSERVED = (Verdict.ACQUIRED, Verdict.PARTIAL, Verdict.NOT_ACQUIRED)


def handling_level(grades: list[CriterionGrade]) -> tuple[float, int]:
    """(share of observed criteria acquired, a partial one counting half; how many were observed)."""
    observed = [g.verdict for g in grades if g.verdict in OBSERVED]
    if not observed:
        return 0.0, 0
    score = sum(1.0 if v == Verdict.ACQUIRED else 0.5 if v == Verdict.PARTIAL else 0.0 for v in observed)
    return score / len(observed), len(observed)


def _fault_found(criterion: Criterion, grade: CriterionGrade) -> bool:
    negative = {c.id for c in criterion.checks if c.negative}
    return any(r.check_id in negative and r.passed is False for r in grade.checks)


def _anchored(criterion: Criterion, grade: CriterionGrade) -> bool:
    """A logged operation or the case key decided the verdict: facts, not a reading, so it stays."""
    return bool(set(grade_deciding_sources(criterion, grade)) & ANCHORS)


def target(rule: HandlingLevel, level: float, criterion: Criterion, grade: CriterionGrade) -> Verdict | None:
    """The verdict the handling's level gives one grade, or None when the level says nothing of it."""
    if grade.verdict not in OBSERVED or _anchored(criterion, grade):
        return None
    if level < rule.weak_below:
        return Verdict.NOT_ACQUIRED
    if level > rule.strong_above and not _fault_found(criterion, grade):
        return Verdict.ACQUIRED
    return None


def adjust(rubric: Rubric, grades: list[CriterionGrade], reassess: Reassess) -> list[CriterionGrade]:
    """The grades with the observed verdicts moved to the handling's level, when the rubric says so."""
    rule = rubric.handling_level
    level, observed = handling_level(grades)
    if rule is None or observed < rule.min_observed:
        return grades
    kind = "faible" if level < rule.weak_below else "solide"
    moved: list[CriterionGrade] = []
    for grade in grades:
        criterion = rubric.get(grade.criterion_id)
        verdict = target(rule, level, criterion, grade)
        if verdict is None:
            moved.append(grade)
            continue
        update: dict[str, object] = {"level_decided": True}
        if verdict != grade.verdict:
            before = VERDICT_LABELS_FR[grade.verdict]
            note = (
                f"Ajusté au niveau d'ensemble de l'entretien ({level:.0%} des critères observés acquis : "
                f"traitement {kind}) ; les vérifications seules donnaient « {before} ». "
            ).replace("%", " %")
            update |= {
                "verdict": verdict,
                "adjusted_from": grade.verdict,
                "justification": note + grade.justification,
                "tip": criterion.tip if verdict in (Verdict.PARTIAL, Verdict.NOT_ACQUIRED) else None,
            }
        moved.append(reassess(criterion, grade.model_copy(update=update)))
    return moved
