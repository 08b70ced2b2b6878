"""Accent- and case-insensitive text, the one normalisation shared by search, cues and parsers."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lowercase, typographic apostrophes made plain, accents removed (œ → oe, æ → ae)."""
    text = text.lower().replace("’", "'").replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
