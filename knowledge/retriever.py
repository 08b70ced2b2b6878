"""Hybrid search over the contract conditions: chromadb vectors + BM25, fused by reciprocal rank.

Vectors catch paraphrases ("mon pare-brise est fendu" → bris de glace); BM25 catches the exact
terms of the trade (franchise, carence, loi Hamon). Reciprocal rank fusion needs no score
calibration between the two, which is why it is used rather than a weighted sum of scores.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np
from pydantic import BaseModel, Field

from crca.settings import Settings, load_settings
from knowledge.corpus import CONDITIONS_DIR, Article, ProductTag, load_corpus
from knowledge.index import IndexReport, open_collection
from knowledge.keyword import KeywordIndex

PRODUCTS: tuple[str, ...] = get_args(ProductTag)
SearchMode = Literal["hybrid", "vector", "keyword"]
# Tuned on knowledge/queries.yaml with benchmarks/retrieval.py (see docs/knowledge.md).
RRF_K = 20
VECTOR_WEIGHT = 1.0
KEYWORD_WEIGHT = 1.0
CANDIDATES = 40


class UnknownProductError(ValueError):
    """A product filter that is not one of the corpus products."""

    def __init__(self, product: str) -> None:
        super().__init__(f"produit inconnu : « {product} » (produits possibles : {', '.join(PRODUCTS)})")


class Hit(BaseModel):
    """One article found for a query, best first."""

    article_id: str = Field(description="Stable article id, e.g. AUTO-BDG-02.")
    title: str
    product: str = Field(description="auto, habitation, sante, prevoyance or commun.")
    document: str = Field(description="Id of the document the article belongs to.")
    text: str = Field(description="Full text of the article.")
    score: float = Field(description="Fused RRF score (hybrid), cosine similarity (vector) or BM25.")


class ConditionRetriever:
    """Search and lookup over the indexed contract conditions."""

    def __init__(self, collection: Any, articles: tuple[Article, ...], report: IndexReport) -> None:
        self._collection = collection
        self._articles = articles
        self._position = {a.id: i for i, a in enumerate(articles)}
        self._keyword = KeywordIndex(articles)
        self.report = report

    @classmethod
    def open(
        cls, settings: Settings | None = None, *, directory: Path = CONDITIONS_DIR, force: bool = False
    ) -> ConditionRetriever:
        """Open the persistent index under `settings.home / "chroma"`, building it if needed."""
        settings = settings or load_settings()
        collection, report = open_collection(settings.home / "chroma", directory, force=force)
        return cls(collection, load_corpus(directory), report)

    @property
    def articles(self) -> tuple[Article, ...]:
        return self._articles

    def get(self, article_id: str) -> Article:
        """The article with this id; KeyError if there is none."""
        return self._articles[self._position[article_id]]

    def search(
        self,
        query: str,
        *,
        product: str | None = None,
        k: int = 5,
        document: str | None = None,
        mode: SearchMode = "hybrid",
    ) -> list[Hit]:
        """The k best articles; a product filter keeps that product's and the common articles."""
        if product is not None and product not in PRODUCTS:
            raise UnknownProductError(product)
        allowed = self._allowed(product, document)
        if not query.strip() or not allowed.any() or k <= 0:
            return []
        ranked: dict[int, float]
        if mode == "vector":
            ranked = self._vector(query, product, document, k)
        elif mode == "keyword":
            ranked = self._keyword_ranking(query, allowed, k)
        else:
            ranked = _rrf(
                [
                    (list(self._vector(query, product, document, CANDIDATES)), VECTOR_WEIGHT),
                    (list(self._keyword_ranking(query, allowed, CANDIDATES)), KEYWORD_WEIGHT),
                ]
            )
        best = sorted(ranked.items(), key=lambda item: -item[1])[:k]
        return [self._hit(position, score) for position, score in best]

    def _allowed(self, product: str | None, document: str | None) -> np.ndarray:
        mask = np.ones(len(self._articles), dtype=bool)
        for i, article in enumerate(self._articles):
            if product is not None and article.product not in (product, "commun"):
                mask[i] = False
            if document is not None and article.document != document:
                mask[i] = False
        return mask

    def _vector(self, query: str, product: str | None, document: str | None, n: int) -> dict[int, float]:
        """Positions → cosine similarity, best first."""
        clauses: list[dict[str, Any]] = []
        if product is not None:
            clauses.append({"product": {"$in": [product, "commun"]}})
        if document is not None:
            clauses.append({"document": document})
        where = clauses[0] if len(clauses) == 1 else ({"$and": clauses} if clauses else None)
        n = min(n, len(self._articles))
        result = self._collection.query(query_texts=[query], n_results=n, where=where, include=["distances"])
        ids, distances = result["ids"][0], result["distances"][0]
        pairs = zip(ids, distances, strict=True)
        return {self._position[i]: 1.0 - d for i, d in pairs if i in self._position}

    def _keyword_ranking(self, query: str, allowed: np.ndarray, n: int) -> dict[int, float]:
        """Positions → BM25 score, best first, only articles that share a term with the query."""
        scores = np.where(allowed, self._keyword.scores(query), 0.0)
        order = np.argsort(-scores, kind="stable")[:n]
        return {int(i): float(scores[i]) for i in order if scores[i] > 0}

    def _hit(self, position: int, score: float) -> Hit:
        a = self._articles[position]
        return Hit(
            article_id=a.id,
            title=a.title,
            product=a.product,
            document=a.document,
            text=a.text,
            score=round(float(score), 6),
        )


def _rrf(rankings: list[tuple[list[int], float]], k: int | None = None) -> dict[int, float]:
    """Reciprocal rank fusion: sum of weight / (k + rank) over the rankings an item appears in."""
    k = RRF_K if k is None else k
    fused: dict[int, float] = {}
    for ranking, weight in rankings:
        for rank, position in enumerate(ranking, start=1):
            fused[position] = fused.get(position, 0.0) + weight / (k + rank)
    return fused
