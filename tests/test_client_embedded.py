"""One short conversation on the real embedded model: French, in character, nothing locked leaked.

The guards filter every sentence the client shows, so judging the replies with them could not
fail: these checks are written differently (English function words, the hidden facts' own names).
"""

from __future__ import annotations

import re

import pytest

from bot.conversation import Conversation
from bot.simulator import ClientSimulator
from crca.llm import chat_model
from crca.settings import load_settings
from domain.transcript import Speaker
from tests.test_client_director import make_scenario


@pytest.mark.embedded
def test_two_turns_on_the_embedded_model_stay_in_character(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRCA_CLIENT__BACKEND", raising=False)
    monkeypatch.setenv("CRCA_CLIENT__PHRASING", "script")  # the model phrases (default: content lines)
    if load_settings().client.backend != "embedded":
        pytest.skip("le rôle client n'est pas configuré sur le modèle embarqué")
    scenario = make_scenario()
    simulator = ClientSimulator(scenario, chat_model("client"))
    conversation = Conversation(scenario, simulator)
    first = "".join(conversation.send("Bonjour madame, je suis désolé. Quand est-ce arrivé exactement ?"))
    second = "".join(conversation.send("Merci. Et qu'avez-vous constaté dans la cuisine ?"))
    for reply in (first, second):
        lowered = reply.lower()
        assert re.search(r"\b(je|j'|vous|le|la|les|de|du|mon|ma|est|pas)\b", lowered), reply
        assert not re.search(r"\b(the|and|you|is|are|my|with|this)\b", lowered), reply
        # Not asked: the neighbour's name and the photos must stay hidden.
        assert "roux" not in lowered and "voisin" not in lowered and "photo" not in lowered, reply
        assert "intelligence artificielle" not in lowered and "en tant que conseill" not in lowered
    assert "14 mars" in first  # the asked fact is given, by the model or verbatim
    assert [t.speaker for t in conversation.transcript.turns].count(Speaker.CLIENT) == 3


@pytest.mark.embedded
def test_identification_request_gets_the_persona_name_or_contract_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CRCA_CLIENT__BACKEND", raising=False)
    monkeypatch.setenv("CRCA_CLIENT__PHRASING", "script")  # the model phrases (default: content lines)
    if load_settings().client.backend != "embedded":
        pytest.skip("le rôle client n'est pas configuré sur le modèle embarqué")
    from scenarios.library import load_scenario

    scenario = load_scenario("habitation-sinistre-degat-eaux-voisin")
    conversation = Conversation(scenario, ClientSimulator(scenario, chat_model("client")))
    reply = "".join(conversation.send("Pouvez-vous me donner votre nom et votre numéro de contrat ?"))
    folded = reply.lower()
    assert "fontaine" in folded or "ha-1608823" in folded, reply
