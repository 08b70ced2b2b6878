"""The persistent response cache replays a reply for the same prompt, across processes."""

from langchain_core.messages import AIMessage, HumanMessage

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


def test_the_servers_address_is_not_part_of_the_key(tmp_path):
    from langchain_core.outputs import ChatGeneration

    cache = SQLiteResponseCache(tmp_path / "replies.sqlite")
    params = '{"model_name": "qwen", "openai_api_base": "http://127.0.0.1:%d/v1", "temperature": 0.0}'
    cache.update("invite", params % 41000, [ChatGeneration(message=AIMessage(content="oui"))])
    again = cache.lookup("invite", params % 52000)  # the embedded server restarted on another port
    assert again is not None and again[0].text == "oui"
    other_model = params.replace("qwen", "mistral") % 41000
    assert cache.lookup("invite", other_model) is None
