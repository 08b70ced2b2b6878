"""The persistent chromadb collection of contract articles, kept in step with the corpus.

The corpus fingerprint is stored in the collection metadata: opening the index compares it with
the files on disk and rebuilds only when they differ, so `crca index` is idempotent and a fresh
clone builds its index on first use.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from knowledge.corpus import CONDITIONS_DIR, Article, corpus_fingerprint, load_corpus

COLLECTION_NAME = "conditions"
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


def embedded_text(article: Article) -> str:
    """What the encoder sees: the title carries the topic, the keywords the client's words."""
    keywords = f" ({', '.join(article.keywords)})" if article.keywords else ""
    return f"{article.title}{keywords}. {article.text}"


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
        current = (collection.metadata or {}).get("fingerprint")
        if current == fingerprint and not force:
            report = IndexReport(
                action="unchanged", count=collection.count(), fingerprint=fingerprint,
                seconds=time.perf_counter() - started, path=store,
            )
            return collection, report
        client.delete_collection(COLLECTION_NAME)
        action = "rebuilt"
    articles = load_corpus(directory)
    collection = client.create_collection(
        COLLECTION_NAME,
        embedding_function=embedder,
        metadata={"fingerprint": fingerprint, "hnsw:space": "cosine"},
    )
    if articles:
        collection.add(
            ids=[a.id for a in articles],
            documents=[embedded_text(a) for a in articles],
            metadatas=[_metadata(a) for a in articles],
        )
    report = IndexReport(
        action=action, count=collection.count(), fingerprint=fingerprint,
        seconds=time.perf_counter() - started, path=store,
    )
    return collection, report
