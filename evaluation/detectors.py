"""Deterministic detectors: checks decided by counting or by the contract fact-check.

Why: some checks need no judgement (how many questions were asked) or a better judge
than a small model (is this statement about the contract true?). A detector returns
None when it cannot run (no fact-checker injected): the check is then left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from crca.lexicons import load_lexicon
from crca.text import fold_aligned as fold
from crca.text import sentence_around, sentences
from domain.grades import CheckResult, Evidence
from domain.transcript import Speaker, Transcript
from evaluation.acronyms import acronyms
from evaluation.candidates import compile_cue, scope_turns
from evaluation.case_key import CaseKey
from rubrics.models import Check


class FactVerdict(Protocol):
    status: str  # "agrees" | "contradicts" | "to_verify" | "unknown"
    article_id: str | None
    explanation: str


class FactChecker(Protocol):
    """What the grader needs from knowledge.factcheck.FactChecker."""

    def check(
        self, statement: str, *, product: str | None = None, insurer_applies: bool = True,
        previous_client: str = "", formulas: frozenset[str] = frozenset(),
    ) -> FactVerdict: ...  # fmt: skip


@dataclass
class DetectorInput:
    transcript: Transcript
    excluded: frozenset[int]
    fact_checker: FactChecker | None = None
    case: CaseKey | None = None
    cache: dict[str, object] = field(default_factory=dict)


@dataclass
class DetectorOutcome:
    result: CheckResult
    articles: list[str] = field(default_factory=list)
    to_verify: list[str] = field(default_factory=list)
    """Uncertain findings shown to the trainer « à vérifier », not counted."""


Detector = Callable[[Check, DetectorInput], DetectorOutcome | None]

JARGON_TURNS = 5
"""Advisor turns per unexplained technical term above which the vocabulary counts as jargon."""
EXPLAINED_WITHIN = 40
"""Most characters between a term and the marker that explains it (« la franchise, c'est… »)."""
JARGON_MIN_TERMS = 2
"""Fewest distinct unexplained terms that make jargon: one « avenant » or « vétusté » in a plain
sentence is the normal word for the thing (the labelled sentence sets mark it correct)."""
_QUESTION = re.compile(r"[^.!?…]*\?")
_EXPLAINED = [compile_cue(c) for c in load_lexicon("evaluation", "detectors")["explained"]]
_EXPERT_AUDIENCE = [compile_cue(c) for c in load_lexicon("evaluation", "detectors")["expert_audience"]]
_CLAIM_CUE = compile_cue(
    r"franchise|plafond|garanti|couvert|couvre|rembours|indemnis|exclu|pris en charge|prise en charge|"
    r"d[eé]lai|\bjours?\b|euros?|€|%|cotisation|carence|v[eé]tust|pr[eé]voit"
)
_PRODUCTS = {
    "auto": r"voiture|v[eé]hicule|\bauto\b|automobile|permis|garage|pare-brise|conducteur",
    "habitation": r"logement|maison|appartement|habitation|d[eé]g[aâ]ts? des eaux|cambriolage|locataire",
    "sante": r"mutuelle|sant[eé]|soins|optique|dentaire|hospitalisation|m[eé]decin",
    "prevoyance": r"pr[eé]voyance|d[eé]c[eè]s|incapacit[eé]|invalidit[eé]|arr[eê]ts? de travail"
    r"|indemnit[eé]s journali[eè]res",
}


def _advisor_turns(data: DetectorInput, check: Check) -> list[int]:
    return [i for i in scope_turns(data.transcript, check.scope, data.excluded)
            if data.transcript.turns[i].speaker == Speaker.ADVISOR]  # fmt: skip


def question_count(check: Check, data: DetectorInput) -> DetectorOutcome:
    """Passes when the advisor asked at least `min_count` questions (sentences ending in '?')."""
    found: list[Evidence] = []
    for i in _advisor_turns(data, check):
        text = data.transcript.turns[i].text
        found += [
            Evidence(turn=i, quote=m.group().strip()) for m in _QUESTION.finditer(text) if m.group().strip()
        ]
    passed = len(found) >= check.min_count
    note = f"{len(found)} question(s) posée(s) par le conseiller (seuil : {check.min_count})."
    return DetectorOutcome(CheckResult(check_id=check.id, passed=passed, source="detector",
                                       evidence=found[:3], note=note))  # fmt: skip


def jargon(check: Check, data: DetectorInput) -> DetectorOutcome:
    """Fails (fault found) when the advisor's unexplained technical terms (listed terms the client
    did not use first, acronyms, code references; a term an explanation marker follows is explained)
    are dense: at least `JARGON_MIN_TERMS`, and one per `JARGON_TURNS` advisor turns; a turn that
    says the client is of the trade is left out. Why a density:
    assessors let a single technical word pass in a long, plain conversation. Why the marker must
    follow: « c'est une PP au sens des CP » uses the marker's words to pile up more jargon."""
    turns = data.transcript.turns
    advisor = _advisor_turns(data, check)
    found: dict[str, Evidence] = {}
    for i in advisor:
        folded = fold(turns[i].text)
        if any(p.search(folded) for p in _EXPERT_AUDIENCE):
            continue  # said to a professional of the trade, in its own words
        markers = [m.start() for p in _EXPLAINED for m in p.finditer(folded)]
        client = " ".join(t.text for t in turns[:i] if t.speaker == Speaker.CLIENT)
        cued = [m for cue in check.cues for m in compile_cue(cue).finditer(folded)]
        cued = [m for m in cued if not re.search(re.escape(m.group()), fold(client))]
        shaped = [m for m in acronyms(turns[i].text) if not re.search(rf"\b{re.escape(m.group())}\b", client)]
        for m in [*cued, *shaped]:
            if any(0 <= at - m.end() <= EXPLAINED_WITHIN for at in markers):
                continue
            term = turns[i].text[m.start() : m.end()]
            found.setdefault(term.lower(), Evidence(turn=i, quote=sentence_around(turns[i].text, *m.span())))
    if len(found) >= max(JARGON_MIN_TERMS, len(advisor) // JARGON_TURNS):
        terms = ", ".join(f"« {t} »" for t in found)
        note = f"Terme(s) technique(s) employé(s) sans explication : {terms}."
        return DetectorOutcome(CheckResult(check_id=check.id, passed=False, source="detector",
                                           evidence=list(found.values())[:3], note=note))  # fmt: skip
    note = "Aucun terme technique laissé sans explication."
    if found:
        note = f"Terme(s) technique(s) isolé(s) dans un échange clair : {', '.join(found)}."
    return DetectorOutcome(CheckResult(check_id=check.id, passed=True, source="detector", note=note))


_BRAND = compile_cue(r"horizon mutuelle")


def guess_product(transcript: Transcript) -> str | None:
    """The product most mentioned (auto, habitation, sante, prevoyance), for the fact-check; None
    when two tie (a wrong product filter makes the fact-check compare with the wrong articles).
    The context (the client's file) counts twice: it names the contract concerned."""

    def mentions(text: str) -> Counter[str]:
        text = _BRAND.sub(" ", fold(text))  # "Assurances Horizon Mutuelle" names no product
        return Counter({p: len(compile_cue(rx).findall(text)) for p, rx in _PRODUCTS.items()})

    context = mentions(transcript.context)
    counts = context + context + mentions(" ".join(t.text for t in transcript.turns))
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _claims(text: str) -> list[str]:
    try:
        from knowledge.fact_claims import extract_claims  # built by the knowledge engineer
    except ImportError:
        return [s for s in sentences(text) if _CLAIM_CUE.search(fold(s))]
    return [c for c in extract_claims(text) if c.strip()]


def fact_check(check: Check, data: DetectorInput, max_claims: int = 8) -> DetectorOutcome | None:
    """Fails when the fact-checker says an advisor statement contradicts the contract."""
    if data.fact_checker is None:
        return None
    key = "fact_check"
    if key not in data.cache:
        data.cache[key] = _run_fact_check(data, max_claims)
    contradictions, articles, doubtful = data.cache[key]  # type: ignore[misc]
    if contradictions:
        turn, quote, why = contradictions[0]
        note = f"Affirmation contraire au contrat : {why}"
        evidence = [Evidence(turn=t, quote=q) for t, q, _ in contradictions]
        result = CheckResult(check_id=check.id, passed=False, source="detector", evidence=evidence, note=note)
        return DetectorOutcome(result, list(articles), list(doubtful))
    note = "Aucune affirmation contraire au contrat relevée."
    result = CheckResult(check_id=check.id, passed=True, source="detector", note=note)
    return DetectorOutcome(result, [], list(doubtful))


def insurer_applies(transcript: Transcript) -> bool:
    """True when the corpus insurer's own terms govern the exchange: a scenario was played, or the
    file or the exchange names that insurer. Otherwise only general rules are checked."""
    from knowledge.fact_scope import names_corpus_insurer

    text = " ".join([transcript.context, *(t.text for t in transcript.turns)])
    return transcript.scenario_id is not None or names_corpus_insurer(text)


def _run_fact_check(
    data: DetectorInput, max_claims: int
) -> tuple[list[tuple[int, str, str]], list[str], list[str]]:
    from knowledge.fact_scope import case_formulas

    assert data.fact_checker is not None
    product = guess_product(data.transcript)
    applies = insurer_applies(data.transcript)
    formulas = case_formulas(data.transcript.context, product) if applies else frozenset()
    contradictions: list[tuple[int, str, str]] = []
    articles: list[str] = []
    doubtful: list[str] = []
    checked = 0
    turns = data.transcript.turns
    for i in scope_turns(data.transcript, "advisor", data.excluded):
        text = turns[i].text
        previous = turns[i - 1].text if i > 0 and turns[i - 1].speaker == Speaker.CLIENT else ""
        for claim in _claims(text):
            if checked >= max_claims:
                break
            checked += 1
            verdict = data.fact_checker.check(
                claim, product=product, insurer_applies=applies, previous_client=previous, formulas=formulas
            )
            if verdict.status == "to_verify":
                doubtful.append(f"Tour {i + 1} : « {claim} » — {verdict.explanation}")
            if verdict.status == "contradicts":
                quote = claim if claim in text else text
                contradictions.append(
                    (i, quote, f"{verdict.explanation} ({verdict.article_id or 's. réf.'})")
                )
                if verdict.article_id and verdict.article_id not in articles:
                    articles.append(verdict.article_id)
    return contradictions, articles, doubtful


_AUTHENTICATED = compile_cue(r"(?<!non )authentifi[eé]|connect[eé]e? (a|à|depuis|via) (son|votre|l') ?espace")
_CONFIRMS_RISK = compile_cue(
    r"\b(m\.|mme|monsieur|madame) [a-z]"
    r"|votre (contrat|logement|v[eé]hicule|dossier|formule|maison|appartement)"
    r"|(il s'agit|c'est) bien (de )?(votre|du|de la|le|la)"
)


def _found(check: Check, data: DetectorInput, turn: int, span: tuple[int, int], note: str) -> DetectorOutcome:
    quote = sentence_around(data.transcript.turns[turn].text, *span)
    evidence = [Evidence(turn=turn, quote=quote)]
    return DetectorOutcome(
        CheckResult(check_id=check.id, passed=True, source="detector", evidence=evidence, note=note)
    )


def identified(check: Check, data: DetectorInput) -> DetectorOutcome:
    """Passes when the advisor checks at least `min_count` distinct identity elements (cues:
    name, date of birth, contract number...) or, the session being authenticated (context),
    confirms the client or the contract concerned. Why several: a name alone lets anyone act
    on someone else's contract."""
    turns = data.transcript.turns
    advisor = _advisor_turns(data, check)
    found: list[tuple[int, re.Match[str]]] = []
    for pattern in (compile_cue(c) for c in check.cues):
        hit = next(((i, m) for i in advisor if (m := pattern.search(fold(turns[i].text)))), None)
        if hit:
            found.append(hit)
    if len(found) >= check.min_count:
        turn, m = min(found, key=lambda h: (h[0], h[1].start()))
        return _found(check, data, turn, m.span(), f"Identification au tour {turn + 1}.")
    if _AUTHENTICATED.search(fold(data.transcript.context)):
        for i in advisor[:3]:
            m = _CONFIRMS_RISK.search(fold(turns[i].text))
            if m:
                note = f"Session authentifiée ; client ou contrat confirmé au tour {i + 1}."
                return _found(check, data, i, m.span(), note)
    if found:
        note = f"Identification insuffisante : un seul élément vérifié (tour {found[0][0] + 1})."
    else:
        note = "Aucune identification du client relevée."
    return DetectorOutcome(CheckResult(check_id=check.id, passed=False, source="detector", note=note))


def record_detail(check: Check, data: DetectorInput) -> DetectorOutcome:
    """Passes when the operations logged in the system carry at least `min_count` words of
    detail in all. Why: the referential grades the record itself (codification, data, motive,
    partners informed); a one-line entry leaves the next colleague without the file's facts."""
    actions = data.transcript.actions
    words = sum(len(a.detail.split()) for a in actions)
    passed = bool(actions) and words >= check.min_count
    if not actions:
        note = "Aucune opération enregistrée dans l'outil."
    else:
        state = "détaillées" if passed else "trop succinctes"
        note = (
            f"{len(actions)} opération(s) enregistrée(s), {words} mots de détail "
            f"({state} ; seuil : {check.min_count})."
        )
    return DetectorOutcome(CheckResult(check_id=check.id, passed=passed, source="detector", note=note))


DETECTORS: dict[str, Detector] = {
    "identified": identified,
    "question_count": question_count,
    "jargon": jargon,
    "fact_check": fact_check,
    "record_detail": record_detail,
}
"""Detector names usable in the rubric's `detector` field."""
