"""Deterministic fact-check of an advisor's figures against the contract conditions.

Why an orchestrator: each way of judging a figure is surest on its own ground, so they are tried
in order of certainty — a fixed rule the statement names (`knowledge.fact_rules`), then the fact
table's structured comparison (`knowledge.fact_compare`), then the older reading of the retrieved
articles' best sentence (`knowledge.fact_reading`). Questions, restatements of the client's words,
figures the client gave and other insurers' terms are never counted against the advisor.
"""

from __future__ import annotations

import re

from crca.lexicons import load_lexicon
from crca.text import fold
from knowledge.fact_certainty import is_hedged, is_question
from knowledge.fact_claims import is_reported
from knowledge.fact_compare import Comparison, compare, is_uncertain
from knowledge.fact_reading import check_by_reading
from knowledge.fact_result import (
    CLIENT_FIGURE,
    FactCheckResult,
    Status,
    conforming,
    given_by_client,
    judged,
    mismatch,
    unknown,
)
from knowledge.fact_rules import FactRule, RuleVerdict, check_rules, expected_text, load_rules
from knowledge.fact_scope import about_other_insurer
from knowledge.fact_table import QuantFact, build_facts, words_of
from knowledge.figures import extract_figures
from knowledge.retriever import ConditionRetriever

# Words that put a figure under another regime than an individual's contract (a professional's
# premises, a group contract): a differing figure is a fault only if the governing sentence says them.
QUALIFIERS: list[str] = load_lexicon("knowledge", "fact_table")["qualifiers"]
# An acronym or a capitalised word past the sentence's first letter: a name (« AGIRA », « Pôle »).
_NAME = re.compile(r"\b[A-ZÀ-Ý][A-ZÀ-Ý]+\b|(?<=\s)[A-ZÀ-Ý][a-zà-ÿ]{2,}")


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

    def names_unknown(self, statement: str) -> bool:
        """True when the statement names something (an acronym, a capitalised name inside the
        sentence) that the conditions never mention: « le fichier AGIRA », « la Sécurité routière »."""
        names = _NAME.findall(statement[1:])
        return any(words_of(name) - self.vocabulary for name in names)

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
            return unknown("Aucun chiffre vérifiable dans la phrase.")
        if is_question(statement):
            return unknown("Question posée au client : ce n'est pas une affirmation du conseiller.")
        if is_reported(statement):
            return unknown("Reformulation des propos du client : ce n'est pas une affirmation du conseiller.")
        general_only = not insurer_applies or about_other_insurer(statement, previous_client)
        ruled = check_rules(statement, product=product, general_only=general_only, rules=self.rules)
        if ruled is not None:
            return self._ruled(ruled, statement, previous_client, general_only)
        structured = compare(
            statement, self.facts, product=product, general_only=general_only, case_formulas=formulas
        )
        if structured.status != "unknown" and not is_hedged(statement):
            return self._structured(structured, statement, previous_client)
        return check_by_reading(
            self.retriever, statement, claimed, product=product, general_only=general_only,
            previous_client=previous_client, candidates=self.candidates,
        )  # fmt: skip

    def _ruled(
        self, found: RuleVerdict, statement: str, previous_client: str, general_only: bool
    ) -> FactCheckResult:
        """The verdict of a fixed rule (`knowledge.fact_rules`); a differing figure is only « à
        vérifier » when guessed, the client's own case, said of another insurer's practice, or
        about something the conditions never speak of."""
        rule, claimed = found.rule, found.claimed
        article = self.retriever.get(rule.article)
        if found.status == "agrees":
            return FactCheckResult(
                status="agrees", article_id=article.id, article_title=article.title,
                explanation=conforming(article, rule.explanation), scope=rule.scope,
            )  # fmt: skip
        if given_by_client([claimed], previous_client):
            return unknown(CLIENT_FIGURE)
        doubtful = general_only or is_hedged(statement) or is_uncertain(statement)
        # a name the conditions never use (« fichier AGIRA ») may put the figure under another rule
        doubtful = doubtful or self.names_unknown(statement)
        why = mismatch(claimed.written, article, expected_text(rule), rule.explanation)
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
        if status == "contradicts" and given_by_client([claimed], previous_client):
            return unknown(CLIENT_FIGURE)
        if status == "contradicts" and self.outside_conditions(statement, f"{fact.sentence} {fact.heading}"):
            status = "to_verify"
        article = self.retriever.get(fact.article_id)
        return judged(status, [claimed], article, fact.sentence, [fact.figure])
