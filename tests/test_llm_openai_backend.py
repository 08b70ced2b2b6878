"""The `openai` backend end to end against a local OpenAI-compatible server."""

from __future__ import annotations

import json
import socket

import pytest
from langchain_core.messages import HumanMessage
from pydantic import BaseModel

from crca.llm import LLMError, chat_model, complete_text, stream_text, structured_call, yes_no_call
from crca.settings import load_settings
from tests.openai_stub import OpenAIStub


class Verdict(BaseModel):
    explanation: str
    answer: str


@pytest.fixture
def openai_env(monkeypatch: pytest.MonkeyPatch, crca_home):
    def configure(base_url: str, **extra: str) -> None:
        monkeypatch.setenv("CRCA_CLIENT__BACKEND", "openai")
        monkeypatch.setenv("CRCA_CLIENT__BASE_URL", base_url)
        monkeypatch.setenv("CRCA_CLIENT__MODEL", "stub-model")
        monkeypatch.setenv("CRCA_CLIENT__API_KEY", "sk-test")
        for key, value in extra.items():
            monkeypatch.setenv(key, value)

    return configure


def test_plain_completion_goes_through_openai_client(openai_env) -> None:
    with OpenAIStub(lambda req: "Bonjour, ici Madame Durand.") as stub:
        openai_env(stub.base_url)
        text = complete_text(chat_model("client"), [HumanMessage(content="Allô ?")])
    assert text == "Bonjour, ici Madame Durand."
    request = stub.requests[0]
    assert request["model"] == "stub-model"
    assert request["messages"][-1] == {"role": "user", "content": "Allô ?"}
    assert request["seed"] == 42


def test_streaming_yields_pieces_in_order(openai_env) -> None:
    with OpenAIStub(lambda req: "Je voudrais déclarer un sinistre.") as stub:
        openai_env(stub.base_url)
        pieces = list(stream_text(chat_model("client"), [HumanMessage(content="Bonjour")]))
    assert len(pieces) > 1
    assert "".join(pieces) == "Je voudrais déclarer un sinistre."
    assert stub.requests[0]["stream"] is True


def test_structured_output_sends_json_schema_and_parses(openai_env) -> None:
    reply = json.dumps({"explanation": "Le conseiller se présente.", "answer": "oui"})
    with OpenAIStub(lambda req: reply) as stub:
        openai_env(stub.base_url)
        result = structured_call(chat_model("client"), [HumanMessage(content="?")], Verdict)
    assert result == Verdict(explanation="Le conseiller se présente.", answer="oui")
    fmt = stub.requests[0]["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["schema"]["required"] == ["explanation", "answer"]


def test_llama_cpp_dialect_sends_json_object_with_schema(openai_env) -> None:
    reply = json.dumps({"explanation": "x", "answer": "non"})
    with OpenAIStub(lambda req: reply) as stub:
        openai_env(stub.base_url, CRCA_CLIENT__STRUCTURED_OUTPUT="json_object")
        structured_call(chat_model("client"), [HumanMessage(content="?")], Verdict)
    fmt = stub.requests[0]["response_format"]
    assert fmt["type"] == "json_object"
    assert "answer" in fmt["schema"]["properties"]


def test_garbage_json_is_retried_then_accepted(openai_env) -> None:
    replies = iter(["ceci n'est pas du JSON", json.dumps({"explanation": "ok", "answer": "oui"})])
    with OpenAIStub(lambda req: next(replies)) as stub:
        openai_env(stub.base_url)
        result = structured_call(chat_model("client"), [HumanMessage(content="?")], Verdict)
    assert result.answer == "oui"
    assert len(stub.requests) == 2
    assert "Réponse invalide" in stub.requests[1]["messages"][-1]["content"]


def test_timeout_gives_french_error(openai_env) -> None:
    with OpenAIStub() as stub:
        stub.delay = 2.0
        openai_env(stub.base_url, CRCA_CLIENT__TIMEOUT="0.3", CRCA_CLIENT__MAX_RETRIES="0")
        with pytest.raises(LLMError, match="délai"):
            complete_text(chat_model("client"), [HumanMessage(content="Allô ?")])


def test_unreachable_server_gives_french_error(openai_env) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening: connection refused
        openai_env(f"http://127.0.0.1:{port}/v1", CRCA_CLIENT__MAX_RETRIES="0")
        with pytest.raises(LLMError, match="injoignable"):
            list(stream_text(chat_model("client"), [HumanMessage(content="Allô ?")]))


def test_rejected_key_gives_french_error(openai_env) -> None:
    with OpenAIStub() as stub:
        stub.status = 401
        openai_env(stub.base_url, CRCA_CLIENT__MAX_RETRIES="0")
        with pytest.raises(LLMError, match="Clé API refusée"):
            complete_text(chat_model("client"), [HumanMessage(content="Allô ?")])


def test_missing_key_for_hosted_endpoint_is_explained(monkeypatch, crca_home) -> None:
    monkeypatch.setenv("CRCA_GRADER__BACKEND", "openai")
    monkeypatch.setenv("CRCA_GRADER__MODEL", "gpt-4o-mini")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(LLMError, match="CRCA_GRADER__API_KEY"):
        chat_model("grader", load_settings())


@pytest.mark.parametrize(
    ("reply", "expected"), [("Oui.", True), ("« non »", False), ("NON", False), ("oui, car il salue", True)]
)
def test_yes_no_call_reads_the_first_word(openai_env, reply: str, expected: bool) -> None:
    with OpenAIStub(lambda req: reply) as stub:
        openai_env(stub.base_url)
        assert yes_no_call(chat_model("client"), [HumanMessage(content="?")]) is expected
    request = stub.requests[0]
    assert request["max_completion_tokens"] <= 4 and "logit_bias" not in request  # none for hosted models


def test_yes_no_call_retries_once_then_fails_clearly(openai_env) -> None:
    replies = iter(["Peut-être.", "Je ne sais pas.", "oui"])
    with OpenAIStub(lambda req: next(replies)) as stub:
        openai_env(stub.base_url)
        with pytest.raises(LLMError, match="ni « oui » ni « non »"):
            yes_no_call(chat_model("client"), [HumanMessage(content="?")], retries=1)
    assert len(stub.requests) == 2
    assert stub.requests[1]["messages"][-2] == {"role": "assistant", "content": "Peut-être."}
    assert "sans aucun autre mot" in stub.requests[1]["messages"][-1]["content"]


def test_embedded_yes_bias_is_sent_as_logit_bias_on_the_yes_tokens(monkeypatch, crca_home) -> None:
    from crca.llm import factory
    from crca.llm.embedded import YES_TOKEN_IDS

    with OpenAIStub(lambda req: "non") as stub:
        monkeypatch.setattr(factory, "embedded_base_url", lambda settings: stub.base_url)
        monkeypatch.setenv("CRCA_EMBEDDED__YES_BIAS", "2.5")
        assert yes_no_call(chat_model("grader"), [HumanMessage(content="?")]) is False
    request = stub.requests[0]
    assert request["logit_bias"] == {str(t): 2.5 for t in YES_TOKEN_IDS}
    assert request["max_tokens"] <= 4 and "max_completion_tokens" not in request  # llama-cpp's name


def test_another_gguf_gets_no_yes_bias(monkeypatch, crca_home, tmp_path) -> None:
    from crca.llm import factory

    with OpenAIStub(lambda req: "oui") as stub:
        monkeypatch.setattr(factory, "embedded_base_url", lambda settings: stub.base_url)
        monkeypatch.setenv("CRCA_EMBEDDED__MODEL_PATH", str(tmp_path / "other.gguf"))
        assert yes_no_call(chat_model("grader"), [HumanMessage(content="?")]) is True
    assert "logit_bias" not in stub.requests[0]  # its vocabulary is not the pinned one
