"""One loader for the word lists kept as data in `lexicons/*.yaml` beside the code that uses them.

A lexicon file maps a list name to its entries (plain words or regular expressions, as the using
code documents); the schema is checked on load, so a malformed file fails at import, in French.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Annotated

import yaml
from pydantic import AfterValidator, StringConstraints, TypeAdapter, ValidationError


def _no_duplicates(entries: list[str]) -> list[str]:
    doubles = sorted({e for e in entries if entries.count(e) > 1})
    if doubles:
        raise ValueError(f"entrées en double : {doubles}")
    return entries


Entry = Annotated[str, StringConstraints(min_length=1)]
Lexicon = dict[str, Annotated[list[Entry], AfterValidator(_no_duplicates)]]
_SCHEMA: TypeAdapter[Lexicon] = TypeAdapter(Lexicon)


class LexiconError(ValueError):
    """A lexicon file that does not follow the schema; the message names the file and the list."""


def parse_lexicon(text: str, where: str) -> Lexicon:
    """The lists of a lexicon file's text, validated (each a non-empty list of distinct strings)."""
    try:
        lexicon = _SCHEMA.validate_python(yaml.safe_load(text))
    except (yaml.YAMLError, ValidationError) as exc:
        raise LexiconError(f"{where} : lexique invalide\n{exc}") from exc
    empty = [name for name, entries in lexicon.items() if not entries]
    if empty:
        raise LexiconError(f"{where} : liste(s) vide(s) : {empty}")
    return lexicon


@cache
def load_lexicon(package: str, name: str) -> Lexicon:
    """`<package>/lexicons/<name>.yaml`, validated, read once per process."""
    path = resources.files(package).joinpath("lexicons", f"{name}.yaml")
    return parse_lexicon(path.read_text(encoding="utf-8"), f"{package}/lexicons/{name}.yaml")
