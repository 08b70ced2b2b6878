"""French texts derived deterministically from check results: justifications and summaries.

Why templates: the verdict and its explanation must never disagree, and a trainer must
find, in the justification, the very checks the verdict was computed from.
"""

from __future__ import annotations

from domain.grades import VERDICT_LABELS_FR, BlocSummary, CheckResult, CriterionGrade, Verdict, bloc_of
from domain.score import score_verdicts
from rubrics.models import Criterion, Rubric


def _where(result: CheckResult) -> str:
    if result.source == "actions":
        return " (action enregistrée)"
    turns = sorted({e.turn for e in result.evidence})
    return f" (tour {', '.join(str(t + 1) for t in turns)})" if turns else ""  # shown from 1


def _item(criterion: Criterion, result: CheckResult) -> str:
    statement = next(c.statement for c in criterion.checks if c.id == result.check_id).rstrip(" .")
    return statement + _where(result)


def justify(criterion: Criterion, verdict: Verdict, results: list[CheckResult]) -> str:
    """The justification: what was observed, done, missing or wrong, check by check."""
    by_id = {c.id: c for c in criterion.checks}
    situations = [r for r in results if by_id[r.check_id].role == "situation"]
    behaviours = [r for r in results if by_id[r.check_id].role == "behaviour"]
    errors = [r for r in results if r.source == "error"]
    label = VERDICT_LABELS_FR[verdict].capitalize()
    if verdict == Verdict.COULD_NOT_GRADE:
        return f"{label} : " + " ; ".join(f"{_item(criterion, r)} — {r.note}" for r in errors) + "."
    if verdict == Verdict.NOT_OBSERVED:
        excluding = [r for r in results if by_id[r.check_id].role == "exclusion" and r.passed]
        if excluding:
            context = " ; ".join(_item(criterion, r) for r in excluding)
            return f"{label} : le contexte n'appelait pas ce comportement ({context})."
        asked = " ; ".join(f"« {by_id[r.check_id].statement.rstrip(' .')} »" for r in situations)
        return f"{label} : la situation ne s'est pas présentée ({asked} : non constaté)."
    parts = [f"{label}."]
    seen = [r for r in situations if r.passed]
    if seen:
        parts.append("Situation : " + " ; ".join(_item(criterion, r) for r in seen) + ".")
    done = [r for r in behaviours if r.passed and not by_id[r.check_id].negative]
    missing = [r for r in behaviours if r.passed is False and not by_id[r.check_id].negative]
    faults = [r for r in behaviours if r.passed is False and by_id[r.check_id].negative]
    if done:
        parts.append("Réalisé : " + " ; ".join(_item(criterion, r) for r in done) + ".")
    if missing:
        # A case-key check names what was missed ("n'a pas fait préciser : « … »").
        items = [
            _item(criterion, r) + (f" — {r.note.rstrip('.')}" if r.source == "case" else "") for r in missing
        ]
        parts.append("Non constaté : " + " ; ".join(items) + ".")
    if faults:
        parts.append("Écart : " + " ; ".join(f"{_item(criterion, r)} — {r.note}" for r in faults) + ".")
    return " ".join(parts)


def _counts(grades: list[CriterionGrade]) -> dict[Verdict, int]:
    return {v: sum(g.verdict == v for g in grades) for v in Verdict}


def _counts_text(counts: dict[Verdict, int]) -> str:
    return ", ".join(f"{n} {VERDICT_LABELS_FR[v]}" for v, n in counts.items() if n)


def _named(rubric: Rubric, criterion_id: str) -> str:
    """'B1.4 (Reformulation)'; a criterion the rubric lacks (an older report) shows its id alone."""
    try:
        return f"{criterion_id} ({rubric.get(criterion_id).title})"
    except KeyError:
        return criterion_id


def _bloc(rubric: Rubric, criterion_id: str) -> int:
    try:
        return rubric.get(criterion_id).bloc
    except KeyError:
        return bloc_of(criterion_id)


def _ids(grades: list[CriterionGrade], verdicts: set[Verdict], rubric: Rubric) -> str:
    return ", ".join(_named(rubric, g.criterion_id) for g in grades if g.verdict in verdicts)


def bloc_summaries(rubric: Rubric, grades: list[CriterionGrade]) -> list[BlocSummary]:
    """One summary per bloc: counts per verdict and a French sentence.

    Pure in the verdicts it is given: the grader calls it on its verdicts, a trainer review on
    the final ones (`evaluation.reports.apply_overrides`), so no text outlives a changed verdict.
    """
    out = []
    for bloc in sorted({c.bloc for c in rubric.criteria} | {_bloc(rubric, g.criterion_id) for g in grades}):
        mine = [g for g in grades if _bloc(rubric, g.criterion_id) == bloc]
        counts = _counts(mine)
        text = f"Bloc {bloc} : {_counts_text(counts)} sur {len(mine)} critères."
        weak = _ids(mine, {Verdict.NOT_ACQUIRED, Verdict.PARTIAL}, rubric)
        if weak:
            text += f" À travailler : {weak}."
        failed = _ids(mine, {Verdict.COULD_NOT_GRADE}, rubric)
        if failed:
            text += f" Non évalués (erreur du modèle) : {failed}."
        out.append(BlocSummary(bloc=bloc, counts=counts, text=text))
    return out


def overall_summary(rubric: Rubric, grades: list[CriterionGrade]) -> str:
    """The transcript-level summary a trainer reads first, with the score (`domain.score`)."""
    counts = _counts(grades)
    score = score_verdicts(g.verdict for g in grades)
    text = f"Sur {len(grades)} critères : {_counts_text(counts)}. Score : {score.label_fr}."
    strong = _ids(grades, {Verdict.ACQUIRED}, rubric)
    weak = _ids(grades, {Verdict.NOT_ACQUIRED}, rubric)
    if strong:
        text += f" Points forts : {strong}."
    if weak:
        text += f" Axes de progrès prioritaires : {weak}."
    if counts[Verdict.COULD_NOT_GRADE]:
        text += " Certains critères n'ont pas pu être évalués : relancer l'évaluation ou vérifier le modèle."
    return text
