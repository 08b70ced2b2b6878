"""Conversation: turns recorded as they happen, nothing lost on a model error, resumable."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from langchain_core.messages import BaseMessage

from bot.conversation import Conversation
from bot.simulator import ClientSimulator
from crca.llm import LLMError, ScriptedChatModel
from domain.transcript import Speaker, Transcript
from tests.test_client_director import make_scenario

SCENARIO = make_scenario()


def conversation(*replies: str, transcript: Transcript | None = None) -> Conversation:
    model = ScriptedChatModel(replies=list(replies or ["D'accord, merci."]))
    return Conversation(SCENARIO, ClientSimulator(SCENARIO, model), transcript)


def test_new_conversation_starts_with_the_opening_line() -> None:
    conv = conversation()
    t = conv.transcript
    assert uuid.UUID(t.id) and t.scenario_id == SCENARIO.id and t.context == SCENARIO.brief()
    assert t.channel == SCENARIO.channel
    assert [(x.speaker, x.text) for x in t.turns] == [(Speaker.CLIENT, SCENARIO.opening_line)]


def test_send_records_advisor_turn_at_once_and_client_reply_when_streamed() -> None:
    conv = conversation("Oui. Il coule encore.")
    stream = conv.send("  Bonjour madame, je vous écoute.  ")
    assert conv.transcript.turns[-1].text == "Bonjour madame, je vous écoute." and conv.awaiting_reply
    assert list(stream) == ["Oui.", " Il coule encore."]
    assert conv.transcript.turns[-1].speaker == Speaker.CLIENT
    assert conv.transcript.turns[-1].text == "Oui. Il coule encore."


def test_empty_message_is_refused_in_french() -> None:
    conv = conversation()
    with pytest.raises(ValueError, match="Message vide"):
        conv.send("   ")
    assert len(conv.transcript.turns) == 1


def test_model_error_keeps_the_advisor_turn_and_retry_fills_the_reply() -> None:
    calls = {"n": 0}

    def flaky(messages: list[BaseMessage], kwargs: dict[str, Any]) -> str:
        calls["n"] += 1
        if calls["n"] == 1:
            raise LLMError("Serveur de modèle injoignable.")
        return "Pardon, ça a coupé. Oui, je vous écoute."

    conv = Conversation(SCENARIO, ClientSimulator(SCENARIO, ScriptedChatModel(responder=flaky)))
    with pytest.raises(LLMError):
        list(conv.send("Savez-vous d'où vient la fuite ?"))
    assert conv.awaiting_reply and conv.transcript.turns[-1].text == "Savez-vous d'où vient la fuite ?"
    reply = "".join(conv.retry())
    assert reply.startswith("Pardon, ça a coupé.") and "M. Roux" in reply  # the earned fact is not lost
    assert [t.speaker for t in conv.transcript.turns] == [Speaker.CLIENT, Speaker.ADVISOR, Speaker.CLIENT]
    with pytest.raises(ValueError):
        conv.retry()


def test_actions_are_recorded_after_the_last_turn() -> None:
    conv = conversation()
    list(conv.send("Bonjour madame, je vous écoute."))
    action = conv.record_action("claim_opened", " dégât des eaux cuisine ")
    assert action.after_turn == 2 and action.detail == "dégât des eaux cuisine"
    assert conv.transcript.actions == [action]


def test_conversation_ends_when_the_client_has_said_goodbye() -> None:
    conv = conversation("Merci à vous, au revoir.")
    list(conv.send("Je vous rappelle demain. Bonne journée madame !"))
    assert conv.ended and conv.end_reason == "closing"
    with pytest.raises(ValueError, match="terminée"):
        conv.send("Autre chose ?")


def test_resumed_conversation_has_the_same_director_state() -> None:
    conv = conversation("D'accord.", "Une franchise ?", "Oui.")
    for text in [
        "Bonjour, je comprends. D'où vient l'eau ?",
        "Je vous propose un expert, sans franchise.",
        "Numéro ?",
    ]:
        list(conv.send(text))
    saved = conv.transcript.model_dump_json()
    resumed = conversation(transcript=Transcript.model_validate_json(saved))
    assert resumed.state == conv.state
    assert conv.state.unlocked == ["voisin"] and conv.state.objections_raised == 1
    assert resumed.transcript.turns == conv.transcript.turns
