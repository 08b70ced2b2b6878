"""The embedded server heals: a dead one is restarted by the next call, and models follow it.

The server process is replaced by the local OpenAI-compatible stub; everything else is the
production path (supervisor, transport, `openai` client, error translation).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from langchain_core.messages import HumanMessage

from crca.llm import LLMError, chat_model, complete_text, embedded_server
from crca.settings import EmbeddedSettings
from tests.openai_stub import OpenAIStub

ASK = [HumanMessage(content="Bonjour ?")]


class StubServer:
    """Stands for `EmbeddedServer`: `start` serves a stub that names its generation."""

    started: list[StubServer] = []

    def __init__(self, settings: EmbeddedSettings) -> None:
        self.number = len(StubServer.started) + 1
        self.stub = OpenAIStub(lambda request: f"Réponse du serveur {self.number}.")
        self.base_url, self.process, self.alive = "", None, False

    def start(self) -> str:
        self.stub.__enter__()
        self.alive, self.base_url = True, self.stub.base_url
        StubServer.started.append(self)
        return self.base_url

    @property
    def running(self) -> bool:
        return self.alive

    def stop(self) -> None:
        if self.alive:
            self.stub.__exit__()
            self.alive = False


@pytest.fixture
def stub_servers(monkeypatch: pytest.MonkeyPatch, crca_home) -> Iterator[list[StubServer]]:
    StubServer.started = []
    monkeypatch.setattr(embedded_server, "EmbeddedServer", StubServer)
    monkeypatch.setattr(embedded_server, "_server", None)
    monkeypatch.setenv("CRCA_CLIENT__BACKEND", "embedded")
    monkeypatch.setenv("CRCA_GRADER__BACKEND", "embedded")
    yield StubServer.started
    embedded_server.stop_embedded()


def test_a_server_that_died_is_restarted_by_the_next_call_for_every_role(stub_servers) -> None:
    client, grader = chat_model("client"), chat_model("grader")
    assert len(stub_servers) == 1  # started when the models are built: the first turn does not wait
    assert complete_text(client, ASK) == "Réponse du serveur 1."
    stub_servers[0].stop()  # killed from outside (out of memory, kill -9)
    assert complete_text(client, ASK) == "Réponse du serveur 2."
    assert complete_text(grader, ASK) == "Réponse du serveur 2."  # the grader follows the new address
    assert len(stub_servers) == 2


def test_a_server_that_stops_answering_is_replaced_within_the_same_call(stub_servers) -> None:
    client = chat_model("client")
    hung = stub_servers[0]
    hung.stub.__exit__()  # the process looks alive but no longer answers
    assert complete_text(client, ASK) == "Réponse du serveur 2."  # the client's own retry reaches it
    assert not hung.alive  # the hung one was stopped, not left holding memory


def test_without_retries_the_user_reads_a_restart_message_and_the_next_call_works(
    stub_servers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRCA_CLIENT__MAX_RETRIES", "0")
    client = chat_model("client")
    stub_servers[0].stub.__exit__()
    with pytest.raises(LLMError, match="redémarre") as failure:
        complete_text(client, ASK)
    assert "URL" not in str(failure.value)
    assert complete_text(client, ASK) == "Réponse du serveur 2."
