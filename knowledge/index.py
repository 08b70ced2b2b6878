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

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

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
    """A client that never phones home: of the chroma server at `CRCA_CHROMA_URL` when set (several
    app processes share one index), else persistent in `path`."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from crca.settings import load_settings

    settings = ChromaSettings(anonymized_telemetry=False)
    url = load_settings().chroma_url
    if url:
        server = urlsplit(url)
        https = server.scheme == "https"
        port = server.port or (443 if https else 8000)
        return chromadb.HttpClient(host=server.hostname or "", port=port, ssl=https, settings=settings)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def head_text(article: Article) -> str:
    """The title carries the topic, keywords and aliases the client's words."""
    terms = article.keywords + article.aliases
    return f"{article.title} ({', '.join(terms)})" if terms else article.title


def embedded_text(article: Article) -> str:
    """The whole passage as the encoder sees it, head first."""
    return f"{head_text(article)}. {article.text}"


def article_vectors(articles: Sequence[Article]) -> np.ndarray:
    """One unit vector per article: the normalised sum of its head and passage embeddings."""
    from knowledge.encoder import encode

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


SNAPSHOT_FILE = "search-vectors.npz"


@dataclass(frozen=True)
class SearchVectors:
    """What search reads from the index, without chromadb: one unit vector per article."""

    ids: tuple[str, ...]
    articles: np.ndarray
    """(articles, 512) unit vectors, in `ids` order."""


def search_vectors(collection: Any, articles: Sequence[Article]) -> SearchVectors:
    """The collection's article vectors, in corpus order."""
    ids = tuple(a.id for a in articles)
    stored = collection.get(ids=list(ids), include=["embeddings"]) if ids else {"ids": [], "embeddings": []}
    by_id = dict(zip(stored["ids"], stored["embeddings"], strict=True))
    return SearchVectors(
        ids=ids, articles=np.asarray([by_id[i] for i in ids], dtype=np.float32).reshape(len(ids), -1)
    )


def _stamp(store: Path) -> str:
    """Changes whenever chromadb writes its store (a rebuild, a metadata change)."""
    files = sorted(p for p in store.glob("*.sqlite3") if p.is_file())
    return ";".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)


def save_search_vectors(store: Path, vectors: SearchVectors, fingerprint: str) -> None:
    """Kept beside the chromadb store, stamped with the corpus fingerprint and the store's state."""
    partial = store / f"{SNAPSHOT_FILE}.{os.getpid()}.tmp.npz"
    key = np.asarray(f"{fingerprint}|{EMBEDDING_LAYOUT}|{_stamp(store)}")
    np.savez(partial, ids=np.asarray(vectors.ids), articles=vectors.articles, key=key)
    partial.replace(store / SNAPSHOT_FILE)


def load_search_vectors(store: Path, fingerprint: str) -> SearchVectors | None:
    """The snapshot when it matches the corpus and the store as they are now, else None."""
    try:
        with np.load(store / SNAPSHOT_FILE, allow_pickle=False) as z:
            if str(z["key"]) != f"{fingerprint}|{EMBEDDING_LAYOUT}|{_stamp(store)}":
                return None
            return SearchVectors(ids=tuple(str(i) for i in z["ids"]), articles=z["articles"])
    except (OSError, KeyError, ValueError):
        return None
