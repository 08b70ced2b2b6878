"""The structured-call path and the scripted backend (deterministic unit tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage
from pydantic import BaseModel

from crca.llm import LLMError, ScriptedChatModel, StructuredOutputError, chat_model, structured_call
from crca.llm.scripted import load_script
from crca.llm.structured import extract_json
from crca.settings import load_settings


class Check(BaseModel):
    explanation: str
    answer: str


ASK = [HumanMessage(content="Le conseiller se présente-t-il ?")]


def test_valid_reply_is_parsed_and_schema_is_sent() -> None:
    model = ScriptedChatModel(replies=['{"explanation": "Tour 0", "answer": "oui"}'])
    assert structured_call(model, ASK, Check) == Check(explanation="Tour 0", answer="oui")
    kwargs = model.calls[0][1]
    assert kwargs["response_format"]["json_schema"]["name"] == "Check"


def test_reply_wrapped_in_prose_and_fences_is_accepted() -> None:
    reply = 'Voici :\n```json\n{"explanation": "ok", "answer": "non"}\n```\nVoilà.'
    assert structured_call(ScriptedChatModel(replies=[reply]), ASK, Check).answer == "non"


def test_bad_reply_is_retried_with_the_reason() -> None:
    model = ScriptedChatModel(replies=['{"explanation": "x"}', '{"explanation": "x", "answer": "oui"}'])
    assert structured_call(model, ASK, Check, retries=1).answer == "oui"
    retry_messages = model.calls[1][0]
    assert "answer" in retry_messages[-1].content  # the validation problem is named
    assert retry_messages[: len(ASK)] == ASK  # the original prompt is kept as the prefix


def test_persistent_garbage_raises_explicit_error() -> None:
    model = ScriptedChatModel(replies=["je ne sais pas"])
    with pytest.raises(StructuredOutputError, match="2 essais"):
        structured_call(model, ASK, Check, retries=1)
    assert len(model.calls) == 2


@pytest.mark.parametrize("text", ["", "pas de json", "} {"])
def test_extract_json_rejects_text_without_object(text: str) -> None:
    with pytest.raises(ValueError):
        extract_json(text)


def test_scripted_stream_reassembles_reply() -> None:
    model = ScriptedChatModel(replies=["Bonjour, je vous appelle pour mon contrat."])
    pieces = [chunk.content for chunk in model.stream(ASK)]
    assert len(pieces) > 1 and "".join(pieces) == "Bonjour, je vous appelle pour mon contrat."


def test_scripted_backend_from_settings(tmp_path: Path, monkeypatch, crca_home) -> None:
    script = tmp_path / "replies.yaml"
    script.write_text("- " + json.dumps('{"explanation": "a", "answer": "oui"}') + "\n- Bonjour\n")
    monkeypatch.setenv("CRCA_GRADER__BACKEND", "scripted")
    monkeypatch.setenv("CRCA_GRADER__SCRIPT", str(script))
    model = chat_model("grader", load_settings())
    assert structured_call(model, ASK, Check).answer == "oui"
    assert model.invoke(ASK).content == "Bonjour"


def test_scripted_backend_without_script_is_explained(monkeypatch, crca_home) -> None:
    monkeypatch.setenv("CRCA_CLIENT__BACKEND", "scripted")
    with pytest.raises(LLMError, match="CRCA_CLIENT__SCRIPT"):
        chat_model("client", load_settings())


def test_script_file_must_hold_strings(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("replies: [1, 2]\n")
    with pytest.raises(ValueError, match="bad.yaml"):
        load_script(bad)
