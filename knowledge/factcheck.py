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
from knowledge.fact_certainty import (
    distinctive_words,
    is_hedged,
    is_question,
    same_formula,
    same_quantity,
    same_subject,
)
from knowledge.fact_compare import Comparison, compare, is_uncertain
from knowledge.fact_rules import FactRule, RuleVerdict, check_rules, expected_text, load_rules
from knowledge.fact_scope import about_delegation, about_other_insurer, is_delegation_article, is_general_rule
from knowledge.fact_table import QuantFact, build_facts, words_of
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
# Words that put a figure under another regime than an individual's contract (a professional's
# premises, a group contract): a differing figure is a fault only if the governing sentence says them.
QUALIFIERS: list[str] = load_lexicon("knowledge", "fact_table")["qualifiers"]
# A contradiction is a serious accusation in a trainee's report: it needs a sentence that shares
# more with the statement than the topic word (an agreement or an "unknown" costs nothing).
MIN_CONTRADICTION_SCORE = 5
# Topics too generic to pin a figure to one rule ("sous 48 h", "dans la limite de"): a contradiction
# bound only by them is shown to the trainer « à vérifier », never counted as a fault.
GENERIC_TOPICS = {"delai", "remboursement"}
# A bonus (yearly reduction) and a malus (increase after a claim) are different measures of one article.
_DIRECTIONS = {
    "reduction": ("reduction", "baisse", "diminu", "descend", "bonus de"),
    "majoration": ("majoration", "augment", "hausse", "malus de", "multipli"),
}
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
Status = Literal["agrees", "contradicts", "to_verify", "unknown"]


class FactCheckResult(BaseModel):
    """Verdict on one statement, with the article that governs it."""

    status: Status = Field(
        description="agrees, contradicts, to_verify (a weak contradiction: shown, not a fault), or "
        "unknown when it cannot be checked."
    )
    article_id: str | None = Field(default=None, description="The governing article, if one was found.")
    article_title: str | None = None
    explanation: str = Field(description="Why, in French, quoting the article's sentence.")
    scope: Literal["general", "contract"] | None = Field(
        default=None, description="A general rule (law, convention) or the corpus insurer's own terms."
    )


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


def _around(text: str, figure: Figure) -> str:
    folded = fold(text)
    end = figure.start + len(figure.written)
    return folded[max(0, figure.start - _BIND_BEFORE) : end + _BIND_AFTER]


def bound_topics(text: str, figure: Figure) -> set[str]:
    """The topics named right around `figure` in `text` ("franchise de 150 €", "5 jours pour déclarer")."""
    return topics(_around(text, figure))


def _directions(window: str) -> set[str]:
    return {name for name, cues in _DIRECTIONS.items() if any(cue in window for cue in cues)}


def _opposite(statement: str, figure: Figure, sentence: str, governing: Figure) -> bool:
    """True when one figure is a reduction and the other an increase (a bonus rate vs a malus rate)."""
    mine, theirs = _directions(_around(statement, figure)), _directions(_around(sentence, governing))
    return bool(mine and theirs and not mine & theirs)


def extract_claims(text: str) -> list[str]:
    """The sentences of an advisor turn that state a figure about a checkable topic."""
    return [s for s in sentences(text, lines=True, semicolons=True) if extract_figures(s) and topics(s)]


def _certain(statement: str, figure: Figure, reading: _Reading, comparable: list[Figure]) -> bool:
    """Same rule, same quantity: a plain assertion whose figure and the article's are named by a
    shared distinctive word, about the formula the sentence speaks of (`knowledge.fact_certainty`)."""
    article = reading.article
    if is_hedged(statement) or not same_formula(statement, reading.sentence, article.text):
        return False
    heading = distinctive_words(f"{reading.sentence} {article.title} {' '.join(article.keywords)}")
    return same_subject(statement, heading) and any(
        same_quantity(statement, figure, reading.sentence, f) for f in comparable
    )


def _content(text: str) -> set[str]:
    return {t for t in tokenize(text) if not t.isdigit() and t not in _UNIT_TOKENS}


class FactChecker:
    """Checks trainee statements against the articles found by a `ConditionRetriever`."""

    def __init__(self, retriever: ConditionRetriever, *, candidates: int = 3) -> None:
        self.retriever = retriever
        self.candidates = candidates
        self._facts: tuple[QuantFact, ...] | None = None
        self._vocabulary: frozenset[str] | None = None

    @property
    def facts(self) -> tuple[QuantFact, ...]:
        """The quantified facts of the retriever's articles (derived on first use)."""
        if self._facts is None:
            self._facts = build_facts(self.retriever.articles)
        return self._facts

    @property
    def rules(self) -> tuple[FactRule, ...]:
        """The fixed rules (`fact_rules.yaml`) whose article the retriever holds."""
        ids = {a.id for a in self.retriever.articles}
        return tuple(r for r in load_rules() if r.article in ids)

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every distinctive word of the retriever's articles (derived on first use)."""
        if self._vocabulary is None:
            self._vocabulary = frozenset().union(
                *(
                    words_of(" ".join([a.title, a.text, *a.keywords, *a.aliases]))
                    for a in self.retriever.articles
                )
            )
        return self._vocabulary

    def outside_conditions(self, statement: str, fact_text: str) -> bool:
        """True when the statement names what the conditions never speak of (« TVA »), or a
        qualifier the governing sentence lacks (« locaux professionnels »): the figure may
        belong to another regime, so a difference is only « à vérifier »."""
        if words_of(statement) - self.vocabulary:
            return True
        folded, governing = fold(statement), fold(fact_text)
        return any(q in folded and q not in governing for q in QUALIFIERS)

    def check(
        self,
        statement: str,
        *,
        product: str | None = None,
        insurer_applies: bool = True,
        previous_client: str = "",
        formulas: frozenset[str] = frozenset(),
    ) -> FactCheckResult:
        """Does the statement's figure agree with the governing article?

        `insurer_applies` is False when the exchange is with another insurer: only general rules
        (the law, conventions) are then checked. `previous_client` is the client's line the
        statement answers: a figure the client gave, or another insurer named there, is no
        claim about the corpus insurer's conditions. `formulas` is the client's formula
        for the product (`knowledge.fact_scope.case_formulas`), used when the statement names none."""
        claimed = extract_figures(statement)
        if not claimed:
            return FactCheckResult(status="unknown", explanation="Aucun chiffre vérifiable dans la phrase.")
        if is_question(statement):
            why = "Question posée au client : ce n'est pas une affirmation du conseiller."
            return FactCheckResult(status="unknown", explanation=why)
        if _REPORTED.match(fold(statement).strip()):
            why = "Reformulation des propos du client : ce n'est pas une affirmation du conseiller."
            return FactCheckResult(status="unknown", explanation=why)
        general_only = not insurer_applies or about_other_insurer(statement, previous_client)
        ruled = check_rules(statement, product=product, general_only=general_only, rules=self.rules)
        if ruled is not None:
            return self._ruled(ruled, statement, previous_client, general_only)
        structured = compare(
            statement, self.facts, product=product, general_only=general_only, case_formulas=formulas
        )
        if structured.status != "unknown" and not is_hedged(statement):
            return self._structured(structured, statement, previous_client)
        subject = topics(statement)
        if not subject:
            why = "Le sujet du chiffre (franchise, délai, plafond...) n'est pas identifié."
            return FactCheckResult(status="unknown", explanation=why)
        readings = self._readings(statement, claimed, subject, product)
        if readings and (not insurer_applies or about_other_insurer(statement, previous_client)):
            readings = [r for r in readings if is_general_rule(r.article.id)]
            if not readings:
                why = "Conditions d'un autre assureur : non vérifiable avec les conditions du corpus."
                return FactCheckResult(status="unknown", explanation=why)
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
        status = verdicts.pop()
        if status == "contradicts" and not any(f.kind == "coefficient" for f in claimed):
            status = "to_verify"  # the structured comparison (no coefficients) found no certain one
        if status == "contradicts":
            given = extract_figures(previous_client)
            if any(c.same_as(g) for c in claimed for g in given):
                why = "Chiffre donné par le client, repris par le conseiller : rien à vérifier."
                return FactCheckResult(status="unknown", explanation=why)
        return self._result(status, claimed, reading)

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
            if is_delegation_article(article.title, article.keywords) and not about_delegation(statement):
                continue  # the advisor's delegation limit says nothing of a claim's amount
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
            elif any(_opposite(statement, figure, reading.sentence, f) for f in comparable):
                statuses.add("unknown")  # a yearly reduction rate is not the malus rate
            elif reading.score >= MIN_CONTRADICTION_SCORE and (
                shared := set().union(
                    *(bound_topics(statement, figure) & bound_topics(reading.sentence, f) for f in comparable)
                )
                & RULE_TOPICS
            ):
                if figure.kind == "coefficient":
                    shared.add("bonus")  # a ratio in a bonus-malus text measures the coefficient
                certain = shared - GENERIC_TOPICS and _certain(statement, figure, reading, comparable)
                statuses.add("contradicts" if certain else "to_verify")
            elif reading.score >= MIN_CONTRADICTION_SCORE and _certain(
                statement, figure, reading, comparable
            ):
                statuses.add("contradicts")  # the same quantity named alike: "franchise tempête"
            else:
                statuses.add("unknown")  # not the same measure: the age of a sofa is no deadline
        if statuses == {"contradicts"} or statuses == {"contradicts", "unknown"}:
            return "contradicts"
        if "to_verify" in statuses and "agrees" not in statuses:
            return "to_verify"
        return "agrees" if statuses == {"agrees"} else "unknown"

    def _ruled(
        self, found: RuleVerdict, statement: str, previous_client: str, general_only: bool
    ) -> FactCheckResult:
        """The verdict of a fixed rule (`knowledge.fact_rules`); a differing figure is only « à
        vérifier » when guessed, the client's own case, or said of another insurer's practice."""
        rule, claimed = found.rule, found.claimed
        article = self.retriever.get(rule.article)
        if found.status == "agrees":
            why = f"Conforme à l'article {article.id} ({article.title}) : {rule.explanation}"
            return FactCheckResult(
                status="agrees", article_id=article.id, article_title=article.title, explanation=why,
                scope=rule.scope,
            )  # fmt: skip
        if any(claimed.same_as(g) for g in extract_figures(previous_client)):
            why = "Chiffre donné par le client, repris par le conseiller : rien à vérifier."
            return FactCheckResult(status="unknown", explanation=why)
        doubtful = general_only or is_hedged(statement) or is_uncertain(statement)
        why = (
            f"Le chiffre annoncé ({claimed.written}) ne correspond pas à l'article {article.id} "
            f"({article.title}), qui indique {expected_text(rule)} : {rule.explanation}"
        )
        return FactCheckResult(
            status="to_verify" if doubtful else "contradicts",
            article_id=article.id,
            article_title=article.title,
            explanation=("À vérifier (autre cas possible) : " + why) if doubtful else why,
            scope=rule.scope,
        )

    def _structured(self, found: Comparison, statement: str, previous_client: str) -> FactCheckResult:
        """The result of the structured comparison (`knowledge.fact_compare`), quoting its fact."""
        fact, claimed = found.fact, found.claimed
        assert fact is not None and claimed is not None
        status: Status = found.status
        if status == "contradicts" and any(claimed.same_as(g) for g in extract_figures(previous_client)):
            why = "Chiffre donné par le client, repris par le conseiller : rien à vérifier."
            return FactCheckResult(status="unknown", explanation=why)
        if status == "contradicts" and self.outside_conditions(statement, f"{fact.sentence} {fact.heading}"):
            status = "to_verify"
        article = self.retriever.get(fact.article_id)
        reading = _Reading(article=article, sentence=fact.sentence, figures=[fact.figure], score=0, rank=0)
        return self._result(status, [claimed], reading)

    @staticmethod
    def _result(status: Status, claimed: list[Figure], reading: _Reading) -> FactCheckResult:
        article = reading.article
        said = ", ".join(f.written for f in claimed)
        quote = f"« {reading.sentence} »"
        source = f"l'article {article.id} ({article.title})"
        if status == "agrees":
            explanation = f"Conforme à {source} : {quote}"
        elif status in ("contradicts", "to_verify"):
            expected = ", ".join(f.written for f in reading.figures)
            explanation = (
                f"Le chiffre annoncé ({said}) ne correspond pas à l'article {article.id} "
                f"({article.title}), qui indique {expected} : {quote}"
            )
            if status == "to_verify":
                explanation = "À vérifier (correspondance incertaine) : " + explanation
        else:
            explanation = (
                f"Chiffre non vérifiable avec certitude ; {source} traite d'un point voisin : {quote}"
            )
        scope = "general" if is_general_rule(article.id) else "contract"
        return FactCheckResult(
            status=status, article_id=article.id, article_title=article.title, explanation=explanation,
            scope=scope,
        )  # fmt: skip
