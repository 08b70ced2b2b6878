"""Builds the chat model of a role: the one seam every component receives."""

from __future__ import annotations

import os
from typing import Any

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_openai import ChatOpenAI

from crca.llm.embedded import MODEL_ALIAS, YES_TOKEN_IDS
from crca.llm.embedded_server import EMBEDDED_BASE_URL, EmbeddedTransport, embedded_base_url
from crca.llm.errors import LLMError
from crca.llm.scripted import ScriptedChatModel, load_script
from crca.settings import Role, RoleSettings, Settings, load_settings


class CrcaChatOpenAI(ChatOpenAI):
    """ChatOpenAI that also knows its endpoint's dialects and the grader's yes/no calibration."""

    crca_structured_dialect: str = "json_schema"
    crca_yes_logit_bias: dict[str, float] | None = None
    # llama-cpp-python's server ignores `max_completion_tokens` (what langchain sends now):
    # without the legacy name, replies were not capped at all.
    crca_legacy_max_tokens: bool = False
    # How the client simulator uses this model (RoleSettings.phrasing); None: its default.
    crca_phrasing: str | None = None

    def _get_request_payload(self, input_: Any, *, stop: list[str] | None = None, **kwargs: Any) -> dict:
        payload = super()._get_request_payload(input_, stop=stop, **kwargs)
        if self.crca_legacy_max_tokens and "max_completion_tokens" in payload:
            payload["max_tokens"] = payload.pop("max_completion_tokens")
        return payload


def _openai_model(
    conf: RoleSettings,
    base_url: str | None,
    key: str,
    model: str,
    dialect: str,
    yes_bias: dict[str, float] | None = None,
    legacy_max_tokens: bool = False,
    http_client: httpx.Client | None = None,
) -> BaseChatModel:
    return CrcaChatOpenAI(
        base_url=base_url,
        api_key=key,
        model=model,
        timeout=conf.timeout,
        max_retries=conf.max_retries,
        temperature=conf.temperature,
        seed=conf.seed,
        max_tokens=conf.max_tokens,
        crca_structured_dialect=dialect,
        crca_yes_logit_bias=yes_bias,
        crca_legacy_max_tokens=legacy_max_tokens,
        crca_phrasing=conf.phrasing,
        http_client=http_client,
    )


def chat_model(role: Role, settings: Settings | None = None) -> BaseChatModel:
    """The configured chat model for `role` ('client' or 'grader')."""
    settings = settings or load_settings()
    conf = settings.role(role)
    if conf.backend == "scripted":
        if conf.script is None:
            raise LLMError(
                f"Backend scripté sans fichier de réponses : définissez CRCA_{role.upper()}__SCRIPT."
            )
        return ScriptedChatModel(replies=list(load_script(conf.script)))
    if conf.backend == "embedded":
        embedded_base_url(settings.embedded)  # start it now: the first turn must not wait
        # Every request goes to the server as it is then, restarted if it died.
        transport = EmbeddedTransport(lambda: embedded_base_url(settings.embedded))
        # The token ids belong to the pinned model's vocabulary: another GGUF gets no bias.
        bias = settings.embedded.yes_bias if settings.embedded.model_path is None else 0.0
        yes_bias = {str(token): bias for token in YES_TOKEN_IDS} if bias else None
        return _openai_model(
            conf,
            EMBEDDED_BASE_URL,
            "sk-no-key-needed",
            MODEL_ALIAS,
            "json_object",
            yes_bias,
            legacy_max_tokens=True,
            http_client=httpx.Client(transport=transport),
        )
    key = conf.api_key.get_secret_value() if conf.api_key else os.environ.get("OPENAI_API_KEY")
    if not key:
        if conf.base_url is None:
            raise LLMError(
                f"Clé API manquante pour le rôle « {role} » : définissez "
                f"CRCA_{role.upper()}__API_KEY (ou OPENAI_API_KEY), ou une base_url locale."
            )
        key = "sk-no-key-needed"  # local servers (vLLM, Ollama, llama.cpp) ignore it
    if not conf.model:
        raise LLMError(f"Nom de modèle manquant : définissez CRCA_{role.upper()}__MODEL.")
    return _openai_model(conf, conf.base_url, key, conf.model, conf.structured_output)


def describe(role: Role, settings: Settings | None = None) -> tuple[str, str]:
    """(backend, model name) of a role, for reports."""
    settings = settings or load_settings()
    conf = settings.role(role)
    if conf.backend == "embedded":
        return "embedded", MODEL_ALIAS
    if conf.backend == "scripted":
        return "scripted", str(conf.script or "-")
    return "openai", conf.model or "-"
