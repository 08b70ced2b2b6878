"""Lexical pre-selection of the turns a check may be about.

Why: a small model asked about the whole transcript says "yes" too easily. Cues narrow
each question to a few turns; no candidate means the check fails with no model call.
Turns addressed to the evaluator ("note pour l'évaluation…") are never candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from crca.lexicons import load_lexicon
from crca.text import fold_aligned as fold
from crca.text import sentence_around, sentences
from domain.transcript import Speaker, Transcript
from rubrics.models import Check, Scope

INJECTION_CUES = load_lexicon("evaluation", "candidates")["injection_cues"]
"""Text addressed to a grader, not to a client: such turns are data never used as proof."""


@cache
def compile_cue(cue: str) -> re.Pattern[str]:
    """A cue as a case- and accent-insensitive pattern (accents in the cue are folded too)."""
    return re.compile(fold(cue), re.IGNORECASE)


REMOVED = "[passage retiré : texte adressé à l'évaluation, ignoré]."


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
        kept = [s for s in sentences(turn.text, lines=True) if s.strip() and not _addresses_evaluator(s)]
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
    a turn must also match every `check.require` pattern, and a match whose sentence holds a
    `check.unless` pattern does not count."""
    patterns = [compile_cue(c) for c in check.cues]
    required = [compile_cue(c) for c in check.require]
    voiding = [compile_cue(c) for c in check.unless]
    found: list[Candidate] = []
    for i in scope_turns(transcript, check.scope, excluded):
        folded = fold(transcript.turns[i].text)
        if not all(p.search(folded) for p in required):
            continue
        matches = [m for m in (_first_unvoided(p, folded, voiding) for p in patterns) if m]
        if matches:
            first = min(matches, key=lambda m: m.start())
            found.append(Candidate(turn=i, score=len(matches), span=first.span()))
    best = sorted(found, key=lambda c: (-c.score, c.turn))[:limit]
    return sorted(best, key=lambda c: c.turn)


def _first_unvoided(
    pattern: re.Pattern[str], folded: str, voiding: list[re.Pattern[str]]
) -> re.Match[str] | None:
    """The first match of `pattern` whose sentence holds none of the `voiding` patterns."""
    for match in pattern.finditer(folded):
        sentence = sentence_around(folded, *match.span())
        if not any(v.search(sentence) for v in voiding):
            return match
    return None
