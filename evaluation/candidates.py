"""Lexical pre-selection of the turns a check may be about.

Why: a small model asked about the whole transcript says "yes" too easily. Cues narrow
each question to a few turns; no candidate means the check fails with no model call.
Turns addressed to the evaluator ("note pour l'évaluation…") are never candidates.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from domain.transcript import Speaker, Transcript
from rubrics.models import Check, Scope

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})

INJECTION_CUES = [
    r"note (pour|a|à) l'?\s?[eé]valua",
    r"\b[eé]valuat(eur|rice)s?\b",
    r"\b(correcteur|correctrice|jury|grader)\b",
    r"(tout|tous les crit[eè]res|toutes les comp[eé]tences) (est|sont) (acquis|valid)",
    r"\bignore[rz]?\b.{0,30}\b(instructions?|consignes?|r[eè]gles)\b",
    r"(instructions?|consignes?) (pr[eé]c[eé]dentes|du syst[eè]me|syst[eè]me)",
    r"\b(prompt|system prompt|en tant qu'ia|intelligence artificielle)\b",
    r"(attribue|donne|mets)[rz]? (la note|acquis|la mention)",
    r"(note|verdict) (maximale?|acquis)",
]
"""Text addressed to a grader, not to a client: such turns are data never used as proof."""


class _FoldTable(dict[int, str]):
    """Code point → its folded character, computed on first sight (str.translate then runs in C)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code).translate(_APOSTROPHES)
        base = unicodedata.normalize("NFD", ch)[0].lower()
        self[code] = folded = base if len(base) == 1 else ch
        return folded


_FOLD_TABLE = _FoldTable()


@lru_cache(maxsize=2048)
def fold(text: str) -> str:
    """Lower-case, accent-free copy of `text` with the SAME length (spans map back 1:1).

    Why cached and table-driven: every check folds every turn in its scope; a per-character
    Python loop made a 6 MB transcript take ten minutes (86 checks x 6 M characters).
    """
    return text.translate(_FOLD_TABLE)


@cache
def compile_cue(cue: str) -> re.Pattern[str]:
    """A cue as a case- and accent-insensitive pattern (accents in the cue are folded too)."""
    return re.compile(fold(cue), re.IGNORECASE)


REMOVED = "[passage retiré : texte adressé à l'évaluation, ignoré]."
_SENTENCE = re.compile(r"[^.!?…\n]*(?:[.!?…]+|\n|$)")


def _addresses_evaluator(text: str) -> bool:
    folded = fold(text)
    return any(compile_cue(c).search(folded) for c in INJECTION_CUES)


def neutralise_injections(transcript: Transcript) -> tuple[Transcript, frozenset[int]]:
    """A copy where sentences addressed to the evaluator are replaced by a marker.

    Only the offending sentences go, so turn indices and the rest of the turn stay as they
    were (an injected twin is graded like its clean original); the second value holds the
    turns that were nothing but such text, which are left out of every scope.
    """
    turns, emptied = [], set()
    for i, turn in enumerate(transcript.turns):
        if not _addresses_evaluator(turn.text):
            turns.append(turn)
            continue
        kept = [s for s in _SENTENCE.findall(turn.text) if s.strip() and not _addresses_evaluator(s)]
        if not kept:
            emptied.add(i)
        text = " ".join(part.strip() for part in [*kept, REMOVED])
        turns.append(turn.model_copy(update={"text": text}))
    return transcript.model_copy(update={"turns": turns}), frozenset(emptied)


def scope_turns(transcript: Transcript, scope: Scope, excluded: frozenset[int] = frozenset()) -> list[int]:
    """Indices of the turns a check searches, in order, without excluded turns."""
    advisor = [
        i for i, t in enumerate(transcript.turns) if t.speaker == Speaker.ADVISOR and i not in excluded
    ]
    if scope == "advisor":
        return advisor
    if scope == "advisor_opening":
        return advisor[:2]
    if scope == "advisor_closing":
        return advisor[-max(2, len(advisor) // 3) :]
    speaker = {"client": Speaker.CLIENT, "all": None}[scope]
    return [
        i
        for i, t in enumerate(transcript.turns)
        if i not in excluded and (speaker is None or t.speaker == speaker)
    ]


@dataclass(frozen=True)
class Candidate:
    """A turn matching some cues of a check, with the first matched span."""

    turn: int
    score: int
    span: tuple[int, int]


def find_candidates(
    transcript: Transcript, check: Check, excluded: frozenset[int], limit: int
) -> list[Candidate]:
    """Up to `limit` turns in scope matching the most cues (ties: earliest), in turn order;
    a turn must also match every `check.require` pattern."""
    patterns = [compile_cue(c) for c in check.cues]
    required = [compile_cue(c) for c in check.require]
    found: list[Candidate] = []
    for i in scope_turns(transcript, check.scope, excluded):
        folded = fold(transcript.turns[i].text)
        if not all(p.search(folded) for p in required):
            continue
        matches = [m for m in (p.search(folded) for p in patterns) if m]
        if matches:
            first = min(matches, key=lambda m: m.start())
            found.append(Candidate(turn=i, score=len(matches), span=first.span()))
    best = sorted(found, key=lambda c: (-c.score, c.turn))[:limit]
    return sorted(best, key=lambda c: c.turn)


_SENTENCE_END = re.compile(r"[.!?…]+(\s|$)")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` holding [start, end): a verbatim, readable quote for a cue match."""
    begin = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= start:
            begin = m.end()
        elif m.start() >= end:
            return text[begin : m.end()].strip()
    return text[begin:].strip()
