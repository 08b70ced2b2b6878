"""Hybrid search over the contract conditions: sentence vectors + BM25, fused by reciprocal rank.

Vectors catch paraphrases ("mon pare-brise est fendu" → bris de glace); BM25 catches the exact
terms of the trade (franchise, carence, loi Hamon). Reciprocal rank fusion needs no score
calibration between the two, which is why it is used rather than a weighted sum of scores.
Both sides read the query as `knowledge.understanding` expands it (everyday words, slips,
stories), and a third ranking, the best-matching sentence of each article, re-ranks the fused
candidates and names the passage that answers.

The vectors live in the chromadb store; search reads a snapshot of them kept beside it
(`knowledge.index.SearchVectors`), so a new process answers without importing chromadb.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Literal, get_args

import numpy as np
from pydantic import BaseModel, Field

from crca.settings import Settings, load_settings
from knowledge.corpus import CONDITIONS_DIR, Article, ProductTag, corpus_fingerprint, load_corpus
from knowledge.index import (
    IndexReport,
    SearchVectors,
    load_search_vectors,
    open_collection,
    save_search_vectors,
    search_vectors,
)
from knowledge.keyword import KeywordIndex
from knowledge.text import words
from knowledge.understanding import QueryUnderstanding, UnderstoodQuery

PRODUCTS: tuple[str, ...] = get_args(ProductTag)
SearchMode = Literal["hybrid", "vector", "keyword"]
# Tuned on knowledge/queries.yaml and queries-everyday-dev.yaml with benchmarks/retrieval.py.
RRF_K = 20
VECTOR_WEIGHT = 1.0
KEYWORD_WEIGHT = 1.0
PASSAGE_WEIGHT = 0.0  # measured at 0.5 and 1.0: lower recall on every set (docs/knowledge.md)
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
    passage: str = Field(default="", description="The sentence of `text` that answers best, verbatim.")


class ConditionRetriever:
    """Search and lookup over the indexed contract conditions."""

    def __init__(self, vectors: SearchVectors, articles: tuple[Article, ...], report: IndexReport) -> None:
        self._articles = articles
        self._position = {a.id: i for i, a in enumerate(articles)}
        order = [vectors.ids.index(a.id) for a in articles] if vectors.ids != tuple(self._position) else None
        self._vectors = vectors.articles if order is None else vectors.articles[order]
        self._passages, self._spans = vectors.passages, vectors.spans
        owners = vectors.spans[:, 0]
        self._owner = (
            owners if order is None else np.asarray([self._position[vectors.ids[i]] for i in owners])
        )
        self._keyword = KeywordIndex(articles)
        self._understanding = QueryUnderstanding(
            w for a in articles for w in words(" ".join([a.title, a.text, *a.keywords, *a.aliases]))
        )
        self.report = report

    @classmethod
    def open(
        cls, settings: Settings | None = None, *, directory: Path = CONDITIONS_DIR, force: bool = False
    ) -> ConditionRetriever:
        """Open the persistent index under `settings.home / "chroma"`, building it if needed."""
        started = time.perf_counter()
        settings = settings or load_settings()
        store, fingerprint, articles = (
            settings.home / "chroma",
            corpus_fingerprint(directory),
            load_corpus(directory),
        )
        vectors = None if force else load_search_vectors(store, fingerprint)
        if vectors is None:
            collection, report = open_collection(store, directory, force=force)
            vectors = search_vectors(collection, articles)
            save_search_vectors(store, vectors, fingerprint)
        else:
            seconds = time.perf_counter() - started
            report = IndexReport(
                action="unchanged",
                count=len(vectors.ids),
                fingerprint=fingerprint,
                seconds=seconds,
                path=store,
            )
        return cls(vectors, articles, report)

    @property
    def articles(self) -> tuple[Article, ...]:
        return self._articles

    def get(self, article_id: str) -> Article:
        """The article with this id; KeyError if there is none."""
        return self._articles[self._position[article_id]]

    def understand(self, query: str) -> UnderstoodQuery:
        """The query with the insurance words its everyday wording stands for."""
        return self._understanding.understand(query)

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
        expanded = self.understand(query).expanded
        from knowledge.encoder import encode

        vector = np.asarray(encode([expanded])[0], dtype=np.float32)
        sentences = self._passages @ vector
        ranked: dict[int, float]
        if mode == "vector":
            ranked = _top(np.where(allowed, self._vectors @ vector, -np.inf), k)
        elif mode == "keyword":
            ranked = _top(np.where(allowed, self._keyword.scores(expanded), 0.0), k, positive=True)
        else:
            best_sentence = np.full(len(self._articles), -np.inf, dtype=np.float32)
            np.maximum.at(best_sentence, self._owner, sentences)
            ranked = _rrf(
                [
                    (
                        list(_top(np.where(allowed, self._vectors @ vector, -np.inf), CANDIDATES)),
                        VECTOR_WEIGHT,
                    ),
                    (
                        list(_top(np.where(allowed, self._keyword.scores(expanded), 0.0), CANDIDATES, True)),
                        KEYWORD_WEIGHT,
                    ),
                    (list(_top(np.where(allowed, best_sentence, -np.inf), CANDIDATES)), PASSAGE_WEIGHT),
                ]
            )
        best = sorted(ranked.items(), key=lambda item: -item[1])[:k]
        return [self._hit(position, score, sentences) for position, score in best]

    def _allowed(self, product: str | None, document: str | None) -> np.ndarray:
        mask = np.ones(len(self._articles), dtype=bool)
        for i, article in enumerate(self._articles):
            if product is not None and article.product not in (product, "commun"):
                mask[i] = False
            if document is not None and article.document != document:
                mask[i] = False
        return mask

    def _hit(self, position: int, score: float, sentences: np.ndarray) -> Hit:
        a = self._articles[position]
        rows = np.flatnonzero(self._owner == position)
        passage = ""
        if len(rows):
            _, start, end = self._spans[rows[int(np.argmax(sentences[rows]))]]
            passage = a.text[start:end]
        return Hit(
            article_id=a.id,
            title=a.title,
            product=a.product,
            document=a.document,
            text=a.text,
            score=round(float(score), 6),
            passage=passage,
        )


def _top(scores: np.ndarray, n: int, positive: bool = False) -> dict[int, float]:
    """Positions → score of the n best, best first; only finite (and, if asked, positive) scores."""
    order = np.argsort(-scores, kind="stable")[:n]
    return {
        int(i): float(scores[i]) for i in order if np.isfinite(scores[i]) and (scores[i] > 0 or not positive)
    }


def _rrf(rankings: list[tuple[list[int], float]], k: int | None = None) -> dict[int, float]:
    """Reciprocal rank fusion: sum of weight / (k + rank) over the rankings an item appears in."""
    k = RRF_K if k is None else k
    fused: dict[int, float] = {}
    for ranking, weight in rankings:
        if not weight:
            continue
        for rank, position in enumerate(ranking, start=1):
            fused[position] = fused.get(position, 0.0) + weight / (k + rank)
    return fused
