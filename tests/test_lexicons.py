"""Every lexicon file follows the schema, regex lexicons compile, and the loader refuses bad files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crca.lexicons import LexiconError, load_lexicon, parse_lexicon
from tests.conftest import REPO

FILES = sorted(REPO.glob("*/lexicons/*.yaml"))
# Lists read as regular expressions by their code (the others are plain words or substrings).
PATTERNS = {
    ("bot", "guards"): {"advisor", "ai", "meta", "solution_phrases"},
    ("evaluation", "candidates"): {"injection_cues"},
    ("evaluation", "detectors"): {"explained"},
    ("knowledge", "fact_table"): {
        "product_auto",
        "product_habitation",
        "product_sante",
        "product_prevoyance",
        "computed",
        "uncertain",
        "threshold",
    },
}


def test_the_lexicons_are_found() -> None:
    assert {(p.parts[-3], p.stem) for p in FILES} >= {
        ("bot", "director"),
        ("bot", "guards"),
        ("bot", "simulator"),
        ("evaluation", "candidates"),
        ("evaluation", "detectors"),
        ("knowledge", "factcheck"),
    }


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_lexicon_file_follows_the_schema(path: Path) -> None:
    package = path.parts[-3]
    lexicon = load_lexicon(package, path.stem)
    assert lexicon and all(entries for entries in lexicon.values())
    for name in PATTERNS.get((package, path.stem), set()):
        for entry in lexicon[name]:
            re.compile(entry)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("empathy: [je comprends, je comprends]", "double"),
        ("empathy: []", "vide"),
        ("empathy: je comprends", "lexique invalide"),
        ("- je comprends", "lexique invalide"),
        ("empathy: ['']", "lexique invalide"),
    ],
)
def test_a_malformed_lexicon_is_refused_in_french(text: str, reason: str) -> None:
    with pytest.raises(LexiconError, match=reason):
        parse_lexicon(text, "x.yaml")
