"""A deterministic chat model for tests and demos.

It takes canned replies (a list, consumed in order and cycled, or a function of the
messages) and records every call, so tests can assert what a component asked. It
goes through the same `structured_call` path as the real backends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field, PrivateAttr

Responder = Callable[[list[BaseMessage], dict[str, Any]], str]


class ScriptedChatModel(BaseChatModel):
    """Replies from a script; `calls` keeps (messages, kwargs) of each invocation."""

    replies: list[str] = Field(default_factory=list)
    responder: Responder | None = None
    crca_structured_dialect: str = "json_schema"
    _index: int = PrivateAttr(default=0)
    _calls: list[tuple[list[BaseMessage], dict[str, Any]]] = PrivateAttr(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "crca-scripted"

    @property
    def calls(self) -> list[tuple[list[BaseMessage], dict[str, Any]]]:
        return self._calls

    def _next(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> str:
        self._calls.append((list(messages), dict(kwargs)))
        if self.responder is not None:
            return self.responder(list(messages), dict(kwargs))
        if not self.replies:
            raise ValueError("le modèle scripté n'a aucune réponse")
        reply = self.replies[self._index % len(self.replies)]
        self._index += 1
        return reply

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = self._next(messages, kwargs)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        text = self._next(messages, kwargs)
        for i, word in enumerate(text.split(" ")):
            piece = word if i == 0 else " " + word
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk


def load_script(path: Path) -> Sequence[str]:
    """Replies from a YAML/JSON file holding a list of strings (or `{replies: [...]}`)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get("replies")
    if not isinstance(data, list) or not all(isinstance(r, str) for r in data) or not data:
        raise ValueError(f"{path} : une liste non vide de réponses (chaînes) est attendue")
    return data
