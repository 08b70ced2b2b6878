"""Qualifiers that make two figures measure different cases, however alike their wording.

Why: the wrong « conforme » verdicts came from a figure found in the right sentence but for another
case — the sécheresse franchise said of a flood, the 3-room price said of a 2-room flat, the
bodily-injury ceiling said of property damage, an adult's price said of a child. Exclusive groups
and counted nouns are data (`lexicons/fact_table.yaml`: `exclusive`, `counted`).
"""

from __future__ import annotations

import re
from functools import cache

from crca.lexicons import load_lexicon
from crca.text import fold
from knowledge.figures import NUMBER_WORDS, parse_number

_DIGIT_NAME = re.compile(r"\bt(\d)\b")  # « un T2 »


@cache
def _groups() -> tuple[tuple[re.Pattern[str], ...], ...]:
    groups = load_lexicon("knowledge", "fact_table")["exclusive"]
    return tuple(tuple(re.compile(m.strip()) for m in group.split("≠")) for group in groups)


@cache
def _counted() -> tuple[re.Pattern[str], ...]:
    nouns = load_lexicon("knowledge", "fact_table")["counted"]
    return tuple(re.compile(rf"(\d+|[a-z]+)[\s-]({noun})\b") for noun in nouns)


@cache
def _former() -> re.Pattern[str]:
    return re.compile("|".join(load_lexicon("knowledge", "fact_table")["former"]))


def is_former(clause: str) -> bool:
    """True when an article's clause gives a former rule (« il était auparavant de dix jours »)."""
    return bool(_former().search(fold(clause)))


def _members(text: str, group: tuple[re.Pattern[str], ...]) -> set[int]:
    return {i for i, member in enumerate(group) if member.search(text)}


def _count(word: str) -> float | None:
    """The number a count word or digits say (« deux » → 2), None for any other word."""
    return parse_number(word) if word.isdigit() or word in NUMBER_WORDS else None


def counts(text: str) -> dict[int, set[float]]:
    """The counts a text gives its counted nouns (« deux-pièces », « 3 pièces », « T2 »), by noun."""
    folded = fold(text)
    found: dict[int, set[float]] = {}
    for i, pattern in enumerate(_counted()):
        for match in pattern.finditer(folded):
            if (number := _count(match.group(1))) is not None:
                found.setdefault(i, set()).add(number)
    rooms = {float(n) for n in _DIGIT_NAME.findall(folded)}
    if rooms:
        found.setdefault(0, set()).update(rooms)
    return found


def other_case(claim: str, whole: str, fact_clause: str, fact_context: str) -> bool:
    """True when the fact measures another case than the claim: its clause (else its sentence and
    heading) names only other members of an exclusive group than the claim's clause (else the
    whole statement), or another count of a counted noun."""
    claim, whole = fold(claim), fold(whole)
    fact_clause, fact_context = fold(fact_clause), fold(fact_context)
    for group in _groups():
        said = _members(claim, group) or _members(whole, group)
        meant = _members(fact_clause, group) or _members(fact_context, group)
        if said and meant and not said & meant:
            return True
    said_counts, meant_counts = counts(whole), counts(fact_clause)
    return any(noun in meant_counts and not n & meant_counts[noun] for noun, n in said_counts.items())
