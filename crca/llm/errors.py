"""Model failures translated into messages a French-speaking user can act on."""

from __future__ import annotations

from typing import TypeVar

import httpx
import openai

E = TypeVar("E", bound=BaseException)


class LLMError(RuntimeError):
    """A model call failed; `str(error)` is a French message fit for the UI."""


class ModelRestarting(httpx.TransportError):
    """The embedded model's server stopped answering; the next call starts a new one."""


RESTARTING_MESSAGE = "Le modèle embarqué s'est arrêté ; il redémarre (quelques secondes)."


class StructuredOutputError(LLMError):
    """The model's reply could not be parsed into the expected schema after retries."""


def _cause(exc: BaseException, kind: type[E]) -> E | None:
    """The first exception of `kind` in the chain of causes (the clients wrap each other's)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return seen
        seen = seen.__cause__
    return None


def translate(exc: BaseException, *, where: str = "") -> LLMError:
    """Map an openai/httpx exception to an LLMError with a clear French message."""
    target = f" ({where})" if where else ""
    if isinstance(exc, LLMError):
        return exc
    if _cause(exc, ModelRestarting):
        return LLMError(RESTARTING_MESSAGE)
    if inner := _cause(exc, LLMError):  # raised inside the transport, e.g. a restart that failed
        return inner
    if isinstance(exc, openai.APITimeoutError):
        return LLMError(f"Le modèle n'a pas répondu dans le délai imparti{target}. Réessayez.")
    if isinstance(exc, openai.APIConnectionError):
        return LLMError(
            f"Serveur de modèle injoignable{target} : vérifiez l'URL et que le service est démarré."
        )
    if isinstance(exc, openai.AuthenticationError):
        return LLMError(f"Clé API refusée par le serveur de modèle{target}.")
    if isinstance(exc, openai.RateLimitError):
        return LLMError(f"Quota du serveur de modèle dépassé{target}. Réessayez plus tard.")
    if isinstance(exc, openai.APIStatusError):
        return LLMError(f"Le serveur de modèle a renvoyé une erreur {exc.status_code}{target}.")
    return LLMError(f"Erreur inattendue du modèle{target} : {exc}")
