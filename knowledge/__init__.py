"""Sample contract conditions and their retrieval.

The public names are re-exported lazily so that `crca --help` does not pay for bm25s and numpy.
"""

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Article": "knowledge.corpus",
    "CorpusError": "knowledge.corpus",
    "Document": "knowledge.corpus",
    "corpus_fingerprint": "knowledge.corpus",
    "load_corpus": "knowledge.corpus",
    "ConditionRetriever": "knowledge.retriever",
    "Hit": "knowledge.retriever",
    "UnknownProductError": "knowledge.retriever",
    "FactChecker": "knowledge.factcheck",
    "FactCheckResult": "knowledge.fact_result",
    "extract_claims": "knowledge.fact_claims",
    "open_fact_checker": "knowledge.factory",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'knowledge' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
