"""The persistent response cache replays a reply for the same prompt, across processes."""

from langchain_core.messages import HumanMessage

from crca.llm import ScriptedChatModel
from crca.llm.cache import SQLiteResponseCache


def test_same_prompt_is_answered_from_the_cache_and_survives_reopening(tmp_path):
    path = tmp_path / "replies.sqlite"
    model = ScriptedChatModel(replies=["première", "seconde"], cache=SQLiteResponseCache(path))
    ask = [HumanMessage(content="Bonjour ?")]

    assert model.invoke(ask).content == "première"
    assert model.invoke(ask).content == "première"
    assert len(model.calls) == 1
    assert model.invoke([HumanMessage(content="Autre question")]).content == "seconde"

    reopened = SQLiteResponseCache(path)
    assert len(reopened) == 2
    fresh = ScriptedChatModel(replies=["jamais utilisée"], cache=reopened)
    assert fresh.invoke(ask).content == "première"
    assert fresh.calls == []


def test_different_model_parameters_are_not_mixed(tmp_path):
    cache = SQLiteResponseCache(tmp_path / "replies.sqlite")
    ask = [HumanMessage(content="Bonjour ?")]
    ScriptedChatModel(replies=["a"], cache=cache).invoke(ask)
    other = ScriptedChatModel(replies=["b"], cache=cache).bind(response_format={"type": "json_object"})
    assert other.invoke(ask).content == "b"
