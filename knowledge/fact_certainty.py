"""When a figure that differs from an article is a certain contradiction, not one to verify.

Why: a contradiction counted as a fault turns a trainee's regulation and solution criteria into
« non acquis »; on the labelled statements most raised ones were another rule's figure (a monture
ceiling read against a lens ceiling, a plainte delay against an expert's visit). Certain means the
same insurer, the same rule and the same quantity: a plain assertion (not a question, not a guess),
the figure and the article's figure named by the same distinctive word in their own clause, and no
other formula in play. Everything else is shown to the trainer « à vérifier ». The word lists are
data (`lexicons/fact_certainty.yaml`).
"""

from __future__ import annotations

import re
from functools import cache

from crca.lexicons import load_lexicon
from crca.text import fold
from knowledge.figures import Figure, span_around
from knowledge.text import any_of, tokenize

SUBJECT_SHARE = 0.5
"""Share of the statement's distinctive words the article must have (strictly more)."""
# Clause boundaries: what a figure measures is named within its own clause.
_CLAUSE_END = re.compile(r"[,;()\[\]!?«»]|\.(?:\s|$)|\s(?:et|ou|mais|puis|donc|alors que|sauf)\s")


@cache
def _lexicon() -> dict[str, list[str]]:
    return load_lexicon("knowledge", "fact_certainty")


@cache
def _generic() -> frozenset[str]:
    """Tokens that name no particular quantity (units, topic words, verbs of cover)."""
    words = " ".join(_lexicon()["generic_words"])
    topics = " ".join(c for cues in load_lexicon("knowledge", "factcheck").values() for c in cues)
    return frozenset(tokenize(f"{words} {topics}"))


def _pattern(key: str) -> re.Pattern[str]:
    return any_of(tuple(_lexicon()[key]))


def clause_words(text: str, figure: Figure) -> set[str]:
    """The distinctive words of the clause holding `figure` ("la franchise tempête est de 150 €")."""
    return distinctive_words(span_around(text, figure, _CLAUSE_END))


def distinctive_words(text: str) -> set[str]:
    return {t for t in tokenize(text) if not t.isdigit() and t not in _generic()}


def same_quantity(statement: str, claimed: Figure, sentence: str, governing: Figure) -> bool:
    """True when both figures are named by a shared distinctive word in their own clauses."""
    return bool(clause_words(statement, claimed) & clause_words(sentence, governing))


def same_subject(statement: str, article_words: set[str]) -> bool:
    """True when most of the statement's distinctive words are in the governing sentence or its
    article's heading: "pour des locaux professionnels" is not the vehicle's franchise."""
    words = distinctive_words(statement)
    return bool(words) and len(words & article_words) > SUBJECT_SHARE * len(words)


def formulas(text: str) -> set[str]:
    """The product formulas a text names (Essentiel, Confort, tous risques...)."""
    folded = fold(text)
    return {name for name in _lexicon()["formulas"] if re.search(rf"\b{name}\b", folded)}


def same_formula(statement: str, sentence: str, article_text: str) -> bool:
    """False when the statement names a formula the governing sentence does not (while the
    article distinguishes formulas): the figure may be another formula's."""
    named = formulas(statement)
    if not named:
        return True
    return bool(named & formulas(sentence)) or not formulas(article_text)


def is_question(statement: str) -> bool:
    """A question put to the client ("vous aviez 250 € de franchise, c'est bien ça ?") asserts nothing."""
    return statement.rstrip().endswith("?")


def is_hedged(statement: str) -> bool:
    """A guess ("probablement", "il me semble") is not an assertion of the contract's terms."""
    return bool(_pattern("hedges").search(fold(statement)))
