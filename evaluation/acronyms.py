"""Insurance acronyms and code references left unexplained: jargon the listed terms cannot cover.

Why: a trainee who says « vous êtes en IRSI tranche 1 » or « suspension L113-3 à J+30 » speaks the
back office's language; no term list can name every acronym, but their written shape (capitals,
article codes, day offsets) is unmistakable. Acronyms any client knows (RIB, SMS, TTC...) and words
merely written in capitals (MERCI) are left out; the lists are data (`lexicons/detectors.yaml`).
"""

from __future__ import annotations

import re
from functools import cache

from crca.lexicons import load_lexicon
from crca.text import fold

_SHAPE = re.compile(
    r"(?<![\w-])(?:[A-Z]{2,5}\d{0,3}(?:-[A-Z]{2,5})?|[A-Z]\d{2,3}"
    r"|[LRA]\.? ?\d{3}-\d{1,2}|J ?\+ ?\d{1,3})(?![\w-])"
)
"""Acronyms (IRSI, CIDE-COP), a letter with a number of days or a level (F30), code articles, day offsets."""
_ROMAN = re.compile(r"^[IVXLC]+$")


LABEL_WORD = 6
"""Letters of a capitalised neighbour that make a run a label (« HORIZON MUTUELLE REMB »,
« DERNIÈRE RELANCE »); short neighbours are acronyms side by side (« RC VP »)."""


def _in_capitals(text: str, m: re.Match[str]) -> bool:
    """A word of a run written in capitals is a label, not an acronym."""
    before, after = text[: m.start()].split(), text[m.end() :].split()
    words = [w.strip("«»\"'.,;:!?()") for w in before[-1:] + after[:1]]
    return any(w.isupper() and len(w) >= LABEL_WORD and w.isalpha() for w in words)


@cache
def _known() -> frozenset[str]:
    lists = load_lexicon("evaluation", "detectors")
    return frozenset(fold(w) for line in lists["known_acronyms"] for w in line.split())


def acronyms(text: str) -> list[re.Match[str]]:
    """Matches of unexplained-looking acronyms and code references in `text` (as written)."""
    found = []
    for m in _SHAPE.finditer(text):
        word = m.group()
        if _ROMAN.match(word) or fold(word) in _known() or _in_capitals(text, m):
            continue
        found.append(m)
    return found
