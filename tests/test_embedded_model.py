"""The embedded default: pinned model file and the real llama.cpp server."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel

from crca.llm import LLMError, chat_model, stream_text, structured_call
from crca.llm.embedded import MODEL_SIZE, ensure_model, verify_model
from crca.settings import EmbeddedSettings, load_settings


def test_verify_accepts_pinned_hash_and_stamps(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF test bytes")
    verify_model(model, hashlib.sha256(b"GGUF test bytes").hexdigest())
    assert model.with_suffix(".sha256").exists()


def test_verify_refuses_mismatching_file(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"corrupted")
    with pytest.raises(LLMError, match="corrompu"):
        verify_model(model, "0" * 64)


def test_stamp_is_invalidated_when_file_changes(tmp_path: Path) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"v1")
    verify_model(model, hashlib.sha256(b"v1").hexdigest())
    model.write_bytes(b"v2-longer")
    with pytest.raises(LLMError):
        verify_model(model, hashlib.sha256(b"v1").hexdigest())


def test_missing_custom_model_path_is_explained(tmp_path: Path) -> None:
    with pytest.raises(LLMError, match="introuvable"):
        ensure_model(EmbeddedSettings(model_path=tmp_path / "absent.gguf"))


def test_assembled_model_has_the_pinned_size() -> None:
    path = ensure_model(load_settings().embedded)
    assert path.stat().st_size == MODEL_SIZE


class Answer(BaseModel):
    explanation: str
    answer: str


@pytest.mark.embedded
def test_embedded_model_speaks_french_and_returns_valid_json(crca_home: Path) -> None:
    model = chat_model("grader")
    text = "".join(
        stream_text(
            model,
            [
                SystemMessage(content="Tu es un client d'une compagnie d'assurance. Réponds en français."),
                HumanMessage(content="Bonjour, que puis-je faire pour vous ?"),
            ],
            max_tokens=40,
        )
    )
    lowered = f" {text.lower()} "
    assert any(w in lowered for w in (" je ", " bonjour", " mon ", " ma ", " votre ", " pour ", " de "))
    result = structured_call(
        model,
        [HumanMessage(content="Le mot « sinistre » est-il français ? Explique puis réponds oui ou non.")],
        Answer,
    )
    assert result.explanation.strip()
    assert result.answer.strip()
