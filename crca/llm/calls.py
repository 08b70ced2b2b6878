"""Plain-text model calls with errors translated for the user."""

from __future__ import annotations

from collections.abc import Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from crca.llm.errors import translate


def complete_text(model: BaseChatModel, messages: list[BaseMessage], **kwargs: object) -> str:
    """The whole reply as text."""
    try:
        reply = model.invoke(messages, **kwargs)
    except Exception as exc:
        raise translate(exc) from exc
    return reply.content if isinstance(reply.content, str) else str(reply.content)


def stream_text(model: BaseChatModel, messages: list[BaseMessage], **kwargs: object) -> Iterator[str]:
    """The reply piece by piece, as the model produces it."""
    try:
        for chunk in model.stream(messages, **kwargs):
            if isinstance(chunk.content, str) and chunk.content:
                yield chunk.content
    except Exception as exc:
        raise translate(exc) from exc
