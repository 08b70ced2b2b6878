"""Figures written in French contract prose: amounts, percentages, durations, coefficients.

The fact-checker compares figures, not wording, so each one is reduced to a kind, a value and a
comparable unit: "48 heures" and "2 jours" are both 2 days, "1 an" and "12 mois" both 12 months.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from crca.text import fold

FigureKind = Literal["montant", "pourcentage", "duree", "coefficient"]

# French number words (folded); compounds are read by `_parse_words` ("trois cents", "quatre-vingts").
_UNITS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16,
}  # fmt: skip
_TENS = {"vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
_SCALES = {"cent": 100, "cents": 100, "mille": 1000, "million": 1_000_000, "millions": 1_000_000}
NUMBER_WORDS = (*_UNITS, *_TENS, *_SCALES)
_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True))
# A run of number words joined by spaces, hyphens or "et" ("vingt et un", "six mille cinq cents").
_WORD_NUM = rf"(?:{_WORD})(?:(?:[\s-]+et)?[\s-]+(?:{_WORD})\b)*"
_NUM = r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?"
_MILLION = r"(\s+millions?)?(?:\s+d')?"
# "zone 1 290 €" in a tariff grid is zone 1 at 290 €, not 1 290 €.
_AMOUNT = re.compile(rf"(?<![\w,.-])(?<!zone )({_NUM}|{_WORD_NUM}){_MILLION}\s*(?:€|euros?\b|eur\b)")
_PERCENT = re.compile(rf"(?<![\w,.-])({_NUM}|{_WORD_NUM})\s*(?:%|pour ?cent\b)")
_DURATION = re.compile(
    rf"(?<![\w,.-])({_NUM}|{_WORD_NUM})\s+(jours?|mois|ans|annees?|an|semaines?|heures?|h)\b"
    r"(\s+(?:ouvres|ouvrables|calendaires))?"
)
# A bare ratio such as 0,95 or 1,25; read as a coefficient only in a text about bonus-malus.
_COEFFICIENT = re.compile(
    r"(?<![\d,.])([0-3],\d{1,2})(?![\d,]|\s*(?:€|%|eur|pour ?cent|jours?|mois|ans|millions?))"
)
_COEFFICIENT_CUE = re.compile(r"coefficient|\bcrm\b|bonus|malus|reduction-majoration")
# A duration's base unit and factor: days and months are not convertible into each other.
_DURATION_UNITS = {
    "jour": ("jours", 1.0),
    "semaine": ("jours", 7.0),
    "heure": ("jours", 1 / 24),
    "h": ("jours", 1 / 24),
    "mois": ("mois", 1.0),
    "an": ("mois", 12.0),
    "annee": ("mois", 12.0),
}


class Figure(BaseModel):
    """One figure found in a text."""

    kind: FigureKind
    value: float = Field(description="In the unit below: euros, percent, days, months or a ratio.")
    unit: str = Field(description="€, %, jours, mois or ratio; figures compare only within a unit.")
    working_days: bool = Field(default=False, description="Days counted as jours ouvrés/ouvrables.")
    written: str = Field(description="The figure as written (folded).")
    start: int = Field(default=0, description="Where it starts in the folded text it was read from.")

    def same_as(self, other: Figure) -> bool:
        return self.unit == other.unit and abs(self.value - other.value) < 1e-6

    def comparable(self, other: Figure) -> bool:
        return self.kind == other.kind and self.unit == other.unit


def span_around(text: str, figure: Figure, ends: re.Pattern[str]) -> str:
    """The folded stretch of `text` holding `figure` between the nearest matches of `ends` (the
    clause marks): what the figure measures is named there."""
    folded = fold(text)
    end = figure.start + len(figure.written)
    before = [m.end() for m in ends.finditer(folded, 0, figure.start)]
    after = ends.search(folded, end)
    return folded[before[-1] if before else 0 : after.start() if after else len(folded)]


def _parse_words(written: str) -> float:
    """ "trois cents" → 300, "quatre-vingt-dix" → 90, "six mille cinq cents" → 6500."""
    total, current = 0, 0
    for word in re.split(r"[\s-]+", written):
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current = 80 if word.startswith("vingt") and current == 4 else current + _TENS[word]
        elif word in ("cent", "cents"):
            current = max(current, 1) * 100
        elif word in _SCALES:
            total, current = total + max(current, 1) * _SCALES[word], 0
    return float(total + current)


def parse_number(written: str) -> float:
    """French number: spaces or dots group thousands, a comma marks decimals; or number words."""
    if re.fullmatch(rf"{_WORD_NUM}", written):
        return _parse_words(written)
    if re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?", written):
        written = written.replace(" ", "").replace(".", "")
    return float(written.replace(",", "."))


def _millions(match: re.Match[str]) -> float:
    """1e6 when the amount is written "1,5 million d'euros", else 1."""
    return 1e6 if match.re.groups > 1 and match.group(2) else 1.0


def _unit_key(word: str) -> str:
    word = word.rstrip("s") if word not in ("mois",) else word
    return "an" if word == "ans" else word


def extract_figures(text: str, *, about_coefficients: bool | None = None) -> list[Figure]:
    """Every amount, percentage, duration and bonus-malus coefficient in the text, in order.

    `about_coefficients` says whether bare ratios are coefficients (a sentence of a bonus-malus
    article may not repeat the word); by default the text itself must mention one.
    """
    folded = fold(text)
    if about_coefficients is None:
        about_coefficients = bool(_COEFFICIENT_CUE.search(folded))
    found: list[tuple[int, Figure]] = []
    for pattern, kind, unit in ((_AMOUNT, "montant", "€"), (_PERCENT, "pourcentage", "%")):
        for match in pattern.finditer(folded):
            figure = Figure(
                kind=kind, value=parse_number(match.group(1)) * _millions(match), unit=unit,
                written=match.group(0),
                start=match.start(),
            )  # fmt: skip
            found.append((match.start(), figure))
    for match in _DURATION.finditer(folded):
        unit, factor = _DURATION_UNITS[_unit_key(match.group(2))]
        figure = Figure(
            kind="duree",
            value=parse_number(match.group(1)) * factor,
            unit=unit,
            working_days="ouvr" in (match.group(3) or ""),
            written=match.group(0).strip(),
            start=match.start(),
        )
        found.append((match.start(), figure))
    for match in _COEFFICIENT.finditer(folded) if about_coefficients else ():
        value = parse_number(match.group(1))
        figure = Figure(
            kind="coefficient", value=value, unit="ratio", written=match.group(1), start=match.start(1)
        )
        found.append((match.start(1), figure))
    return [figure for _, figure in sorted(found, key=lambda item: item[0])]
