"""French-aware normalisation shared by the keyword index and the fact-checker.

A light suffix stripper conflates the inflections that matter for search ("résilier",
"résiliation", "résilié") without the aggressive cuts of a full stemmer; Snowball's French
stemmer (PyStemmer) was measured in its place and did no better (docs/knowledge.md).
"""

from __future__ import annotations

import re
from functools import cache

from crca.text import fold

_WORD = re.compile(r"[a-z0-9]+")
# Elided articles and pronouns glued by an apostrophe: l'assureur, d'eau, qu'il, j'ai.
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)'")
# Longest first; a suffix is stripped only if a stem of at least 4 letters (3 for a mere
# inflection: volé → vol) remains.
_SUFFIXES = (
    "issements",
    "issement",
    "ements",
    "ement",
    "ations",
    "ation",
    "atrices",
    "atrice",
    "ateurs",
    "ateur",
    "ages",
    "age",
    "ances",
    "ance",
    "ences",
    "ence",
    "ites",
    "ite",
    "euses",
    "euse",
    "eurs",
    "eur",
    "ives",
    "ive",
    "ifs",
    "if",
    "elles",
    "elle",
    "ies",
    "ie",
    "ees",
    "ee",
    "ers",
    "er",
    "ez",
    "ir",
    "re",
    "es",
    "e",
)
_INFLECTIONS = frozenset({"ees", "ee", "ers", "er", "ez", "es", "e"})
_EXTRA_STOPWORDS = {
    "est",
    "sont",
    "etre",
    "avoir",
    "fait",
    "faire",
    "peut",
    "peux",
    "dois",
    "doit",
    "bonjour",
    "merci",
    "madame",
    "monsieur",
    "svp",
    "alors",
    "comme",
    "si",
    "car",
    "donc",
    "quoi",
    "quel",
    "quelle",
    "quels",
    "quelles",
    "combien",
    "comment",
    "pourquoi",
    "ca",
    "cela",
    "ceci",
    "cet",
    "cette",
    "ces",
    "tout",
    "tous",
    "toute",
    "toutes",
    "aussi",
    "bien",
    "tres",
    "plus",
    "moins",
    "y",
    "a",
    "dans",
    "veux",
    "voudrais",
    "aimerais",
    "savoir",
}


@cache
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_FRENCH  # bm25s pulls in scipy: not at import time

    return frozenset(fold(w) for w in STOPWORDS_FRENCH) | _EXTRA_STOPWORDS


@cache
def stem(word: str) -> str:
    """Light French stemmer on a folded word: plural first, then one derivational suffix."""
    if word.isdigit() or len(word) <= 3:
        return word
    if word.endswith("aux") and not word.endswith("eaux"):
        word = word[:-3] + "al"
    elif word.endswith(("s", "x")) and not word.endswith("ss"):
        word = word[:-1]
    for suffix in _SUFFIXES:
        shortest = 3 if suffix in _INFLECTIONS else 4
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word[-1] == word[-2]:
        word = word[:-1]  # "franchiss"-like doubled consonants left by a cut
    return word


@cache
def inflection(word: str) -> str:
    """A folded word without its plural and its -e/-é/-er/-ez ending: the stemmer's inflections only.

    Everyday cues match on this rather than on `stem`: derivational cuts join words whose meanings
    part (« chauffage » and « chauffeur », « alliance » and « alliez », « partir » and « part »).
    """
    if word.isdigit() or len(word) <= 3:
        return word
    if word.endswith(("s", "x")) and not word.endswith("ss"):
        word = word[:-1]
    for suffix in ("ee", "er", "ez", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def inflections(text: str) -> list[str]:
    """Every word without its inflection, stopwords kept: for matching everyday cues."""
    return [inflection(w) for w in words(text)]


def words(text: str) -> list[str]:
    """Folded words, elided articles and pronouns cut off; stopwords kept."""
    return _WORD.findall(_ELISION.sub(" ", fold(text)))


def stems(text: str) -> list[str]:
    """Every word lightly stemmed, stopwords kept: for matching phrases whose articles matter."""
    return [stem(w) for w in words(text)]


def is_stopword(word: str) -> bool:
    """A folded word search ignores."""
    return word in _stopwords()


def tokenize(text: str) -> list[str]:
    """Search tokens: folded, elisions and stopwords removed, lightly stemmed."""
    stop = _stopwords()
    return [stem(w) for w in words(text) if w not in stop and (len(w) > 1 or w.isdigit())]


@cache
def any_of(cues: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern matching any of the lexicon's regular expressions (read once per list)."""
    return re.compile("|".join(f"(?:{c})" for c in cues))
