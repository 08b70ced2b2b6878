"""Grader/assessor agreement arithmetic, kept pure so it is tested apart from any model.

Labels are verdict codes (strings or `Verdict`). A prediction the grader could not make
(`could_not_grade`, missing) counts as a disagreement: the measure is what a trainer gets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from pydantic import BaseModel

from domain.grades import GradeReport
from domain.transcript import Transcript
from evaluation.evidence import is_verbatim

Labels = Mapping[str, Mapping[str, str]]
"""transcript id → criterion id → verdict code."""

MISSING = "missing"


def pairs(gold: Labels, predicted: Labels) -> list[tuple[str, str, str]]:
    """(criterion id, gold, predicted) for every labelled criterion of every graded transcript."""
    return [
        (cid, str(verdict), str(predicted[tid].get(cid, MISSING)))
        for tid in sorted(gold)
        if tid in predicted
        for cid, verdict in sorted(gold[tid].items())
    ]


def exact_agreement(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Share of items where both raters chose the same verdict."""
    if len(gold) != len(predicted):
        raise ValueError("les deux séries n'ont pas la même longueur")
    if not gold:
        return 0.0
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)


def cohen_kappa(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Cohen's κ = (p_o − p_e) / (1 − p_e), p_e from each rater's marginal frequencies.

    When chance agreement is total (both raters always used one same label) κ is undefined;
    1.0 is returned if they agree on everything, else 0.0.
    """
    n = len(gold)
    p_o = exact_agreement(gold, predicted)
    if n == 0:
        return 0.0
    gold_counts, predicted_counts = Counter(gold), Counter(predicted)
    p_e = sum(gold_counts[label] * predicted_counts[label] for label in gold_counts) / (n * n)
    if p_e >= 1.0:
        return 1.0 if p_o == 1.0 else 0.0
    return (p_o - p_e) / (1 - p_e)


def per_criterion(items: Sequence[tuple[str, str, str]]) -> dict[str, float]:
    """Exact agreement of each criterion across transcripts."""
    by_id: dict[str, list[tuple[str, str]]] = {}
    for cid, g, p in items:
        by_id.setdefault(cid, []).append((g, p))
    return {cid: exact_agreement([g for g, _ in v], [p for _, p in v]) for cid, v in by_id.items()}


def evidence_counts(report: GradeReport, transcript: Transcript) -> tuple[int, int]:
    """(verbatim, shown): quotes found exactly in the turn they cite, out of all quotes shown."""
    shown = [ev for grade in report.criteria for ev in grade.evidence]
    return sum(is_verbatim(transcript, ev) for ev in shown), len(shown)


def differing(a: Mapping[str, str], b: Mapping[str, str]) -> list[str]:
    """Criterion ids whose verdicts differ between two gradings (e.g. an injected twin)."""
    return sorted(cid for cid in set(a) | set(b) if a.get(cid) != b.get(cid))


class AgreementSummary(BaseModel):
    items: int
    exact: float
    kappa: float
    per_criterion: dict[str, float]
    unscored: int


def summarise(gold: Labels, predicted: Labels) -> AgreementSummary:
    """All agreement figures of one grader against the labels."""
    items = pairs(gold, predicted)
    g = [x[1] for x in items]
    p = [x[2] for x in items]
    return AgreementSummary(
        items=len(items),
        exact=exact_agreement(g, p),
        kappa=cohen_kappa(g, p),
        per_criterion=per_criterion(items),
        unscored=sum(v in (MISSING, "could_not_grade") for v in p),
    )
