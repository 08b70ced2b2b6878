"""Plain-text model calls with errors translated for the user."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from crca.llm.errors import StructuredOutputError, translate
from crca.text import fold


def complete_text(model: BaseChatModel, messages: list[BaseMessage], **kwargs: Any) -> str:
    """The whole reply as text."""
    try:
        reply = model.invoke(messages, **kwargs)
    except Exception as exc:
        raise translate(exc) from exc
    return reply.content if isinstance(reply.content, str) else str(reply.content)


def stream_text(model: BaseChatModel, messages: list[BaseMessage], **kwargs: Any) -> Iterator[str]:
    """The reply piece by piece, as the model produces it."""
    try:
        for chunk in model.stream(messages, **kwargs):
            if isinstance(chunk.content, str) and chunk.content:
                yield chunk.content
    except Exception as exc:
        raise translate(exc) from exc


_YES_NO = re.compile(r"\W*(oui|non)\b")
_RETRY_YES_NO = "Réponds par « oui » ou par « non », sans aucun autre mot."


def yes_no_call(model: BaseChatModel, messages: list[BaseMessage], *, retries: int = 1) -> bool:
    """A one-word « oui »/« non » answer, with a bounded corrective retry.

    Why a bare word rather than a JSON explanation: on the small embedded model an
    explanation-first answer said "oui" to everything, while the first token of a bare answer
    separates true from false statements (docs/grader.md). A model may carry a calibrated
    `crca_yes_logit_bias` (token id → bias) that moves its decision threshold; it is sent
    as the request's `logit_bias`.
    """
    kwargs: dict[str, object] = {"max_tokens": 4}
    bias = getattr(model, "crca_yes_logit_bias", None)
    if bias:
        kwargs["logit_bias"] = bias
    history = list(messages)
    for _ in range(retries + 1):
        text = complete_text(model, history, **kwargs)
        if found := _YES_NO.match(fold(text)):
            return found.group(1) == "oui"
        history += [AIMessage(content=text), HumanMessage(content=_RETRY_YES_NO)]
    raise StructuredOutputError(f"Réponse inexploitable, ni « oui » ni « non » : « {text.strip()[:80]} ».")
