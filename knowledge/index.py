"""The persistent chromadb collection of contract articles, kept in step with the corpus.

The corpus fingerprint is stored in the collection metadata: opening the index compares it with
the files on disk and rebuilds only when they differ, so `crca index` is idempotent and a fresh
clone builds its index on first use. The way articles are embedded is versioned the same way.

Each article is stored as one vector made of two views: its head (title, keywords, aliases) and
the whole passage. The encoder, trained on sentences, matches a short question better against a
short head, while the passage carries what the head does not name; summing the two unit vectors
and renormalising gained recall on both query sets (docs/knowledge.md).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field

from knowledge.corpus import CONDITIONS_DIR, Article, corpus_fingerprint, load_corpus

COLLECTION_NAME = "conditions"
# Bump when the embedded text or the vectors change: stores built another way are rebuilt.
EMBEDDING_LAYOUT = "head+passage-1"
IndexAction = Literal["built", "rebuilt", "unchanged"]


class IndexReport(BaseModel):
    """What opening the index did."""

    action: IndexAction = Field(description="built: no index yet; rebuilt: corpus changed or forced.")
    count: int = Field(description="Articles in the collection.")
    fingerprint: str = Field(description="Corpus fingerprint the collection was built from.")
    seconds: float = Field(description="Time spent opening or building.")
    path: Path = Field(description="Directory of the chromadb store.")


def chroma_client(path: Path) -> Any:
    """A persistent client that never phones home."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


def head_text(article: Article) -> str:
    """The title carries the topic, keywords and aliases the client's words."""
    terms = article.keywords + article.aliases
    return f"{article.title} ({', '.join(terms)})" if terms else article.title


def embedded_text(article: Article) -> str:
    """The whole passage as the encoder sees it, head first."""
    return f"{head_text(article)}. {article.text}"


def article_vectors(articles: Sequence[Article]) -> np.ndarray:
    """One unit vector per article: the normalised sum of its head and passage embeddings."""
    from knowledge.embedding import encode

    summed = encode([head_text(a) for a in articles]) + encode([embedded_text(a) for a in articles])
    return summed / np.linalg.norm(summed, axis=1, keepdims=True)


def _metadata(article: Article) -> dict[str, str]:
    return {"product": article.product, "document": article.document, "title": article.title}


def open_collection(
    store: Path, directory: Path = CONDITIONS_DIR, *, force: bool = False
) -> tuple[Any, IndexReport]:
    """Open the collection, (re)building it when missing, stale or forced."""
    from knowledge.embedding import SentenceEncoderFunction

    started = time.perf_counter()
    client = chroma_client(store)
    embedder = SentenceEncoderFunction()
    fingerprint = corpus_fingerprint(directory)
    existing = {c.name for c in client.list_collections()}
    action: IndexAction = "built"
    if COLLECTION_NAME in existing:
        collection = client.get_collection(COLLECTION_NAME, embedding_function=embedder)
        metadata = collection.metadata or {}
        current = (metadata.get("fingerprint"), metadata.get("layout"))
        if current == (fingerprint, EMBEDDING_LAYOUT) and not force:
            report = IndexReport(
                action="unchanged",
                count=collection.count(),
                fingerprint=fingerprint,
                seconds=time.perf_counter() - started,
                path=store,
            )
            return collection, report
        client.delete_collection(COLLECTION_NAME)
        action = "rebuilt"
    articles = load_corpus(directory)
    collection = client.create_collection(
        COLLECTION_NAME,
        embedding_function=embedder,
        metadata={"fingerprint": fingerprint, "layout": EMBEDDING_LAYOUT, "hnsw:space": "cosine"},
    )
    if articles:
        collection.add(
            ids=[a.id for a in articles],
            embeddings=list(article_vectors(articles)),
            documents=[embedded_text(a) for a in articles],
            metadatas=[_metadata(a) for a in articles],
        )
    report = IndexReport(
        action=action,
        count=collection.count(),
        fingerprint=fingerprint,
        seconds=time.perf_counter() - started,
        path=store,
    )
    return collection, report
