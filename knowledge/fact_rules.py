"""Checks a statement against rules whose figure does not depend on the client's contract.

Why: the fact table (`knowledge.fact_table`) finds the governing figure by shared words and stays
unsure whenever another figure could be meant. A few rules are said in words known in advance —
the bonus-malus rates, the legal delays to declare, to withdraw or to terminate, the conventions'
thresholds — so when a statement's clause names one of them, its figure can be judged with
certainty. General rules (law, conventions) bind every insurer; the corpus insurer's own terms
only its contracts. The rules are data (`fact_rules.yaml`), each citing its article.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from crca.text import fold
from knowledge.fact_compare import in_days, same_value
from knowledge.fact_table import clause_of, is_name, products
from knowledge.figures import Figure, extract_figures

RULES_FILE = Path(__file__).with_name("fact_rules.yaml")
# Words before a figure that state it as a threshold (« dès que les dégâts dépassent 1 000 € »).
_THRESHOLD = re.compile(
    r"(jusqu'a|au-dela de|a partir de|des que|seuil de|plafond de|limite de|depass\w*|en dessous de"
    r"|au-dessous de|sous|moins de|plus de|inferieurs? a|superieurs? a|ne depassent? pas)\s*$"
)
_BEFORE = 40  # characters before a figure read by `before_figure` and the threshold words


class FactRule(BaseModel):
    """One rule of the conditions whose figure is fixed, with the words that name it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    article: str = Field(description="The article of the conditions stating the rule.")
    scope: Literal["general", "contract"] = Field(
        description="general: law or convention, true for every insurer; contract: the insurer's own terms."
    )
    products: list[str] = Field(default_factory=list, description="Lines of business; empty: all.")
    context: str = Field(description="Folded regular expression the statement must match.")
    context_also: str | None = None
    clause: list[str] = Field(description="Folded regular expressions the figure's clause must all match.")
    cue_before: bool = Field(default=False, description="The clause's words come before the figure.")
    before_figure: str | None = Field(default=None, description="What the words before the figure end with.")
    unless: str | None = Field(default=None, description="Words that put the statement on another rule.")
    values: dict[str, list[float]] = Field(description="Unit → the figures that agree.")
    bound: Literal["max"] | None = Field(default=None, description="The figure is a maximum.")
    threshold: bool = Field(default=False, description="Only a figure stated as a threshold counts.")
    explanation: str = Field(description="The rule in French, shown to the trainer.")


def expected_text(rule: FactRule) -> str:
    """The rule's figures as a French reader writes them (« 5 jours », « 0,50 », « 1 600 € »)."""

    def written(value: float, unit: str) -> str:
        if unit == "ratio":
            return (f"{value:.2f}" if round(value, 2) == value else f"{value:.3f}").replace(".", ",")
        number = f"{int(value):,}".replace(",", " ") if value.is_integer() else str(value).replace(".", ",")
        return f"{number} {unit}"

    shown = [written(v, unit) for unit, values in rule.values.items() for v in values]
    return " ou ".join(shown) if shown else "aucun"


class RuleVerdict(BaseModel):
    """A statement's figure judged by a rule."""

    status: Literal["agrees", "contradicts"]
    rule: FactRule
    claimed: Figure


_RULES: TypeAdapter[list[FactRule]] = TypeAdapter(list[FactRule])


@cache
def load_rules(path: Path = RULES_FILE) -> tuple[FactRule, ...]:
    return tuple(_RULES.validate_python(yaml.safe_load(path.read_text(encoding="utf-8"))))


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _found(pattern: str | None, text: str) -> bool:
    return pattern is not None and bool(_regex(pattern).search(text))


def _applies(rule: FactRule, folded: str, lines: set[str], general_only: bool) -> bool:
    if general_only and rule.scope != "general":
        return False
    if rule.products and lines and not lines & set(rule.products):
        return False
    return (
        _found(rule.context, folded)
        and (rule.context_also is None or _found(rule.context_also, folded))
        and not _found(rule.unless, folded)
    )


def _names(rule: FactRule, statement: str, figure: Figure) -> bool:
    """True when the clause holding `figure` names the rule (and the figure is stated as it asks)."""
    folded = fold(statement)
    clause = clause_of(statement, figure)
    if rule.cue_before:
        clause = clause[: clause.find(fold(figure.written))] if fold(figure.written) in clause else clause
    if not all(_found(cue, clause) for cue in rule.clause):
        return False
    before = folded[max(0, figure.start - _BEFORE) : figure.start]
    if rule.before_figure and not _found(rule.before_figure, before):
        return False
    return not rule.threshold or bool(_THRESHOLD.search(before))


def _measures(rule: FactRule, figure: Figure) -> bool:
    """True when the rule has figures of this unit (days and months are both durations)."""
    return figure.unit in rule.values or (
        figure.kind == "duree" and bool({"jours", "mois"} & set(rule.values))
    )


def _verdict(rule: FactRule, figure: Figure) -> Literal["agrees", "contradicts"]:
    expected = [
        Figure(kind=figure.kind, value=v, unit=unit, written="", start=0)
        for unit, values in rule.values.items()
        if unit == figure.unit or (figure.kind == "duree" and unit in ("jours", "mois"))
        for v in values
    ]
    if any(same_value(figure, e) for e in expected):
        return "agrees"
    if rule.bound == "max" and any(in_days(figure) <= in_days(e) for e in expected):
        return "agrees"
    return "contradicts"


def check_rules(
    statement: str,
    *,
    product: str | None = None,
    general_only: bool = False,
    rules: tuple[FactRule, ...] | None = None,
) -> RuleVerdict | None:
    """The rule the statement's clause names, with its verdict on the figure. A figure that
    differs from its rule contradicts unless that rule, or that figure, agrees elsewhere in the
    sentence (« 5 jours ouvrés, 2 pour un vol » lists two rules' figures)."""
    folded = fold(statement)
    lines = products(statement) or ({product} if product else set())
    found = [
        r for r in (load_rules() if rules is None else rules) if _applies(r, folded, lines, general_only)
    ]
    if not found:
        return None
    ratios = any("ratio" in r.values for r in found)
    figures = [f for f in extract_figures(statement, about_coefficients=ratios) if not is_name(statement, f)]
    verdicts = [
        RuleVerdict(status=_verdict(rule, figure), rule=rule, claimed=figure)
        for rule in found
        for figure in figures
        if _measures(rule, figure) and _names(rule, statement, figure)
    ]
    agreeing = [v for v in verdicts if v.status == "agrees"]
    contradicted = [
        v
        for v in verdicts
        if v.status == "contradicts" and not any(a.rule is v.rule or a.claimed is v.claimed for a in agreeing)
    ]
    chosen = contradicted or agreeing
    return chosen[0] if chosen else None
