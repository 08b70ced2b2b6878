"""BM25 keyword ranking over the articles, with French-aware tokens (see `knowledge.text`).

Rebuilt in memory at every open: a few hundred articles index in milliseconds, so only the vector
side needs a persistent store.
"""

from __future__ import annotations

from collections.abc import Sequence

import bm25s
import numpy as np

from knowledge.corpus import Article
from knowledge.text import tokenize


def article_tokens(article: Article) -> list[str]:
    """Title, keywords and aliases count twice: they name the topic the client asks about."""
    head = f"{article.title} {' '.join(article.keywords + article.aliases)}"
    return tokenize(head) * 2 + tokenize(article.text)


class KeywordIndex:
    """BM25 scores of every article for a query."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self._bm25 = bm25s.BM25()
        self._size = len(articles)
        if articles:
            self._bm25.index([article_tokens(a) or [""] for a in articles], show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        """One non-negative score per article (corpus order); zeros when nothing matches."""
        if not self._size:
            return np.zeros(0, dtype=np.float32)
        vocab = self._bm25.vocab_dict
        tokens = [t for t in tokenize(query) if t in vocab and t]
        if not tokens:
            return np.zeros(self._size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
