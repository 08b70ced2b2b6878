"""One short conversation on the real embedded model: French, in character, nothing locked leaked."""

from __future__ import annotations

import pytest

from bot.conversation import Conversation
from bot.guards import is_french, reveals
from bot.simulator import ClientSimulator
from crca.llm import chat_model
from crca.settings import load_settings
from domain.transcript import Speaker
from tests.test_client_director import make_scenario


@pytest.mark.embedded
def test_two_turns_on_the_embedded_model_stay_in_character(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRCA_CLIENT__BACKEND", raising=False)
    if load_settings().client.backend != "embedded":
        pytest.skip("le rôle client n'est pas configuré sur le modèle embarqué")
    scenario = make_scenario()
    simulator = ClientSimulator(scenario, chat_model("client"))
    conversation = Conversation(scenario, simulator)
    first = "".join(conversation.send("Bonjour madame, je suis désolé. Quand est-ce arrivé exactement ?"))
    second = "".join(conversation.send("Merci. Et qu'avez-vous constaté dans la cuisine ?"))
    public = "\n".join([scenario.persona.situation, scenario.opening_line])
    for reply in (first, second):
        assert reply.strip() and is_french(reply), reply
        for fact in (
            "La fuite vient de chez mon voisin du dessus, M. Roux.",
            "J'ai pris des photos du plafond",
        ):
            assert not reveals(reply, fact, public), reply  # not asked: must stay hidden
        lowered = reply.lower()
        assert "intelligence artificielle" not in lowered and "en tant que conseill" not in lowered
    assert "14 mars" in first  # the asked fact is given, by the model or verbatim
    assert [t.speaker for t in conversation.transcript.turns].count(Speaker.CLIENT) == 3
