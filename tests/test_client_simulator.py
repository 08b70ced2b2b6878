"""The simulator with a scripted model: repair, fallback, prompt content, streaming."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage

from bot.simulator import MAX_TOKENS, ClientSimulator
from crca.llm import ScriptedChatModel
from domain.transcript import Speaker, Transcript, Turn
from tests.test_client_director import make_scenario

SCENARIO = make_scenario()
GOOD = "Oui, l'eau coule encore un peu. Qu'est-ce que je dois faire ?"


def transcript(*advisor_and_client: str) -> Transcript:
    turns = [Turn(speaker=Speaker.CLIENT, text=SCENARIO.opening_line)]
    for i, text in enumerate(advisor_and_client):
        turns.append(Turn(speaker=Speaker.ADVISOR if i % 2 == 0 else Speaker.CLIENT, text=text))
    return Transcript(id="t", turns=turns)


def simulator(*replies: str, retriever: Any = None) -> tuple[ClientSimulator, ScriptedChatModel]:
    model = ScriptedChatModel(replies=list(replies))
    return ClientSimulator(SCENARIO, model, retriever), model


def test_opening_is_the_scenarios_line_verbatim() -> None:
    sim, _ = simulator(GOOD)
    assert sim.opening() == SCENARIO.opening_line


def test_good_reply_is_shown_once_with_capped_tokens() -> None:
    sim, model = simulator(GOOD)
    assert sim.reply(transcript("Bonjour madame, je vous écoute.")) == GOOD
    assert len(model.calls) == 1 and model.calls[0][1]["max_tokens"] == MAX_TOKENS
    assert not sim.last.fallback and sim.last.attempts == 1


def test_broken_first_sentence_shows_the_decided_content_without_a_second_call() -> None:
    sim, model = simulator("En tant qu'IA, je ne peux pas répondre.", GOOD)
    reply = sim.reply(transcript("Quand est-ce arrivé ?"))
    assert reply == "C'est arrivé mardi dernier, le 14 mars, vers 22 heures."
    assert len(model.calls) == 1 and sim.last.fallback
    assert sim.last.rejected == ["En tant qu'IA, je ne peux pas répondre."]
    assert [p.code for p in sim.last.problems] == ["ai"]


def test_not_understood_is_kept_for_turns_that_are_really_unclear() -> None:
    sim, _ = simulator("I am sorry, I cannot do that for you.")
    unclear = sim.reply(transcript("azerty qsdf"))
    assert unclear == SCENARIO.fallback_lines[0] and sim.last.intent == "unclear"
    plain = sim.reply(transcript("Que s'est-il passé ?"))
    assert "compr" not in plain and "répéter" not in plain and sim.last.intent == "situation_question"


def test_fallback_says_the_due_fact_when_one_was_earned() -> None:
    sim, _ = simulator("As an AI I cannot help with that request.")
    reply = sim.reply(transcript("Savez-vous d'où vient cette fuite ?"))
    assert reply == "La fuite vient de chez mon voisin du dessus, M. Roux."


def test_prompt_has_the_directive_and_no_locked_fact_or_solution() -> None:
    sim, model = simulator(GOOD)
    sim.reply(transcript("Bonjour madame, quand est-ce arrivé ?"))
    messages = model.calls[0][0]
    last = messages[-1]
    assert (
        isinstance(last, HumanMessage) and "14 mars" in last.content and "quand est-ce arrivé" in last.content
    )
    everything = "\n".join(str(m.content) for m in messages)
    assert "M. Roux" not in everything and "photos" not in everything and "IRSI" not in everything


def test_history_prefix_is_stable_across_turns_for_the_prompt_cache() -> None:
    sim, model = simulator(GOOD, "D'accord, merci.")
    first = transcript("Bonjour madame, je vous écoute.")
    reply = sim.reply(first)
    sim.reply(transcript("Bonjour madame, je vous écoute.", reply, "Avez-vous des photos ?"))
    one, two = model.calls[0][0], model.calls[1][0]
    assert [m.content for m in two[:2]] == [m.content for m in one[:2]]
    assert two[2].content == "Bonjour madame, je vous écoute." and two[3].content == reply


def test_streaming_yields_checked_sentences_equal_to_reply() -> None:
    text = "Oui, bonjour. L'eau coule encore un peu. Qu'est-ce que je dois faire ?"
    sim, _ = simulator(text)
    pieces = list(sim.reply_stream(transcript("Bonjour madame, je vous écoute.")))
    assert len(pieces) == 3 and pieces[0] == "Oui, bonjour."
    other, _ = simulator(text)
    assert "".join(pieces) == other.reply(transcript("Bonjour madame, je vous écoute.")) == text


def test_a_repeated_sentence_is_said_once() -> None:
    sim, _ = simulator("Oui, bien sûr. Il coule encore. Oui, bien sûr !")
    assert sim.reply(transcript("Bonjour madame, je vous écoute.")) == "Oui, bien sûr. Il coule encore."


def test_a_sentence_said_in_an_earlier_turn_is_not_repeated() -> None:
    sim, _ = simulator("Je ne sais pas quoi faire. Il coule encore.")
    earlier = transcript("Bonjour madame.", "Oui. Je ne sais pas quoi faire.", "Je vous écoute, madame.")
    assert sim.reply(earlier) == "Il coule encore."
    short, _ = simulator("Oui, merci.")
    assert short.reply(transcript("Bonjour madame.", "Oui, merci.", "Je vous écoute.")) == "Oui, merci."


def test_a_broken_later_sentence_is_cut_without_regenerating() -> None:
    sim, model = simulator("D'accord, je comprends. En tant qu'assistant virtuel, je ne peux rien faire.")
    assert sim.reply(transcript("Bonjour madame, je vous écoute.")) == "D'accord, je comprends."
    assert len(model.calls) == 1 and sim.last.truncated


def test_a_due_fact_the_model_left_out_is_said_verbatim() -> None:
    sim, _ = simulator("Ah oui, bien sûr.")
    reply = sim.reply(transcript("Avez-vous des photos des dégâts ?"))
    assert reply == "Ah oui, bien sûr. J'ai pris des photos du plafond qui gondole." and sim.last.completed


class FakeRetriever:
    def __init__(self) -> None:
        self.queries: list[tuple[str, str | None]] = []

    def search(self, query: str, *, product: str | None = None, k: int = 5) -> list[Any]:
        self.queries.append((query, product))
        hit = type("Hit", (), {"text": "La franchise dégât des eaux est de 150 euros par sinistre."})
        return [hit]


def test_contract_lookup_only_when_cover_is_discussed() -> None:
    retriever = FakeRetriever()
    sim, model = simulator(GOOD, retriever=retriever)
    sim.reply(transcript("Bonjour madame, je vous écoute."))
    assert retriever.queries == [] and "contrat" not in model.calls[0][0][-1].content
    sim.reply(transcript("Quelle est votre franchise, madame ?"))
    assert retriever.queries == [("Quelle est votre franchise, madame ?", "habitation")]
    assert "150 euros par sinistre" in model.calls[1][0][-1].content


def test_a_bare_courtesy_to_a_question_is_followed_by_the_decided_content() -> None:
    """Seen on the embedded model: « Merci. » as the whole answer to a situation question."""
    sim, _ = simulator("Merci.")
    reply = sim.reply(transcript("Et qu'avez-vous constaté dans la cuisine ?"))
    assert reply.startswith("Merci. ") and len(reply) > len("Merci. ") and sim.last.completed


def test_phrasing_follows_the_client_setting(monkeypatch, crca_home) -> None:  # noqa: ANN001
    from crca.llm import chat_model

    monkeypatch.setenv("CRCA_CLIENT__BACKEND", "openai")
    monkeypatch.setenv("CRCA_CLIENT__BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("CRCA_CLIENT__MODEL", "strong-model")
    assert ClientSimulator(make_scenario(), chat_model("client")).phrasing == "hint"  # a strong model
    monkeypatch.setenv("CRCA_CLIENT__PHRASING", "lines")
    assert ClientSimulator(make_scenario(), chat_model("client")).phrasing == "lines"
