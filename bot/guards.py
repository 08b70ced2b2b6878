"""Detectors that keep a small model in character: each returns the problems of one reply or sentence.

They are lexical on purpose (no extra model call, no langdetect): cheap enough to run on every
sentence before it is shown, and simple enough to test on hand-made good and bad replies.
"""

from __future__ import annotations

import math
import re

from pydantic import BaseModel, Field

from bot.coherence import contradicts_verdict, echoes_run, offers_help, premature_satisfaction, strange_names
from bot.director import content_words
from crca.lexicons import load_lexicon
from crca.text import stream_sentences as split_sentences
from crca.text import words as normalize

_LEXICON = load_lexicon("bot", "guards")
ADVISOR = _LEXICON["advisor"]
AI = _LEXICON["ai"]
META = _LEXICON["meta"]
SOLUTION_PHRASES = _LEXICON["solution_phrases"]
ENGLISH = set(_LEXICON["english"])
FRENCH = set(_LEXICON["french"])
FOREIGN_SCRIPT = re.compile(r"[\u0400-\u04ff\u0600-\u06ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
NUMBER = re.compile(r"\d[\d\s.\u202f\u00a0]*(?:,\d+)?")


class Problem(BaseModel):
    """One reason a reply cannot be shown."""

    code: str = Field(
        description="advisor|ai|solution|language|leak|contradiction|meta|long|empty|echo|name|premature|unasked"
    )
    detail: str = Field(default="", description="French explanation, also used in the corrective prompt.")


class GuardContext(BaseModel):
    """What the guards compare a reply with, built once per turn."""

    persona_name: str
    locked_facts: list[str] = Field(default_factory=list, description="Contents not unlocked yet.")
    solution: str = Field(default="", description="The expected handling, never to be volunteered.")
    public_text: str = Field(default="", description="What may be said: persona, facts given, turns.")
    written: bool = Field(default=False, description="Chat or e-mail register (longer replies allowed).")
    advisor_last: str = Field(default="", description="The advisor's last words (parroting is a break).")
    known_words: set[str] = Field(default_factory=set, description="Folded words usable as names.")
    banned_names: set[str] = Field(default_factory=set, description="The advisor's own first names, folded.")
    nothing_done: bool = Field(default=False, description="No explanation or proposal yet: no thanks due.")
    unasked: list[str] = Field(default_factory=list, description="Identity values this turn did not ask for.")
    name_asked: bool = Field(default=False, description="The name was asked: saying it is fine.")
    verdict: str = Field(default="", description="confirm | correct: what the client says to a restatement.")

    @property
    def max_sentences(self) -> int:
        return 8 if self.written else 4


def _any(patterns: list[str], text: str) -> bool:
    norm = normalize(text)
    return any(re.search(p, norm) for p in patterns)


def is_french(text: str) -> bool:
    """Honest heuristic: foreign scripts fail; English function words must not outnumber French ones."""
    if FOREIGN_SCRIPT.search(text):
        return False
    words = normalize(text).split()
    en = sum(w in ENGLISH for w in words)
    fr = sum(w in FRENCH or w.startswith(("j'", "c'", "d'", "l'", "qu'", "n'", "m'")) for w in words)
    accented = bool(re.search(r"[éèêàùçôîâû]", text.lower()))
    if en >= 2 and en > fr:
        return False
    return not (len(words) >= 6 and fr == 0 and not accented)


def numbers(text: str) -> set[str]:
    """Numbers written in digits, separators removed ('1 200,50' -> '1200,50')."""
    return {re.sub(r"[\s.\u202f\u00a0]", "", m.group()).rstrip(",") for m in NUMBER.finditer(text)}


def reveals(reply: str, fact: str, public_text: str) -> bool:
    """The reply carries the fact's own words or numbers, not those already public."""
    public = content_words(public_text)
    distinct = content_words(fact) - public
    hits = distinct & content_words(reply)
    if (numbers(fact) - numbers(public_text)) & numbers(reply):
        return True
    return len(distinct) >= 2 and len(hits) >= max(2, math.ceil(0.4 * len(distinct)))


def carries(reply: str, line: str, said_before: str) -> bool:
    """The reply conveys `line` (a due fact or objection): its own words, or most of its words."""
    words = content_words(line)
    share = len(words & content_words(reply)) / len(words) if words else 1.0
    return share >= 0.6 or reveals(reply, line, said_before)


def offers_solution(reply: str, solution: str, public_text: str) -> bool:
    """The client states a large share of the expected handling, or announces 'the solution'."""
    if _any(SOLUTION_PHRASES, reply):
        return True
    distinct = content_words(solution) - content_words(public_text)
    hits = distinct & content_words(reply)
    return bool(distinct) and len(hits) >= max(4, math.ceil(0.3 * len(distinct)))


def invented_numbers(reply: str, known_text: str) -> set[str]:
    """Numbers (>= 10 or with a unit) the scenario and the exchange never mentioned."""
    known = numbers(known_text)
    found = set()
    for m in NUMBER.finditer(reply):
        value = re.sub(r"[\s.\u202f\u00a0]", "", m.group()).rstrip(",")
        after = reply[m.end() : m.end() + 8].lower()
        has_unit = bool(re.match(r"\s*(€|euros?|%|ans|h\b)", after))
        if value not in known and (has_unit or int(re.sub(r"\D", "", value) or 0) >= 10):
            found.add(value)
    return found


def strip_prefix(text: str, persona_name: str) -> str:
    """Remove 'Client :' / name labels and wrapping quotes a model adds; cut an invented advisor turn."""
    names = [re.escape(n) for n in [persona_name, *persona_name.split()] if len(n) > 2]
    label = r"^\s*[*_\"«]*\s*(client|cliente|" + "|".join(names or ["client"]) + r")\s*[*_]*\s*:\s*[*_]*\s*"
    text = re.sub(label, "", text, flags=re.IGNORECASE)
    text = re.split(r"\n\s*[*_]*(conseill[eè]re?|agent|advisor|assureur)\s*[*_]*\s*:", text, flags=re.I)[0]
    return text.strip().strip('«»"').strip()


def addresses_self(sentence: str, persona_name: str) -> bool:
    """'Monsieur Benali' or 'Merci, Karim Benali' said by Benali himself: the model answers as the advisor."""
    names = normalize(persona_name).split()
    if not names:
        return False
    last = re.escape(names[-1])
    civil = rf"(monsieur|madame|m|mme) {last}"
    vocative = rf"{civil}|(merci|bien sur|d'accord)( monsieur| madame)?( [a-z'-]+)? {last}"
    return re.search(vocative, normalize(sentence)) is not None


def echoes(sentence: str, advisor_text: str) -> bool:
    """The model repeats the advisor's sentence (verbatim, or 80 % of 5+ content words): no answer."""
    norm = normalize(sentence).strip()
    if len(norm.split()) >= 3 and norm in normalize(advisor_text):
        return True
    words = content_words(sentence)
    return len(words) >= 5 and len(words & content_words(advisor_text)) >= 0.8 * len(words)


def check_sentence(sentence: str, ctx: GuardContext) -> list[Problem]:
    """Problems of one sentence that would be visible at once (checked before it is streamed)."""
    problems = []
    self_named = not ctx.name_asked and addresses_self(sentence, ctx.persona_name)
    as_advisor = self_named or echoes(sentence, ctx.advisor_last)
    if as_advisor or _any(ADVISOR, sentence):
        problems.append(Problem(code="advisor", detail="tu as parlé comme le conseiller ou l'assureur"))
    if _any(AI, sentence):
        problems.append(Problem(code="ai", detail="tu as parlé comme une IA"))
    if any(re.search(p, sentence.lower()) for p in META):  # on raw text: brackets and colons matter
        problems.append(Problem(code="meta", detail="tu as ajouté une note ou un commentaire"))
    if not is_french(sentence):
        problems.append(Problem(code="language", detail="tu n'as pas répondu en français"))
    if any(reveals(sentence, fact, ctx.public_text) for fact in ctx.locked_facts):
        problems.append(Problem(code="leak", detail="tu as donné une information qu'on ne t'a pas demandée"))
    if ctx.solution and offers_solution(sentence, ctx.solution, ctx.public_text):
        problems.append(Problem(code="solution", detail="tu as donné la solution à la place du conseiller"))
    problems += coherence_problems(sentence, ctx)
    invented = invented_numbers(sentence, ctx.public_text + " " + " ".join(ctx.locked_facts))
    if invented:
        detail = "tu as inventé des chiffres : " + ", ".join(sorted(invented))
        problems.append(Problem(code="contradiction", detail=detail))
    return problems


def coherence_problems(sentence: str, ctx: GuardContext) -> list[Problem]:
    """A sentence that does not answer this turn: echo, names, help offered, early thanks, unasked data."""
    problems = []
    if ctx.advisor_last and echoes_run(sentence, ctx.advisor_last):
        problems.append(Problem(code="echo", detail="tu as répété les mots du conseiller"))
    if offers_help(sentence):
        problems.append(Problem(code="advisor", detail="tu as parlé du conseiller ou proposé ton aide"))
    names = strange_names(sentence, ctx.known_words, ctx.banned_names) if ctx.known_words else set()
    if names:
        detail = "tu as cité un nom qui n'est pas le tien : " + ", ".join(sorted(names))
        problems.append(Problem(code="name", detail=detail))
    if ctx.nothing_done and premature_satisfaction(sentence):
        problems.append(Problem(code="premature", detail="tu as remercié alors que rien n'a encore été fait"))
    norm = normalize(sentence)
    if ctx.verdict and contradicts_verdict(sentence, ctx.verdict):
        problems.append(
            Problem(code="verdict", detail="tu as confirmé ce qui est faux, ou démenti ce qui est juste")
        )
    if any(normalize(value) in norm for value in ctx.unasked if value.strip()):
        problems.append(Problem(code="unasked", detail="tu as répondu à une question qu'on ne t'a pas posée"))
    return problems


def check_reply(text: str, ctx: GuardContext) -> list[Problem]:
    """Problems of a whole reply: every sentence's, plus emptiness and length."""
    text = strip_prefix(text, ctx.persona_name)
    if not text:
        return [Problem(code="empty", detail="ta réponse était vide")]
    parts = list(split_sentences([text]))
    problems = [p for s in parts for p in check_sentence(s, ctx)]
    if len(parts) > ctx.max_sentences or len(text.split()) > 30 * ctx.max_sentences:
        problems.append(Problem(code="long", detail="ta réponse était trop longue"))
    return problems
