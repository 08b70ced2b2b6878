"""A strong model on the `openai` backend gets the director's content as a hint, not a script."""

from __future__ import annotations

import pytest

from bot.simulator import ClientSimulator
from crca.llm import chat_model
from domain.transcript import Speaker, Transcript, Turn
from tests.openai_stub import OpenAIStub
from tests.test_client_content import SCENARIO

FREE = "Bien sûr : Claire Martin, et mon contrat habitation porte le numéro HA-1234567. Vous le retrouvez ?"


def test_openai_backend_phrases_the_content_freely(monkeypatch: pytest.MonkeyPatch, crca_home) -> None:
    with OpenAIStub(lambda request: FREE) as stub:
        monkeypatch.setenv("CRCA_CLIENT__BACKEND", "openai")
        monkeypatch.setenv("CRCA_CLIENT__BASE_URL", stub.base_url)
        monkeypatch.setenv("CRCA_CLIENT__MODEL", "strong-model")
        monkeypatch.setenv("CRCA_CLIENT__API_KEY", "sk-test")
        sim = ClientSimulator(SCENARIO, chat_model("client"))
        turns = [
            Turn(speaker=Speaker.CLIENT, text=SCENARIO.opening_line),
            Turn(
                speaker=Speaker.ADVISOR, text="Pouvez-vous me donner votre nom et votre numéro de contrat ?"
            ),
        ]
        reply = sim.reply(Transcript(id="t", turns=turns))
    assert sim.phrasing == "hint"
    directive = stub.requests[0]["messages"][-1]["content"]
    assert "formule-le librement" in directive and "HA-1234567" in directive
    assert "Dis exactement" not in directive
    assert reply == FREE and not sim.last.fallback and not sim.last.completed
