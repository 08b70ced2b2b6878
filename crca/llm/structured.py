"""The one path for structured (JSON) model calls, shared by every backend.

Why not `with_structured_output`: langchain's fake models do not implement it and
llama.cpp's server speaks another `response_format` dialect. Here the schema is sent
as a constraint, the reply is parsed and validated by pydantic, and a bounded retry
tells the model what was wrong. Failure is an explicit `StructuredOutputError`.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from pydantic import BaseModel, ValidationError

from crca.llm.errors import StructuredOutputError, translate

T = TypeVar("T", bound=BaseModel)
Dialect = Literal["json_schema", "json_object"]
"""How a backend is asked for JSON: a JSON schema, or plain JSON mode with the schema in the prompt."""

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


def response_format(schema: type[BaseModel], dialect: Dialect) -> dict[str, Any]:
    """The `response_format` payload constraining output to `schema`."""
    json_schema = schema.model_json_schema()
    if dialect == "json_object":
        return {"type": "json_object", "schema": json_schema}
    return {
        "type": "json_schema",
        "json_schema": {"name": schema.__name__, "schema": json_schema, "strict": False},
    }


def extract_json(text: str) -> str:
    """The JSON object inside a reply (tolerates code fences and chatter around it)."""
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1)
    start, end = text.find("{"), text.rfind("}")
    if start == -1 or end < start:
        raise ValueError("aucun objet JSON dans la réponse")
    return text[start : end + 1]


def _parse(schema: type[T], content: str) -> T:
    return schema.model_validate_json(extract_json(content))


def structured_call(
    model: BaseChatModel,
    messages: list[BaseMessage],
    schema: type[T],
    *,
    dialect: Dialect | None = None,
    retries: int = 1,
) -> T:
    """Ask `model` for an instance of `schema`; retry `retries` times on a bad reply."""
    chosen: Dialect = dialect if dialect else getattr(model, "crca_structured_dialect", "json_schema")
    bound = model.bind(response_format=response_format(schema, chosen))
    history = list(messages)
    problem = ""
    for _ in range(retries + 1):
        try:
            reply = bound.invoke(history)
        except Exception as exc:  # network, timeout, HTTP status
            raise translate(exc) from exc
        content = reply.content if isinstance(reply.content, str) else json.dumps(reply.content)
        try:
            return _parse(schema, content)
        except (ValueError, ValidationError) as exc:
            problem = _short(exc)
            history = [
                *messages,
                AIMessage(content=content),
                HumanMessage(
                    content="Réponse invalide ("
                    + problem
                    + "). Réponds uniquement avec l'objet JSON demandé."
                ),
            ]
    raise StructuredOutputError(f"Réponse du modèle inexploitable après {retries + 1} essais : {problem}")


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first.get("loc", ()))
        return f"{loc}: {first.get('msg', 'invalide')}" if loc else str(first.get("msg"))
    return str(exc)[:200]
