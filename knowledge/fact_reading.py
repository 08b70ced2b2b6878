"""The older fact check, kept as the fallback: the best sentence of the retrieved articles.

Precise rather than eager: a statement is judged only when it names a known topic (franchise,
délai, plafond...), carries a figure, and a retrieved article has a sentence on that topic with a
figure of the same kind and unit. Anything less is "unknown", which the grader treats as no
evidence either way. It runs only when neither a fixed rule (`knowledge.fact_rules`) nor the fact
table (`knowledge.fact_compare`) reaches a verdict.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from crca.text import fold, sentences
from knowledge.corpus import Article
from knowledge.fact_certainty import distinctive_words, is_hedged, same_formula, same_quantity, same_subject
from knowledge.fact_claims import TOPICS, around, bound_topics, topics
from knowledge.fact_qualifiers import is_former, other_case
from knowledge.fact_result import CLIENT_FIGURE, FactCheckResult, Status, given_by_client, judged, unknown
from knowledge.fact_scope import about_delegation, is_delegation_article, is_general_rule
from knowledge.fact_table import clause_of, labelled_clause
from knowledge.figures import Figure, extract_figures
from knowledge.retriever import ConditionRetriever
from knowledge.text import tokenize

# Topics whose figures are rules of the contract. A premium or an indemnity quoted to a client is
# computed for that case: it differs from an article's example figure without contradicting it.
RULE_TOPICS = set(TOPICS) - {"cotisation", "indemnisation"}
# Unit words say nothing about which sentence governs the statement.
_UNIT_TOKENS = {"jour", "moi", "mois", "an", "annee", "euro", "eur", "heur", "semain", "ouvr", "calendair"}
MIN_SCORE = 3
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
# Words before an article's figure that make it a maximum ("dans les 30 jours", "jusqu'à 8 000 €").
_UPPER_BOUND = re.compile(
    r"(dans les|dans un delai de|sous|au plus tard|au maximum|maximum de|jusqu'a|dans la limite de)\s*$"
)
# Words that make a statement about coefficients a rule rather than one client's figures.
_RULE_MARKER = re.compile(
    r"jamais|ne peut|minimum|maximum|plancher|plafond|au-dessous|en dessous|descend|au plus|au moins"
)


class Reading(BaseModel):
    """A sentence of an article that speaks about the statement's topic with comparable figures."""

    article: Article
    sentence: str
    figures: list[Figure]
    score: int
    rank: int


def _within_bound(claimed: Figure, sentence: str, governing: Figure) -> bool:
    """True when the article's figure is a maximum and the claimed figure stays within it."""
    before = fold(sentence)[: governing.start]
    return bool(_UPPER_BOUND.search(before[-30:])) and claimed.value <= governing.value


def _directions(window: str) -> set[str]:
    return {name for name, cues in _DIRECTIONS.items() if any(cue in window for cue in cues)}


def _opposite(statement: str, figure: Figure, sentence: str, governing: Figure) -> bool:
    """True when one figure is a reduction and the other an increase (a bonus rate vs a malus rate)."""
    mine, theirs = _directions(around(statement, figure)), _directions(around(sentence, governing))
    return bool(mine and theirs and not mine & theirs)


def _certain(statement: str, figure: Figure, reading: Reading, comparable: list[Figure]) -> bool:
    """Same rule, same quantity: a plain assertion whose figure and the article's are named by a
    shared distinctive word, about the formula the sentence speaks of (`knowledge.fact_certainty`)."""
    article = reading.article
    if is_hedged(statement) or not same_formula(statement, reading.sentence, article.text):
        return False
    heading = distinctive_words(f"{reading.sentence} {article.title} {' '.join(article.keywords)}")
    return same_subject(statement, heading) and any(
        same_quantity(statement, figure, reading.sentence, f) for f in comparable
    )


def _alike(statement: str, figure: Figure, sentence: str, governing: Figure) -> bool:
    """True when the two equal figures are said of the same case: no exclusive qualifiers set
    them apart and the article's is no former rule (`knowledge.fact_qualifiers`)."""
    claim, clause = clause_of(statement, figure), labelled_clause(sentence, governing)
    return not is_former(clause) and not other_case(claim, statement, clause, sentence)


def _content(text: str) -> set[str]:
    return {t for t in tokenize(text) if not t.isdigit() and t not in _UNIT_TOKENS}


def read_articles(
    retriever: ConditionRetriever,
    statement: str,
    claimed: list[Figure],
    subject: set[str],
    *,
    product: str | None,
    candidates: int,
) -> list[Reading]:
    """The sentences of the retrieved articles on the statement's topic with comparable figures."""
    words = _content(statement)
    found: list[Reading] = []
    hits = retriever.search(statement, product=product, k=candidates)
    for rank, hit in enumerate(hits):
        article = retriever.get(hit.article_id)
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
                reading = Reading(article=article, sentence=sentence, figures=figures, score=score, rank=rank)
                found.append(reading)
    return found


def reading_verdict(statement: str, claimed: list[Figure], reading: Reading) -> Status:
    """Agrees if every figure is in the governing sentence; contradicts only if a figure that
    measures a contract rule differs from the article's figure for that same rule, and none
    of the statement's figures agrees with it (a mixed reading is a paraphrase or another case)."""
    statuses: set[Status] = set()
    elsewhere = extract_figures(reading.article.text, about_coefficients=True)
    for figure in claimed:
        comparable = [f for f in reading.figures if figure.comparable(f)]
        if not comparable:
            continue
        if any(figure.same_as(f) and _alike(statement, figure, reading.sentence, f) for f in comparable):
            statuses.add("agrees")
        elif any(figure.same_as(f) for f in comparable):
            statuses.add(
                "unknown"
            )  # the value is there, for another case (« portée à 1 520 € pour la sécheresse »)
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
        elif reading.score >= MIN_CONTRADICTION_SCORE and _certain(statement, figure, reading, comparable):
            statuses.add("contradicts")  # the same quantity named alike: "franchise tempête"
        else:
            statuses.add("unknown")  # not the same measure: the age of a sofa is no deadline
    if statuses == {"contradicts"} or statuses == {"contradicts", "unknown"}:
        return "contradicts"
    if "to_verify" in statuses and "agrees" not in statuses:
        return "to_verify"
    return "agrees" if statuses == {"agrees"} else "unknown"


def check_by_reading(
    retriever: ConditionRetriever,
    statement: str,
    claimed: list[Figure],
    *,
    product: str | None,
    general_only: bool,
    previous_client: str,
    candidates: int,
) -> FactCheckResult:
    """The verdict of the best-scoring sentences; `general_only` keeps only general rules' articles."""
    subject = topics(statement)
    if not subject:
        return unknown("Le sujet du chiffre (franchise, délai, plafond...) n'est pas identifié.")
    readings = read_articles(retriever, statement, claimed, subject, product=product, candidates=candidates)
    if readings and general_only:
        readings = [r for r in readings if is_general_rule(r.article.id)]
        if not readings:
            return unknown("Conditions d'un autre assureur : non vérifiable avec les conditions du corpus.")
    if not readings:
        return unknown("Aucun article des conditions ne donne de chiffre sur ce point.")
    best = max(r.score for r in readings)
    top = [r for r in readings if r.score == best]
    verdicts = {reading_verdict(statement, claimed, r) for r in top}
    if len(verdicts) > 1:
        ids = ", ".join(sorted({r.article.id for r in top}))
        return unknown(f"Plusieurs passages ({ids}) donnent des chiffres différents.")
    reading = min(top, key=lambda r: r.rank)
    status = verdicts.pop()
    if status == "contradicts" and not any(f.kind == "coefficient" for f in claimed):
        status = "to_verify"  # the structured comparison (no coefficients) found no certain one
    if status == "contradicts" and given_by_client(claimed, previous_client):
        return unknown(CLIENT_FIGURE)
    return judged(status, claimed, reading.article, reading.sentence, reading.figures)
