"""Checks decided by the case key: facts uncovered, solution elements, articles, operations.

Why: completeness and exactness are what assessors grade and what generic cues miss. Each check
is deterministic, names what was missed in its note (the justification quotes it), and is left
out (None) when the transcript has no case key or the key says nothing on that point.
"""

from __future__ import annotations

import re
from functools import cache

from domain.grades import CheckResult
from domain.transcript import ACTION_TYPES, Speaker
from evaluation.case_key import CaseFact
from evaluation.detectors import Detector, DetectorInput, DetectorOutcome
from rubrics.models import Check

FACTS_SHARE = 2 / 3
"""Share of the hidden facts a complete discovery brings out."""
SOLUTION_SHARE = 0.5
"""Share of the expected solution's elements the advisor must state."""
ARTICLES_SHARE = 0.5
"""Share of the expected articles whose content the advisor must apply."""
ELEMENT_OVERLAP = 0.5
"""Share of an element's content words found in the turns for it to count as covered."""
CLAUSE_OVERLAP = 2 / 3
"""The same for one clause of a hidden fact (the client's opening already names the topic)."""
_PARTS = re.compile(r"(?<=[.;!?])\s+|\s+[-–—]\s+")
_CLAUSES = re.compile(r"[,;:.!?]|\s(?:donc|mais|et)\s")
_QUOTE_LEN = 90


@cache
def _tokens(text: str) -> frozenset[str]:
    from knowledge.text import tokenize  # bm25s stopwords: loaded on first use

    return frozenset(t for t in tokenize(text) if len(t) > 2 or t.isdigit())


def _covered(element: str, said: frozenset[str], share: float = ELEMENT_OVERLAP) -> bool:
    words = _tokens(element)
    return len(words) >= 2 and len(words & said) >= share * len(words)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_LEN else text[: _QUOTE_LEN - 1].rsplit(" ", 1)[0] + "…"


def _said(data: DetectorInput, speaker: Speaker) -> list[str]:
    return [
        t.text for i, t in enumerate(data.transcript.turns) if t.speaker == speaker and i not in data.excluded
    ]


def _result(check: Check, passed: bool, note: str) -> DetectorOutcome:
    return DetectorOutcome(CheckResult(check_id=check.id, passed=passed, source="case", note=note))


def _share(done: int, total: int, threshold: float) -> bool:
    return done >= threshold * total - 1e-9


def revealed_facts(data: DetectorInput) -> list[CaseFact]:
    """Hidden facts brought out: the app session's own record, else the fact found in a client turn."""
    assert data.case is not None
    facts = data.case.hidden_facts
    if data.transcript.revealed_facts is not None:
        ids = set(data.transcript.revealed_facts)
        return [f for f in facts if f.id in ids]
    client = [_tokens(text) for text in _said(data, Speaker.CLIENT)]
    return [f for f in facts if any(_told(f.content, turn) for turn in client)]


def _told(fact: str, said: frozenset[str]) -> bool:
    """The fact, or one of its clauses, in the client's words (a client tells it in part)."""
    clauses = [c for c in _CLAUSES.split(fact) if len(_tokens(c)) >= 3]  # two words match by chance
    return _covered(fact, said) or any(_covered(c, said, CLAUSE_OVERLAP) for c in clauses)


def case_facts(check: Check, data: DetectorInput) -> DetectorOutcome | None:
    """Passes when the advisor's questions brought out enough of the case's hidden facts."""
    if data.case is None or not data.case.hidden_facts:
        return None
    facts = data.case.hidden_facts
    found = {f.id for f in revealed_facts(data)}
    missed = [f for f in facts if f.id not in found]
    passed = _share(len(found), len(facts), FACTS_SHARE)
    note = f"{len(found)} fait(s) caché(s) du cas sur {len(facts)} mis au jour"
    if missed:
        note += " ; n'a pas fait préciser : " + " ; ".join(f"« {_short(f.content)} »" for f in missed)
    return _result(check, passed, note + ".")


def solution_elements(solution: str) -> list[str]:
    """The expected solution cut into elements (sentences, clauses after ';')."""
    return [p.strip() for p in _PARTS.split(solution) if len(_tokens(p)) >= 2]


def case_solution(check: Check, data: DetectorInput) -> DetectorOutcome | None:
    """Passes when the advisor stated enough of the expected solution's elements."""
    if data.case is None or not data.case.solution.strip():
        return None
    elements = solution_elements(data.case.solution)
    if not elements:
        return None
    said = frozenset().union(*map(_tokens, _said(data, Speaker.ADVISOR)))
    missed = [e for e in elements if not _covered(e, said)]
    done = len(elements) - len(missed)
    note = f"{done} élément(s) de la solution attendue sur {len(elements)} abordé(s)"
    if missed:
        note += " ; non abordé : " + " ; ".join(f"« {_short(e)} »" for e in missed)
    return _result(check, _share(done, len(elements), SOLUTION_SHARE), note + ".")


def _applied(article_id: str, text: str, said: frozenset[str]) -> bool | None:
    """True when the advisor used the article: one of its figures, or its keywords; None if unknown."""
    from knowledge.corpus import load_corpus
    from knowledge.figures import extract_figures

    article = next((a for a in load_corpus() if a.id == article_id), None)
    if article is None:
        return None
    stated = extract_figures(text)
    if any(f.same_as(g) for f in extract_figures(article.text) for g in stated):
        return True
    keywords = [k for k in article.keywords if _tokens(k)]
    hits = sum(_tokens(k) <= said for k in keywords)
    return hits >= min(2, len(keywords)) > 0 or _covered(article.title, said)


def case_articles(check: Check, data: DetectorInput) -> DetectorOutcome | None:
    """Passes when the advisor applied enough of the case's articles (their figures or terms)."""
    if data.case is None or not data.case.articles:
        return None
    advisor = " ".join(_said(data, Speaker.ADVISOR))
    said = _tokens(advisor)
    known = {a: v for a in data.case.articles if (v := _applied(a, advisor, said)) is not None}
    if not known:
        return None
    missed = [a for a, used in known.items() if not used]
    done = len(known) - len(missed)
    note = f"{done} article(s) du cas sur {len(known)} appliqué(s)"
    if missed:
        note += " ; non évoqué(s) : " + ", ".join(missed)
    return _result(check, _share(done, len(known), ARTICLES_SHARE), note + ".")


def case_operations(check: Check, data: DetectorInput) -> DetectorOutcome | None:
    """Passes when every operation the case expects was logged."""
    if data.case is None or not data.case.expected_actions:
        return None
    logged = {a.type for a in data.transcript.actions}
    expected = data.case.expected_actions
    missed = [a for a in expected if a not in logged]
    note = f"{len(expected) - len(missed)} opération(s) attendue(s) sur {len(expected)} enregistrée(s)"
    if missed:
        note += " ; manque : " + ", ".join(ACTION_TYPES.get(a, a) for a in missed)
    return _result(check, not missed, note + ".")


CASE_DETECTORS: dict[str, Detector] = {
    "case_facts": case_facts,
    "case_solution": case_solution,
    "case_articles": case_articles,
    "case_operations": case_operations,
}
"""Detectors that need the case key; without it their checks are left out."""
