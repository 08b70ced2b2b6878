"""The one text module: accent folding, sentence splitting and whole-word cue matching.

Search, cues, parsers, the client's guards and the grader all read French text the same way;
every variant here is built on `fold` so that none of them drifts from the others.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache


def fold(text: str) -> str:
    """Lowercase, typographic apostrophes made plain, accents removed (œ → oe, æ → ae).

    NFKD also turns no-break spaces into plain spaces.
    """
    text = text.lower().replace("’", "'").replace("‘", "'").replace("ʼ", "'")
    text = text.replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _fold_char(ch: str) -> str:
    folded = fold(ch)
    return folded if len(folded) == 1 else ch


def fold_aligned(text: str) -> str:
    """`fold` with the SAME length as `text`, so that spans found in it map back 1:1.

    A character whose folding is not one character (œ, ligatures) is kept as it is.
    """
    return "".join(_fold_char(ch) for ch in text)


# --- whole-word cues ----------------------------------------------------------------------------


def words(text: str) -> str:
    """Folded text reduced to words (letters, digits, ' € % -), space-padded for whole-word search."""
    return " " + re.sub(r"[^a-z0-9'€%-]+", " ", fold(text)).strip() + " "


@cache
def _cue_pattern(cue: str) -> re.Pattern[str] | None:
    cue_words = words(cue).strip()
    if not cue_words:
        return None
    return re.compile(r"(?<![a-z0-9])" + re.escape(cue_words) + r"(s|x)?(?![a-z0-9])")


def has_cue(text: str, cue: str) -> bool:
    """Cue found as whole words (plural -s/-x tolerated), ignoring case, accents and punctuation."""
    pattern = _cue_pattern(cue)
    return pattern is not None and pattern.search(words(text)) is not None


def any_cue(text: str, cues: Iterable[str]) -> bool:
    """True when at least one cue is found as whole words."""
    folded = words(text)
    return any((p := _cue_pattern(c)) is not None and p.search(folded) is not None for c in cues)


# --- sentences ----------------------------------------------------------------------------------

ABBREVIATIONS = ("m.", "mme.", "mlle.", "dr.", "n°.", "st.", "cf.", "etc.")
"""Words whose final period ends no sentence ("M. Durand", "cf. article 4")."""

_END = {
    ".!?…": re.compile(r"[.!?…]+[»\")]*(?=\s|$)"),
    ".!?…;": re.compile(r"[.!?…;]+[»\")]*(?=\s|$)"),
}


def _ends(text: str, marks: str) -> Iterator[int]:
    for m in _END[marks].finditer(text):
        last_word = text[: m.end()].split()[-1].lower()
        if last_word in ABBREVIATIONS or re.fullmatch(r"[a-z]\.", last_word):
            continue
        yield m.end()


def sentence_spans(text: str, *, lines: bool = False, semicolons: bool = False) -> list[tuple[int, int]]:
    """[start, end) of each sentence of `text`, surrounding spaces excluded.

    A sentence ends after . ! ? … (and closing quotes) followed by a space, except after an
    abbreviation or an initial. `lines`: a line break also ends one (a chat log, an article);
    off by default, since an e-mail's "Bonjour Monsieur,\\n" is no sentence. `semicolons`: so does ';'.
    """
    cuts = set(_ends(text, ".!?…;" if semicolons else ".!?…"))
    if lines:
        cuts |= {m.start() for m in re.finditer(r"\n", text)}
    spans, begin = [], 0
    for cut in [*sorted(cuts), len(text)]:
        piece = text[begin:cut]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((begin + lead, begin + len(piece.rstrip())))
        begin = cut
    return spans


def sentences(text: str, *, lines: bool = False, semicolons: bool = False) -> list[str]:
    """The sentences of `text`, stripped (see `sentence_spans`)."""
    return [text[a:b] for a, b in sentence_spans(text, lines=lines, semicolons=semicolons)]


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence(s) of `text` holding [start, end): a verbatim, readable quote for a match."""
    spans = sentence_spans(text)
    first = next((a for a, b in spans if b > start), 0)
    last = next((b for a, b in reversed(spans) if a < end), len(text))
    return text[first:last].strip()


def stream_sentences(pieces: Iterable[str]) -> Iterator[str]:
    """Complete sentences from streamed pieces, as soon as each one ends (line breaks made spaces).

    A sentence is only cut once the next piece shows a space after its end mark.
    """
    buffer = ""
    for piece in pieces:
        buffer += piece
        while (cut := next((c for c in _ends(buffer, ".!?…") if c < len(buffer)), None)) is not None:
            sentence, buffer = buffer[:cut].strip(), buffer[cut:]
            if sentence:
                yield re.sub(r"\s*\n\s*", " ", sentence)
    if buffer.strip():
        yield re.sub(r"\s*\n\s*", " ", buffer.strip())
