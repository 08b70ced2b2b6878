"""Evidence is verbatim: a model quote is kept only if found in the turn it names."""

from __future__ import annotations

import re

from domain.grades import Evidence
from domain.transcript import Transcript

_SPACE = re.compile(r"\s+")
_WRAPPERS = " \t\n\"'«»“”‘’.…"
_EQUIVALENT = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """`text` with typographic variants unified and whitespace runs collapsed, plus, for each
    kept character, its index in `text` (to cut the original substring back out)."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text.translate(_EQUIVALENT)):
        if ch.isspace():
            if chars and chars[-1] == " ":
                continue
            ch = " "
        chars.append(ch)
        index.append(i)
    return "".join(chars), index


def clean_quote(quote: str) -> str:
    """The quote without surrounding quotation marks, ellipses and blank runs."""
    return _SPACE.sub(" ", quote.translate(_EQUIVALENT)).strip(_WRAPPERS)


def find_in_turn(transcript: Transcript, turn: int, quote: str) -> Evidence | None:
    """Evidence for `quote` in turn `turn` (the original text, cut out verbatim), or None."""
    if not 0 <= turn < len(transcript.turns):
        return None
    needle = clean_quote(quote)
    if len(needle) < 3:
        return None
    text = transcript.turns[turn].text
    haystack, index = _normalised_with_map(text)
    at = haystack.find(needle)
    if at == -1:
        return None
    start, end = index[at], index[at + len(needle) - 1] + 1
    return Evidence(turn=turn, quote=text[start:end])


def is_verbatim(transcript: Transcript, evidence: Evidence) -> bool:
    """True when the evidence quote is a non-empty, exact substring of the turn it cites.

    The one verbatim check: the grader's tests and the agreement figures both use it.
    """
    turns, quote = transcript.turns, evidence.quote
    return bool(quote) and 0 <= evidence.turn < len(turns) and quote in turns[evidence.turn].text
