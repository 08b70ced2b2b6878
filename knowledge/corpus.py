"""The sample contract conditions: YAML documents of articles with stable ids."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

CONDITIONS_DIR = Path(__file__).parent / "conditions"
# libyaml's loader when PyYAML was built with it: five times faster on the corpus, which a new
# `crca search` process reads before anything else.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ProductTag = Literal["auto", "habitation", "sante", "prevoyance", "commun"]
DocumentKind = Literal[
    "conditions_generales", "conditions_particulieres", "convention", "tarif", "reglementation"
]


class Article(BaseModel):
    """One retrievable passage."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Z]+(-[A-Z0-9]+)+$", description="Stable id, e.g. AUTO-BDG-02.")
    title: str
    text: str = Field(min_length=40)
    keywords: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(
        default_factory=list,
        description="A client's everyday words for the topic ('avait bu' for alcohol), indexed as keywords.",
    )
    product: ProductTag = "commun"
    document: str = ""
    document_kind: DocumentKind | None = None


class Document(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    product: ProductTag
    kind: DocumentKind
    articles: list[Article] = Field(min_length=1)


class CorpusError(ValueError):
    """A conditions file is malformed; the message names the file and the reason."""


def load_document(path: Path) -> Document:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        doc = Document.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise CorpusError(f"{path.name} : {exc}") from exc
    # Articles inherit their document's product, id and kind.
    inherited = {"product": doc.product, "document": doc.id, "document_kind": doc.kind}
    doc.articles = [a.model_copy(update=inherited) for a in doc.articles]
    return doc


def load_corpus(directory: Path = CONDITIONS_DIR) -> tuple[Article, ...]:
    """Every article of every document, in file order; ids must be unique.

    Cached per fingerprint, so an edited file is seen without restarting the process.
    """
    return _load_corpus(directory, corpus_fingerprint(directory))


@cache
def _load_corpus(directory: Path, fingerprint: str) -> tuple[Article, ...]:
    articles: list[Article] = []
    for path in sorted(directory.glob("*.yaml")):
        articles.extend(load_document(path).articles)
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            raise CorpusError(f"identifiant d'article en double : {article.id}")
        seen.add(article.id)
    return tuple(articles)


def article_ids(directory: Path = CONDITIONS_DIR) -> set[str]:
    return {a.id for a in load_corpus(directory)}


def corpus_fingerprint(directory: Path = CONDITIONS_DIR) -> str:
    """Changes whenever a conditions file changes: the index is rebuilt then."""
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
