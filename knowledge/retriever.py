"""Hybrid search over the contract conditions: sentence vectors + BM25, fused by reciprocal rank.

Vectors catch paraphrases ("mon pare-brise est fendu" → bris de glace); BM25 catches the exact
terms of the trade (franchise, carence, loi Hamon). Reciprocal rank fusion needs no score
calibration between the two, which is why it is used rather than a weighted sum of scores.
Both sides also read what `knowledge.understanding` adds to the query (everyday words, slips,
stories), without letting it outweigh what was typed, and each hit names the sentence of its
article that shares the most (IDF-weighted) search terms with that expanded query: the passage
that answers.

The vectors live in the chromadb store; search reads a snapshot of them kept beside it
(`knowledge.index.SearchVectors`), so a new process answers without importing chromadb.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from pathlib import Path
from typing import Literal, get_args

import numpy as np
from pydantic import BaseModel, Field

from crca.settings import Settings, load_settings
from crca.text import sentence_spans
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
from knowledge.text import tokenize, words
from knowledge.understanding import QueryUnderstanding, UnderstoodQuery

PRODUCTS: tuple[str, ...] = get_args(ProductTag)
SearchMode = Literal["hybrid", "vector", "keyword"]
# Tuned on knowledge/queries.yaml and queries-everyday-dev.yaml with benchmarks/retrieval.py.
RRF_K = 20
VECTOR_WEIGHT = 1.0
KEYWORD_WEIGHT = 1.0
CANDIDATES = 40
# What the understanding adds weighs half of what was typed on the keyword side: at full weight a
# wrong guess (« à partir de » read as leaving) outvoted the query's own words (docs/knowledge.md).
ADDITIONS_WEIGHT = 0.5


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
        by_id = dict(zip(vectors.ids, vectors.articles, strict=True))
        self._vectors = np.asarray([by_id[a.id] for a in articles], dtype=np.float32).reshape(
            len(articles), -1
        )
        self._keyword = KeywordIndex(articles)
        self._passages = SentencePicker(articles)
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
        understood = self.understand(query)
        similarity = np.where(allowed, self._vectors @ _query_vector(understood), -np.inf)
        bm25 = self._keyword.scores(query)
        if understood.additions:
            bm25 = bm25 + ADDITIONS_WEIGHT * self._keyword.scores(understood.additions)
        bm25 = np.where(allowed, bm25, 0.0)
        ranked: dict[int, float]
        if mode == "vector":
            ranked = _top(similarity, k)
        elif mode == "keyword":
            ranked = _top(bm25, k, positive=True)
        else:
            vector_side, keyword_side = _top(similarity, CANDIDATES), _top(bm25, CANDIDATES, positive=True)
            ranked = _rrf([(list(vector_side), VECTOR_WEIGHT), (list(keyword_side), KEYWORD_WEIGHT)])
        best = sorted(ranked.items(), key=lambda item: -item[1])[:k]
        terms = set(tokenize(understood.expanded))
        return [self._hit(position, score, terms) for position, score in best]

    def _allowed(self, product: str | None, document: str | None) -> np.ndarray:
        mask = np.ones(len(self._articles), dtype=bool)
        for i, article in enumerate(self._articles):
            if product is not None and article.product not in (product, "commun"):
                mask[i] = False
            if document is not None and article.document != document:
                mask[i] = False
        return mask

    def _hit(self, position: int, score: float, terms: set[str]) -> Hit:
        a = self._articles[position]
        return Hit(
            article_id=a.id,
            title=a.title,
            product=a.product,
            document=a.document,
            text=a.text,
            score=round(float(score), 6),
            passage=self._passages.best(position, terms),
        )


class SentencePicker:
    """The sentence of an article sharing the most search terms with a query, rare terms weighing more.

    Ranking articles by their best sentence's vector was measured and lowered recall (see
    docs/knowledge.md), so sentences only choose what to highlight, and words do it without
    encoding every sentence at build time.
    """

    def __init__(self, articles: tuple[Article, ...]) -> None:
        self._sentences = [
            [
                (start, end, set(tokenize(a.text[start:end])))
                for start, end in sentence_spans(a.text, lines=True)
            ]
            for a in articles
        ]
        frequency = Counter(t for sentences in self._sentences for *_, tokens in sentences for t in tokens)
        count = sum(len(s) for s in self._sentences)
        self._weight = {t: math.log(1 + count / n) for t, n in frequency.items()}
        self._texts = [a.text for a in articles]

    def best(self, position: int, terms: set[str]) -> str:
        """The best sentence, verbatim; the first one when none shares a term."""
        sentences = self._sentences[position]
        if not sentences:
            return ""
        start, end, _ = max(sentences, key=lambda s: sum(self._weight.get(t, 0.0) for t in s[2] & terms))
        return self._texts[position][start:end]


def _query_vector(understood: UnderstoodQuery) -> np.ndarray:
    """The unit mean of the typed query's and the expanded query's vectors.

    The expanded query alone lost recall on the blind everyday set: added words pull the
    sentence vector away from what was said; the typed query alone loses what the words add.
    """
    from knowledge.encoder import encode

    if not understood.additions:
        return np.asarray(encode([understood.text])[0], dtype=np.float32)
    typed, expanded = encode([understood.text, understood.expanded])
    summed = np.asarray(typed + expanded, dtype=np.float32)
    return summed / np.linalg.norm(summed)


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
        for rank, position in enumerate(ranking, start=1):
            fused[position] = fused.get(position, 0.0) + weight / (k + rank)
    return fused
