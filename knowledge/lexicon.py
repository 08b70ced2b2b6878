"""Whether a folded word is a French word, from the dictionary `pyspellchecker` ships.

A word the corpus does not know is often plain French (« autoroute », « courroie », « regarder »)
rather than a slip: guessing the nearest corpus word for it (« autorité », « courrier »,
« réparer ») sends search elsewhere. The package's French list (140 000 words, from subtitles)
is folded once and kept in the user's cache, like the encoder, since folding it takes a new
`crca search` process a third of a second and reading the cached set a few hundredths.
"""

from __future__ import annotations

import gzip
import json
import os
import pickle
from functools import cache
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

from crca.text import fold

PACKAGE = "pyspellchecker"
# Words shorter than this are never corrected (knowledge.understanding.MIN_CORRECTED).
SHORTEST = 5


def lexicon_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "crca" / f"french-words-{version(PACKAGE)}.pickle"


@cache
def french_words() -> frozenset[str]:
    """The dictionary's words of five letters or more, folded (accents and case removed)."""
    path = lexicon_cache()
    try:
        with path.open("rb") as f:
            cached = pickle.load(f)
        if isinstance(cached, frozenset):
            return cached
    except Exception:  # noqa: BLE001 - absent or unreadable: fold the package's list again
        pass
    raw = files("spellchecker").joinpath("resources/fr.json.gz").read_bytes()
    folded = frozenset(fold(w) for w in json.loads(gzip.decompress(raw)) if len(w) >= SHORTEST)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps(folded, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)
    except OSError:
        pass  # a read-only cache only costs the next process the folding
    return folded


def is_french_word(word: str) -> bool:
    """True for a folded word of the French dictionary."""
    return word in french_words()
