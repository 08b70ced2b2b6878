"""Deterministic fact-check of an advisor's figures against the contract conditions.

Precise rather than eager: a statement is judged only when it names a known topic (franchise,
délai, plafond...), carries a figure, and a retrieved article has a sentence on that topic with a
figure of the same kind and unit. Anything less is "unknown", which the grader treats as no
evidence either way.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from crca.lexicons import load_lexicon
from crca.text import fold, sentences
from knowledge.corpus import Article
from knowledge.figures import Figure, extract_figures
from knowledge.retriever import ConditionRetriever
from knowledge.text import tokenize

# Topic → folded word stems that announce it, in the statement or in the article sentence.
TOPICS: dict[str, list[str]] = load_lexicon("knowledge", "factcheck")
# Topics whose figures are rules of the contract. A premium or an indemnity quoted to a client is
# computed for that case: it differs from an article's example figure without contradicting it.
RULE_TOPICS = set(TOPICS) - {"cotisation", "indemnisation"}
# How far from a figure (characters, before / after) the word naming what it measures may stand.
_BIND_BEFORE, _BIND_AFTER = 50, 30
# Unit words say nothing about which sentence governs the statement.
_UNIT_TOKENS = {"jour", "moi", "mois", "an", "annee", "euro", "eur", "heur", "semain", "ouvr", "calendair"}
MIN_SCORE = 3
# A contradiction is a serious accusation in a trainee's report: it needs a sentence that shares
# more with the statement than the topic word (an agreement or an "unknown" costs nothing).
MIN_CONTRADICTION_SCORE = 5
# The advisor restating what the client said ("si je résume : vous contestez les 250 €...").
_REPORTED = re.compile(
    r"^(si je (resume|comprends|reprends|recapitule)|vous (me )?(dites|indiquez|contestez|signalez|expliquez)"
    r"|d'apres vous|selon vous)"
)
# Words before an article's figure that make it a maximum ("dans les 30 jours", "jusqu'à 8 000 €").
_UPPER_BOUND = re.compile(
    r"(dans les|dans un delai de|sous|au plus tard|au maximum|maximum de|jusqu'a|dans la limite de)\s*$"
)
# Words that make a statement about coefficients a rule rather than one client's figures.
_RULE_MARKER = re.compile(
    r"jamais|ne peut|minimum|maximum|plancher|plafond|au-dessous|en dessous|descend|au plus|au moins"
)
Status = Literal["agrees", "contradicts", "unknown"]


class FactCheckResult(BaseModel):
    """Verdict on one statement, with the article that governs it."""

    status: Status = Field(description="agrees, contradicts, or unknown when it cannot be checked.")
    article_id: str | None = Field(default=None, description="The governing article, if one was found.")
    article_title: str | None = None
    explanation: str = Field(description="Why, in French, quoting the article's sentence.")


class _Reading(BaseModel):
    """A sentence of an article that speaks about the statement's topic with comparable figures."""

    article: Article
    sentence: str
    figures: list[Figure]
    score: int
    rank: int


def topics(text: str) -> set[str]:
    folded = fold(text)
    return {name for name, cues in TOPICS.items() if any(cue in folded for cue in cues)}


def _within_bound(claimed: Figure, sentence: str, governing: Figure) -> bool:
    """True when the article's figure is a maximum and the claimed figure stays within it."""
    before = fold(sentence)[: governing.start]
    return bool(_UPPER_BOUND.search(before[-30:])) and claimed.value <= governing.value


def bound_topics(text: str, figure: Figure) -> set[str]:
    """The topics named right around `figure` in `text` ("franchise de 150 €", "5 jours pour déclarer")."""
    folded = fold(text)
    end = figure.start + len(figure.written)
    return topics(folded[max(0, figure.start - _BIND_BEFORE) : end + _BIND_AFTER])


def extract_claims(text: str) -> list[str]:
    """The sentences of an advisor turn that state a figure about a checkable topic."""
    return [s for s in sentences(text, lines=True, semicolons=True) if extract_figures(s) and topics(s)]


def _content(text: str) -> set[str]:
    return {t for t in tokenize(text) if not t.isdigit() and t not in _UNIT_TOKENS}


class FactChecker:
    """Checks trainee statements against the articles found by a `ConditionRetriever`."""

    def __init__(self, retriever: ConditionRetriever, *, candidates: int = 3) -> None:
        self.retriever = retriever
        self.candidates = candidates

    def check(self, statement: str, *, product: str | None = None) -> FactCheckResult:
        """Does the statement's figure agree with the governing article?"""
        claimed = extract_figures(statement)
        if not claimed:
            return FactCheckResult(status="unknown", explanation="Aucun chiffre vérifiable dans la phrase.")
        if _REPORTED.match(fold(statement).strip()):
            why = "Reformulation des propos du client : ce n'est pas une affirmation du conseiller."
            return FactCheckResult(status="unknown", explanation=why)
        subject = topics(statement)
        if not subject:
            why = "Le sujet du chiffre (franchise, délai, plafond...) n'est pas identifié."
            return FactCheckResult(status="unknown", explanation=why)
        readings = self._readings(statement, claimed, subject, product)
        if not readings:
            return FactCheckResult(
                status="unknown", explanation="Aucun article des conditions ne donne de chiffre sur ce point."
            )
        best = max(r.score for r in readings)
        top = [r for r in readings if r.score == best]
        verdicts = {self._verdict(statement, claimed, r) for r in top}
        if len(verdicts) > 1:
            ids = ", ".join(sorted({r.article.id for r in top}))
            return FactCheckResult(
                status="unknown", explanation=f"Plusieurs passages ({ids}) donnent des chiffres différents."
            )
        reading = min(top, key=lambda r: r.rank)
        return self._result(verdicts.pop(), claimed, reading)

    def _readings(
        self, statement: str, claimed: list[Figure], subject: set[str], product: str | None
    ) -> list[_Reading]:
        words = _content(statement)
        found: list[_Reading] = []
        hits = self.retriever.search(statement, product=product, k=self.candidates)
        for rank, hit in enumerate(hits):
            article = self.retriever.get(hit.article_id)
            heading = f"{article.title} {' '.join(article.keywords)}"
            whole = f"{heading} {article.text}"
            if not subject & topics(whole):
                continue
            heading_words, heading_topics = _content(heading), subject & topics(heading)
            ratios = "coefficient" in {f.kind for f in extract_figures(whole)} or "bonus" in topics(whole)
            for sentence in sentences(article.text, lines=True, semicolons=True):
                figures = [
                    f
                    for f in extract_figures(sentence, about_coefficients=ratios)
                    if any(c.comparable(f) for c in claimed)
                ]
                if not figures:
                    continue
                # Words shared with the sentence weigh double those shared with its heading only,
                # plus one per statement topic the sentence or its heading names.
                shared = words & _content(sentence)
                score = 2 * len(shared) + len(words & heading_words - shared)
                score += len(subject & topics(sentence) | heading_topics)
                if score >= MIN_SCORE:
                    found.append(
                        _Reading(article=article, sentence=sentence, figures=figures, score=score, rank=rank)
                    )
        return found

    @staticmethod
    def _verdict(statement: str, claimed: list[Figure], reading: _Reading) -> Status:
        """Agrees if every figure is in the governing sentence; contradicts only if a figure that
        measures a contract rule differs from the article's figure for that same rule, and none
        of the statement's figures agrees with it (a mixed reading is a paraphrase or another case)."""
        statuses: set[Status] = set()
        elsewhere = extract_figures(reading.article.text, about_coefficients=True)
        for figure in claimed:
            comparable = [f for f in reading.figures if figure.comparable(f)]
            if not comparable:
                continue
            if any(figure.same_as(f) for f in comparable):
                statuses.add("agrees")
            elif any(figure.same_as(f) for f in elsewhere):
                statuses.add("unknown")  # the figure applies elsewhere in the article: ambiguous
            elif reading.article.document_kind == "conditions_particulieres":
                statuses.add("unknown")  # an example contract's figures are its policyholder's
            elif all(_within_bound(figure, reading.sentence, f) for f in comparable):
                statuses.add("unknown")  # "versé sous 5 jours" keeps a "dans les 30 jours" rule
            elif figure.kind == "coefficient" and not _RULE_MARKER.search(fold(statement)):
                statuses.add("unknown")  # "votre coefficient est passé à 0,90" is this client's case
            elif reading.score >= MIN_CONTRADICTION_SCORE and any(
                bound_topics(statement, figure) & bound_topics(reading.sentence, f) & RULE_TOPICS
                for f in comparable
            ):
                statuses.add("contradicts")
            else:
                statuses.add("unknown")  # not the same measure: the age of a sofa is no deadline
        if statuses == {"contradicts"} or statuses == {"contradicts", "unknown"}:
            return "contradicts"
        return "agrees" if statuses == {"agrees"} else "unknown"

    @staticmethod
    def _result(status: Status, claimed: list[Figure], reading: _Reading) -> FactCheckResult:
        article = reading.article
        said = ", ".join(f.written for f in claimed)
        quote = f"« {reading.sentence} »"
        source = f"l'article {article.id} ({article.title})"
        if status == "agrees":
            explanation = f"Conforme à {source} : {quote}"
        elif status == "contradicts":
            expected = ", ".join(f.written for f in reading.figures)
            explanation = (
                f"Le chiffre annoncé ({said}) ne correspond pas à l'article {article.id} "
                f"({article.title}), qui indique {expected} : {quote}"
            )
        else:
            explanation = (
                f"Chiffre non vérifiable avec certitude ; {source} traite d'un point voisin : {quote}"
            )
        return FactCheckResult(
            status=status, article_id=article.id, article_title=article.title, explanation=explanation
        )
