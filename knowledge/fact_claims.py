"""What an advisor's statement claims: the topics it names and the sentences worth checking.

Why apart: every fact-check path (fixed rules, the fact table, the older sentence reading) and the
grader's claim extraction read a statement the same way; the topic cues are data
(`lexicons/factcheck.yaml`).
"""

from __future__ import annotations

import re

from crca.lexicons import load_lexicon
from crca.text import fold, sentences
from knowledge.figures import Figure, extract_figures

# Topic → folded word stems that announce it, in the statement or in the article sentence.
TOPICS: dict[str, list[str]] = load_lexicon("knowledge", "factcheck")
# How far from a figure (characters, before / after) the word naming what it measures may stand.
_BIND_BEFORE, _BIND_AFTER = 50, 30
# The advisor restating what the client said ("si je résume : vous contestez les 250 €...").
_REPORTED = re.compile(
    r"^(si je (resume|comprends|reprends|recapitule)|vous (me )?(dites|indiquez|contestez|signalez|expliquez)"
    r"|d'apres vous|selon vous)"
)
# The same restatement closing the sentence (« ..., à ce que vous me dites »).
_REPORTED_TAIL = re.compile(
    r"\b(a|d'apres|selon) ce que vous (me )?(dites|indiquez|avez dit|avez indique|expliquez)\b"
)


def topics(text: str) -> set[str]:
    """The topics (franchise, délai, plafond...) a text names."""
    folded = fold(text)
    return {name for name, cues in TOPICS.items() if any(cue in folded for cue in cues)}


def around(text: str, figure: Figure) -> str:
    """The folded window of `text` where the word naming what `figure` measures may stand."""
    folded = fold(text)
    end = figure.start + len(figure.written)
    return folded[max(0, figure.start - _BIND_BEFORE) : end + _BIND_AFTER]


def bound_topics(text: str, figure: Figure) -> set[str]:
    """The topics named right around `figure` in `text` ("franchise de 150 €", "5 jours pour déclarer")."""
    return topics(around(text, figure))


def is_reported(statement: str) -> bool:
    """The advisor restating the client's words asserts nothing about the contract."""
    folded = fold(statement).strip()
    return bool(_REPORTED.match(folded) or _REPORTED_TAIL.search(folded))


def extract_claims(text: str) -> list[str]:
    """The sentences of an advisor turn that state a figure about a checkable topic."""
    return [s for s in sentences(text, lines=True, semicolons=True) if extract_figures(s) and topics(s)]
