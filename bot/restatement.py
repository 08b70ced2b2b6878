"""Is an advisor's restatement true to what the client knows? Its checkable claims, compared one by one.

A summary is wrong when one of its claims says something else than the client's facts: a duration
(« depuis trois semaines » when it is forty days), a moment (« il y a un mois » when it was
« hier »), an amount, a count, a person (« pour vous et votre mari » when it is « juste pour moi »),
or a word of a contrast group (« locataire » for « propriétaire »). The fact that says otherwise is
what the client answers with. A claim about something the client's facts never mention is no error.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from bot.director import STOPWORDS, content_words, has_cue, normalize
from bot.guards import numbers

SMALL_NUMBERS = (
    "zero un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize"
)
SPELLED_NUMBERS = {w: i for i, w in enumerate(SMALL_NUMBERS.split()) if w != "un"}  # « un »: an article
SPELLED_NUMBERS |= {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100,
                    "mille": 1000}  # fmt: skip
NUMBER_WORDS = SPELLED_NUMBERS | {"un": 1, "une": 1, "dizaine": 10, "quinzaine": 15, "vingtaine": 20,
                                  "trentaine": 30, "centaine": 100, "quelques": 3}  # fmt: skip
DAYS = {"jour": 1, "nuit": 1, "semaine": 7, "mois": 30, "moi": 30, "an": 365, "annee": 365}
COUNTED = ["heure", "minute", "fois", "contrat", "enfant", "tuile", "piece", "euro", "personne", "ecran",
           "etage", "m2", "km", "kilometre"]  # fmt: skip
AGO = {"hier": 1, "avant-hier": 2, "aujourd'hui": 0, "ce matin": 0, "cette nuit": 0, "la nuit derniere": 0,
       "la semaine derniere": 7, "le mois dernier": 30, "l'an dernier": 365,
       "l'annee derniere": 365}  # fmt: skip
TIME_WORDS = set(
    """hier avant-hier aujourd'hui demain matin soir nuit semaine mois an lundi mardi mercredi
jeudi vendredi samedi dimanche""".split()
)
KIN_WORDS = set("femme mari fils fille voisin frere soeur mere pere compagne compagnon enfant".split())
MARKER_NUMBERS = {w: str(n) for w, n in SPELLED_NUMBERS.items()}
UNITS = ["jour", "semaine", "moi", "mois", "an", "annee", "heure", "minute", "fois", "contrat", "enfant",
         "tuile", "piece", "euro", "personne", "ecran", "etage"]  # fmt: skip
DURATIONS = {"jour", "semaine", "mois", "an", "heure", "minute"}
UNIT_ALIASES = {"€": "euro", "h": "heure", "annee": "an", "moi": "mois"}
GIST_WORDS = 20  # a correction longer than this says only its relevant clause
COMMON_WORDS = set(
    """le la les un une il elle on ce ca ils elles je nous vous votre vos notre nos mon ma mes sur
sous dans pour par avec sans plusieurs tout tous toute quand donc alors et mais ou si c l d qu""".split()
)  # capitalised after a comma, still no name
TIMES = {"since", "ago", "duration"}  # claims whose value is a number of days
TOLERANCE = 1.3  # « environ trois semaines » and « vingt jours » are the same duration
KIN = "femme|mari|conjointe?|fils|fille|enfants?|compagne|compagnon|epouse|epoux|mere|pere|soeur|frere"
_N = rf"(\d+(?:,\d+)?|{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})"


class Claim(BaseModel):
    """One checkable thing a sentence says."""

    kind: str = Field(description="since | ago | duration | count of <unit> | people")
    value: float | str = Field(description="Days for times, the amount for counts, who for people.")
    number: str = Field(default="", description="The number as said, in digits (« quarante » → « 40 »).")


class Verdict(BaseModel):
    """What the client does with a restatement."""

    wrong: bool = Field(description="A claim says something else than the client's facts.")
    fact: str = Field(default="", description="The client's sentence that says otherwise, when one does.")
    compared: list[str] = Field(default_factory=list, description="Numbers of claims found consistent.")
    word: str = Field(default="", description="The word of the fact that says otherwise (for its clause).")


@cache
def _contrast_groups() -> list[list[list[str]]]:
    """Groups of words that exclude each other; an item may be a list of synonyms."""
    raw = yaml.safe_load((Path(__file__).parent / "client_lines.yaml").read_text(encoding="utf-8"))
    return [[item if isinstance(item, list) else [item] for item in group] for group in raw["contrasts"]]


def _number(word: str) -> float:
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    return float(word.replace(",", "."))


def claims(text: str) -> list[Claim]:
    """Durations, moments, counts and people a sentence states (folded text)."""
    norm = normalize(text).replace("-", " ").replace("avant hier", "avant-hier")
    found: list[Claim] = []
    units = "|".join([*DAYS, *COUNTED, "euros?", "€"])
    hedge = r"(?:(?:environ|presque|plus de|pres de|seulement|deja|a peine) )?"
    for m in re.finditer(rf"(?<![a-z0-9,])(depuis |il y a |pendant |de )?{hedge}(?:une |un )?{_N} (?:de )?"
                         rf"({units})s?(?![a-z])", norm):  # fmt: skip
        lead, amount, unit = m.group(1) or "", _number(m.group(2)), m.group(3).rstrip("s")
        unit = "euro" if unit in ("€", "euro") else unit
        if unit in ("an", "annee") and not lead.strip():  # « il a 19 ans », « 30 ans de permis »: an age
            found.append(Claim(kind="count of an", value=amount, number=f"{amount:g}"))
        elif unit in DAYS:
            kind = {"depuis ": "since", "il y a ": "ago"}.get(lead, "duration")
            found.append(Claim(kind=kind, value=amount * DAYS[unit], number=f"{amount:g}"))
        else:
            found.append(Claim(kind=f"count of {unit}", value=amount, number=f"{amount:g}"))
    for phrase, days in AGO.items():
        if re.search(rf"(?<![a-z-]){re.escape(phrase)}(?![a-z-])", norm):
            found.append(Claim(kind="ago", value=float(days)))
    found += _people(norm)
    return found


def _people(norm: str) -> list[Claim]:
    """For whom: « pour vous et votre mari », « vos lunettes à vous », « juste pour moi », « de ma fille »."""
    if re.search(rf"\b(pour|a) vous et (votre|vos) ({KIN})\b", norm):
        return [Claim(kind="people", value="self and kin")]
    if re.search(r"\b(juste|uniquement|seulement) pour moi\b|\bpour moi seule?\b|\bc'est pour moi\b", norm):
        return [Claim(kind="people", value="self")]
    if re.search(r"\b(a vous|vos propres|pour vous seule?|pour vous-meme)\b(?! et)", norm):
        return [Claim(kind="people", value="self")]
    if re.search(rf"\b(pour|de|a) (ma|mon|mes|votre|vos) ({KIN})\b", norm):
        return [Claim(kind="people", value="kin")]
    return []


def _same(a: Claim, b: Claim) -> bool:
    if isinstance(a.value, str) or isinstance(b.value, str):
        return a.value == b.value
    low, high = sorted((a.value, b.value))
    if a.kind not in TIMES:  # an amount or a count is exact; a duration is said roughly
        return high == low
    return high == low or low > 0 and high / low <= TOLERANCE


def _contradicting_claim(advisor: str, sources: list[str], everything: str) -> tuple[str | None, list[str]]:
    """The source whose claim of the same kind and topic says another value, when none agrees.

    Only sentences on the summary's topic (a content word in common) count, so « juste pour moi »
    said of the mutuelle does not confirm « vos lunettes à vous ».
    """
    topic = content_words(advisor)
    heard = [x for x in re.split(r"(?<=[.!?])\s+", everything) if content_words(x) & topic]
    compared = []
    said = [c for x in re.split(r"(?<=[.!?])\s+", everything) for c in claims(x)]
    for claim in claims(advisor):
        if claim.kind != "people" and any(c.kind == claim.kind and _same(claim, c) for c in said):
            compared.append(claim.number)  # « il y a deux semaines » for « il y a quinze jours »: agreed
            continue
        same_kind = [(s, c) for s in sources for c in claims(s) if c.kind == claim.kind]
        topical = [(s, c) for s, c in same_kind if content_words(s) & topic]
        topical = topical or (same_kind if len(same_kind) == 1 else [])
        if not topical:
            continue
        compared.append(claim.number)
        if any(_same(claim, c) for _, c in topical):
            continue
        if any(_same(claim, c) for x in heard for c in claims(x) if c.kind == claim.kind):
            continue  # said in the exchange or the file on this topic: no error
        return max(topical, key=lambda sc: len(content_words(sc[0]) & topic))[0], compared
    return None, compared


def contrasts(advisor: str, knowledge: str) -> list[tuple[str, str]]:
    """(word the advisor said, word the client's facts say instead) for each contrast group."""
    found = []
    for group in _contrast_groups():
        in_advisor = [any(has_cue(advisor, w) for w in item) for item in group]
        in_knowledge = [any(has_cue(knowledge, w) for w in item) for item in group]
        said = [s for s, a, k in zip(group, in_advisor, in_knowledge, strict=True) if a and not k]
        other = [s for s, a, k in zip(group, in_advisor, in_knowledge, strict=True) if k and not a]
        if said and other:
            word = next(w for w in other[0] if has_cue(knowledge, w))
            found.append((said[0][0], word))
    return found


def check(
    advisor: str, sources: list[str], everything: str, public: str = "", locked: list[str] | None = None
) -> Verdict:
    """The verdict on a restatement.

    `sources`: the client's sentences; `everything`: all he knows and heard; `public`: the client file,
    whose numbers are no error but whose wording contradicts nothing; `locked`: facts not given yet,
    said when a summary gets them wrong (the advisor asked about them).
    """
    fact, compared = _contradicting_claim(advisor, sources, everything + " " + public)
    if fact is not None:
        return Verdict(wrong=True, fact=fact)
    opposed = contrasts(advisor, everything)
    if opposed:
        telling = [s for s in [*sources, *(locked or [])] if has_cue(s, opposed[0][1])]
        return Verdict(wrong=True, fact=telling[0] if telling else "", word=opposed[0][1])
    return Verdict(wrong=False, compared=compared)


def checkable(advisor: str) -> bool:
    """The restatement states a duration, a moment, a count, a person or a word of a contrast group."""
    words = [w for group in _contrast_groups() for item in group for w in item]
    return bool(claims(advisor)) or any(has_cue(advisor, w) for w in words)


def markers(text: str) -> set[str]:
    """What a summary can get wrong: numbers (in digits or words), times, relatives and proper nouns."""
    found = set(numbers(text))
    units = "|".join([*UNITS, *UNIT_ALIASES])
    for m in re.finditer(
        rf"(?<![a-z0-9])(\d+|{'|'.join(MARKER_NUMBERS)}) (?:[a-z]+ )?({units})s?(?![a-z])", normalize(text)
    ):
        amount = MARKER_NUMBERS.get(m.group(1), m.group(1))
        if amount.isdigit():  # « trois semaines » and « 7 semaines » compare as amounts of a unit
            found |= {amount, f"{amount} {UNIT_ALIASES.get(m.group(2), m.group(2))}"}
    words = [w.rstrip("sx") if w.rstrip("sx") in KIN_WORDS else w for w in normalize(text).split()]
    found |= {w for w in words if w in TIME_WORDS or w in KIN_WORDS}
    proper = r"(?<![.!?]\s)(?<!^)\b([A-ZÉÈ][a-zéèêëïîôûç]+(?:[- ][A-Z0-9][\w-]*)?)"
    for m in re.finditer(proper, text.strip()):
        word = normalize(m.group(1)).strip()
        if (
            word not in ("madame", "monsieur", "horizon", "assurances")
            and word not in STOPWORDS | COMMON_WORDS
        ):
            found.add(normalize(m.group(1)).strip())
    return found


def kind_of(marker: str) -> str:
    if " " in marker and marker.split()[0].isdigit():
        unit = marker.split()[1]  # the fact that gives another amount of the same unit (or another duration)
        return "duration" if unit in DURATIONS else "amount of " + unit
    if marker in TIME_WORDS or " " in marker:
        return "time"
    if marker in KIN_WORDS:
        return "kin"
    return "number" if marker[:1].isdigit() else "name"


def gist(sentence: str, advisor: str, word: str = "") -> str:
    """Of a long sentence (a whole opening e-mail), the clause on what the summary got wrong."""
    sentence = sentence.strip()
    if len(sentence.split()) <= GIST_WORDS:
        return sentence
    clauses = [c for c in re.split(r"\s*[;:]\s+|,\s+", sentence) if len(c.split()) >= 4]
    words = content_words(advisor)
    best = max(
        clauses, key=lambda c: (bool(word) and has_cue(c, word), len(content_words(c) & words)), default=""
    )
    return best.rstrip(".") + "." if best and content_words(best) & words else sentence
