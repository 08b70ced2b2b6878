"""The persistent chromadb index: built once, reopened as is, rebuilt when the corpus changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from crca.settings import load_settings
from knowledge.corpus import corpus_fingerprint, load_corpus
from knowledge.embedding import EMBEDDING_NAME, SentenceEncoderFunction, encode, load_encoder
from knowledge.index import COLLECTION_NAME, EMBEDDING_LAYOUT, chroma_client, embedded_text, head_text
from knowledge.retriever import ConditionRetriever

FIXTURE = Path(__file__).parent / "fixtures" / "knowledge"

EXTRA_ARTICLE = """
  - id: MRH-BDG-01
    title: Bris de glace au domicile
    keywords: [vitre, baie vitrée]
    text: >-
      Nous remboursons le remplacement des vitres, baies vitrées et vérandas brisées du logement
      assuré. La franchise bris de glace habitation est de 80 €.
"""


@pytest.fixture(scope="session")
def encoder() -> object:
    """Load the sentence encoder once for the whole session (about 1.5 s)."""
    return load_encoder()


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A private copy of the fixture corpus that a test may edit."""
    target = tmp_path / "conditions"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture
def no_default_embedding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail loudly if chromadb falls back to its default ONNX model (it would download it)."""
    from chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 import ONNXMiniLM_L6_V2

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("chromadb used its default embedding function")

    monkeypatch.setattr(ONNXMiniLM_L6_V2, "__call__", refuse)
    monkeypatch.setattr(ONNXMiniLM_L6_V2, "_download_model_if_not_exists", refuse)


def test_build_then_reopen_without_rebuild(encoder, crca_home, corpus_dir, no_default_embedding):
    settings = load_settings()
    first = ConditionRetriever.open(settings, directory=corpus_dir)
    assert first.report.action == "built"
    assert first.report.count == len(load_corpus(corpus_dir)) == 7
    assert first.report.path == crca_home / "chroma"

    again = ConditionRetriever.open(settings, directory=corpus_dir)
    assert again.report.action == "unchanged"
    assert again.report.count == 7
    assert again.search("pare-brise fendu", k=1)[0].article_id == "AUTO-BDG-01"


def test_fresh_client_with_explicit_function_sees_the_same_collection(
    encoder, crca_home, corpus_dir, no_default_embedding
):
    ConditionRetriever.open(load_settings(), directory=corpus_dir)
    client = chroma_client(crca_home / "chroma")
    collection = client.get_collection(COLLECTION_NAME, embedding_function=SentenceEncoderFunction())
    assert collection.count() == 7
    assert collection.metadata["fingerprint"] == corpus_fingerprint(corpus_dir)
    assert collection.configuration_json["embedding_function"]["name"] == EMBEDDING_NAME
    found = collection.query(query_texts=["fuite d'eau dans la salle de bains"], n_results=1)
    assert found["ids"][0] == ["MRH-DDE-01"]


def test_rebuilt_when_the_corpus_changes(encoder, crca_home, corpus_dir, no_default_embedding):
    settings = load_settings()
    ConditionRetriever.open(settings, directory=corpus_dir)
    habitation = corpus_dir / "habitation.yaml"
    habitation.write_text(habitation.read_text(encoding="utf-8") + EXTRA_ARTICLE, encoding="utf-8")

    reopened = ConditionRetriever.open(settings, directory=corpus_dir)
    assert reopened.report.action == "rebuilt"
    assert reopened.report.count == 8
    assert reopened.get("MRH-BDG-01").product == "habitation"
    hits = reopened.search("ma baie vitrée est brisée", product="habitation", k=1)
    assert hits[0].article_id == "MRH-BDG-01"


def test_force_rebuilds_an_up_to_date_index(encoder, crca_home, corpus_dir):
    ConditionRetriever.open(load_settings(), directory=corpus_dir)
    forced = ConditionRetriever.open(load_settings(), directory=corpus_dir, force=True)
    assert forced.report.action == "rebuilt"
    assert forced.report.count == 7


def test_the_embedding_function_returns_normalised_512_vectors(encoder):
    vectors = SentenceEncoderFunction()(["franchise dégât des eaux", "pare-brise fendu"])
    assert len(vectors) == 2
    assert all(len(v) == 512 for v in vectors)
    assert all(abs(float((v**2).sum()) - 1.0) < 1e-3 for v in vectors)


def test_each_article_vector_sums_its_head_and_passage_views(encoder, crca_home, corpus_dir):
    ConditionRetriever.open(load_settings(), directory=corpus_dir)
    collection = chroma_client(crca_home / "chroma").get_collection(
        COLLECTION_NAME, embedding_function=SentenceEncoderFunction()
    )
    assert collection.metadata["layout"] == EMBEDDING_LAYOUT
    article = next(a for a in load_corpus(corpus_dir) if a.id == "MRH-DDE-01")
    head, passage = encode([head_text(article), embedded_text(article)])
    stored = np.asarray(collection.get(ids=["MRH-DDE-01"], include=["embeddings"])["embeddings"][0])
    assert np.allclose(stored, (head + passage) / np.linalg.norm(head + passage), atol=1e-5)
    assert not np.allclose(stored, passage, atol=1e-3)


def test_a_store_embedded_another_way_is_rebuilt(encoder, crca_home, corpus_dir):
    ConditionRetriever.open(load_settings(), directory=corpus_dir)
    collection = chroma_client(crca_home / "chroma").get_collection(
        COLLECTION_NAME, embedding_function=SentenceEncoderFunction()
    )
    collection.modify(metadata={"fingerprint": corpus_fingerprint(corpus_dir), "layout": "passage-only"})
    reopened = ConditionRetriever.open(load_settings(), directory=corpus_dir)
    assert reopened.report.action == "rebuilt"
    assert reopened.search("pare-brise fendu", k=1)[0].article_id == "AUTO-BDG-01"
