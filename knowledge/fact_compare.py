"""Compares a statement's figures with the quantified facts of the same kind, unit and scope.

Why structured: retrieving three articles and reading their best sentence missed most figures (the
governing article was not retrieved, or its sentence carried another rule's figure). Here each
figure of the statement is set against every fact of the corpus measuring the same quantity: the
same unit, a word of its own clause shared with the fact's clause (« franchise tempête » ↔
« Tempête grêle neige : 300 € »), the line of business and formula in view. A fact that matches
makes it agree; it contradicts only when the facts it is anchored to all disagree, the claimed
value measures nothing alike elsewhere, and one scope is in view; anything less is « à vérifier »
or unknown.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from crca.text import fold
from knowledge.fact_certainty import formulas
from knowledge.fact_claims import topics
from knowledge.fact_qualifiers import other_case
from knowledge.fact_table import QuantFact, clause_of, cue_pattern, is_name, products, words_of
from knowledge.figures import Figure, extract_figures

Verdict = Literal["agrees", "contradicts", "to_verify", "unknown"]
MIN_ANCHOR = 1
"""Distinctive words the statement's clause must share with a fact's clause to be compared."""
MIN_CONTRADICTION = 3
"""Score a contradicting fact needs (3 per shared clause word, 1 per shared sentence word)."""
COVERAGE = 0.4
"""Share of the statement's distinctive words a contradicting fact's sentence must hold."""
_COUNT = re.compile(r"\d|\b(deux|trois|quatre|cinq|six|sept|huit|neuf|dix)\b")
# How close two durations in days and months are taken as one (« un mois » said for 30 jours).
_DAYS_PER_MONTH = 30.4
_TOLERANCE = 0.04


def in_days(figure: Figure) -> float:
    """A duration in days (months at 30.4 days), any other figure as it is."""
    return figure.value * _DAYS_PER_MONTH if figure.unit == "mois" else figure.value


def same_value(claimed: Figure, fact: Figure) -> bool:
    """Equal values; durations compare across days and months (« un mois » = 30 jours)."""
    if claimed.unit == fact.unit:
        return abs(claimed.value - fact.value) < 1e-6
    if {claimed.unit, fact.unit} == {"jours", "mois"}:
        days = [in_days(f) for f in (claimed, fact)]
        return abs(days[0] - days[1]) <= _TOLERANCE * max(days)
    return False


def _close(claimed: Figure, fact: Figure) -> bool:
    """Durations in days and months within a factor of 12 of each other (« huit jours » / « un mois »)."""
    days = [in_days(f) for f in (claimed, fact)]
    return min(days) > 0 and max(days) / min(days) <= 12


def _comparable(claimed: Figure, fact: Figure) -> bool:
    return claimed.kind == fact.kind and (claimed.unit == fact.unit or claimed.kind == "duree")


class FactMatch(BaseModel):
    """A fact set against one figure of the statement, with how closely it is the same quantity."""

    fact: QuantFact
    anchor: int
    score: int


class Comparison(BaseModel):
    """The verdict on a statement's figures and the fact that decided it."""

    status: Verdict
    claimed: Figure | None = None
    fact: QuantFact | None = None


class _Scope(BaseModel):
    products: set[str]
    formulas: set[str]
    general_only: bool


def _in_scope(fact: QuantFact, scope: _Scope) -> bool:
    if fact.example or (scope.general_only and not fact.general):
        return False
    if scope.products and fact.product != "commun" and fact.product not in scope.products:
        return False
    if scope.products and fact.products and not fact.products & scope.products:
        return False
    return not (scope.formulas and fact.formulas and not fact.formulas & scope.formulas)


def matches(statement: str, claimed: Figure, facts: tuple[QuantFact, ...], scope: _Scope) -> list[FactMatch]:
    """The facts in scope measuring the same quantity as `claimed`, closest first."""
    clause = words_of(clause_of(statement, claimed))
    words = words_of(statement)
    named = topics(clause_of(statement, claimed)) or topics(statement)
    found: list[FactMatch] = []
    for fact in facts:
        if not _comparable(claimed, fact.figure) or not _in_scope(fact, scope):
            continue
        if claimed.unit != fact.figure.unit and not _close(claimed, fact.figure):
            continue  # days against years: an age is no deadline
        anchor = len(clause & fact.clause)
        if anchor < MIN_ANCHOR:
            continue
        if named and not named & topics(f"{fact.sentence} {fact.heading}"):
            continue
        if other_case(
            clause_of(statement, claimed), statement, fact.clause_text, f"{fact.sentence} {fact.heading}"
        ):
            continue
        score = 3 * anchor + len(words & fact.context - fact.clause)
        found.append(FactMatch(fact=fact, anchor=anchor, score=score))
    return sorted(found, key=lambda m: -m.score)


def _figure_verdict(
    statement: str, claimed: Figure, facts: tuple[QuantFact, ...], scope: _Scope
) -> tuple[Verdict, QuantFact | None]:
    named = formulas(_segment(statement, claimed))
    if named:
        scope = scope.model_copy(update={"formulas": named})
    found = matches(statement, claimed, facts, scope)
    if not found:
        return "unknown", None
    best = found[0].score
    top = [m for m in found if m.score == best]
    agreeing = [m for m in found if same_value(claimed, m.fact.figure)]
    if any(m.score >= best - 1 for m in agreeing):
        return "agrees", agreeing[0].fact
    if agreeing:
        return "unknown", agreeing[0].fact  # the value measures something close: ambiguous
    fact = top[0].fact
    if all(m.fact.upper_bound and claimed.value <= m.fact.figure.value for m in top):
        return "unknown", fact  # « versé sous 5 jours » keeps a « dans les 30 jours » rule
    values = {round(m.fact.figure.value, 6) for m in top}
    if any(_computed_from(statement, claimed, m.fact.figure) for m in top):
        return "unknown", fact  # a total worked out from the rule's figure
    if fact.threshold and not cue_pattern("threshold").search(clause_of(statement, claimed)):
        return "unknown", fact  # a claim's amount set against a threshold is no rule of its own
    if any(_said_elsewhere(statement, claimed, f) for f in facts if _in_scope(f, scope)):
        return "unknown", fact  # the value is another rule's, close to what is said: ambiguous
    covered = words_of(statement) & (fact.clause | fact.context)
    if len(covered) < COVERAGE * len(words_of(statement)):
        return "to_verify", fact  # the statement speaks of more than this rule (« locaux professionnels »)
    named = topics(clause_of(statement, claimed))
    if best >= MIN_CONTRADICTION and len(values) == 1 and named <= topics(f"{fact.sentence} {fact.heading}"):
        return "contradicts", fact
    return "to_verify", fact


def _segment(statement: str, claimed: Figure) -> str:
    """The part of the statement between semicolons / colons / full stops that holds the figure."""
    folded = fold(statement)
    start = max(folded.rfind(mark, 0, claimed.start) for mark in (";", ":", ". "))
    ends = [i for mark in (";", ":", ". ") if (i := folded.find(mark, claimed.start)) >= 0]
    return folded[start + 1 : min(ends, default=len(folded))]


def _computed_from(statement: str, claimed: Figure, fact: Figure) -> bool:
    """True when the claimed amount is a whole multiple of the fact's and the statement counts
    something else (« 32 000 € pour quatre pièces » = 4 × 8 000 €)."""
    folded = fold(statement)
    rest = folded[: claimed.start] + folded[claimed.start + len(claimed.written) :]
    if claimed.unit != "€" or fact.value <= 0 or not _COUNT.search(rest):
        return False
    ratio = claimed.value / fact.value
    return 2 <= ratio <= 12 and abs(ratio - round(ratio)) < 1e-6


def _said_elsewhere(statement: str, claimed: Figure, fact: QuantFact) -> bool:
    """True when a fact in scope has the claimed value and shares a word with the statement:
    « l'option 0 km coûte 48 € » read against the collision option's 95 € is the other option."""
    return (
        _comparable(claimed, fact.figure)
        and same_value(claimed, fact.figure)
        and (bool(words_of(statement) & fact.clause) or len(words_of(statement) & fact.context) >= 2)
    )


def is_uncertain(statement: str) -> bool:
    """True when the statement's figure is this client's case or an estimate (« il y a », « environ »)."""
    return bool(cue_pattern("uncertain").search(fold(statement)))


def compare(
    statement: str,
    facts: tuple[QuantFact, ...],
    *,
    product: str | None = None,
    general_only: bool = False,
    case_formulas: frozenset[str] = frozenset(),
) -> Comparison:
    """The statement's figures against the facts in scope: agrees, contradicts, to_verify, unknown.

    A statement mixing an agreeing and a contradicting figure is « à vérifier » (another case may
    be meant); a figure worked out for the client (« soit 618 € ») is not compared. The client's
    formula (`case_formulas`) applies when the statement names none (« dans votre formule »)."""
    folded = fold(statement)
    if cue_pattern("computed").search(folded):
        return Comparison(status="unknown")
    certain = not is_uncertain(statement)
    named = products(statement)
    scope = _Scope(
        products=named or ({product} if product else set()),
        formulas=formulas(statement) or set(case_formulas),  # narrowed to the figure's clause below
        general_only=general_only,
    )
    claimed = [c for c in extract_figures(statement) if not is_name(statement, c)]
    verdicts = [(c, *_figure_verdict(statement, c, facts, scope)) for c in claimed]
    statuses = {v for _, v, _ in verdicts}
    for wanted in ("contradicts", "to_verify", "agrees"):
        hit = next(((c, f) for c, v, f in verdicts if v == wanted), None)
        if hit is None:
            continue
        status: Verdict = wanted
        others = [c for c, _, _ in verdicts if c is not hit[0] and c.unit == hit[0].unit]
        if wanted == "contradicts" and ("agrees" in statuses or not certain or others or general_only):
            # another figure agrees, the claim is the client's own case, or another insurer is in
            # view: its practice may differ from a general rule without any fault of the advisor
            status = "to_verify"
        return Comparison(status=status, claimed=hit[0], fact=hit[1])
    return Comparison(status="unknown")
