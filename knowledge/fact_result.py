"""The fact-check verdict and its French explanation, shared by every way of reaching one.

Why apart: the fixed rules, the fact table and the older sentence reading each end in the same
result, worded alike for the trainer (« Conforme à l'article… », « Le chiffre annoncé… »).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from knowledge.corpus import Article
from knowledge.fact_scope import is_general_rule
from knowledge.figures import Figure, extract_figures

Status = Literal["agrees", "contradicts", "to_verify", "unknown"]
CLIENT_FIGURE = "Chiffre donné par le client, repris par le conseiller : rien à vérifier."


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


def unknown(why: str) -> FactCheckResult:
    """No verdict, with the reason shown to the trainer."""
    return FactCheckResult(status="unknown", explanation=why)


def given_by_client(claimed: list[Figure], previous_client: str) -> bool:
    """True when the advisor repeats a figure of the client's line: no claim about the conditions."""
    given = extract_figures(previous_client)
    return any(c.same_as(g) for c in claimed for g in given)


def conforming(article: Article, why: str) -> str:
    return f"Conforme à l'article {article.id} ({article.title}) : {why}"


def mismatch(said: str, article: Article, expected: str, why: str) -> str:
    return (
        f"Le chiffre annoncé ({said}) ne correspond pas à l'article {article.id} "
        f"({article.title}), qui indique {expected} : {why}"
    )


def judged(
    status: Status, claimed: list[Figure], article: Article, sentence: str, expected: list[Figure]
) -> FactCheckResult:
    """The verdict against an article's sentence, quoting it."""
    quote = f"« {sentence} »"
    if status == "agrees":
        explanation = conforming(article, quote)
    elif status in ("contradicts", "to_verify"):
        said = ", ".join(f.written for f in claimed)
        explanation = mismatch(said, article, ", ".join(f.written for f in expected), quote)
        if status == "to_verify":
            explanation = "À vérifier (correspondance incertaine) : " + explanation
    else:
        explanation = (
            f"Chiffre non vérifiable avec certitude ; l'article {article.id} ({article.title}) "
            f"traite d'un point voisin : {quote}"
        )
    scope = "general" if is_general_rule(article.id) else "contract"
    return FactCheckResult(
        status=status, article_id=article.id, article_title=article.title, explanation=explanation,
        scope=scope,
    )  # fmt: skip
