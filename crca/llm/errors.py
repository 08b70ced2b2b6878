"""Model failures translated into messages a French-speaking user can act on."""

from __future__ import annotations

import openai


class LLMError(RuntimeError):
    """A model call failed; `str(error)` is a French message fit for the UI."""


class StructuredOutputError(LLMError):
    """The model's reply could not be parsed into the expected schema after retries."""


def translate(exc: BaseException, *, where: str = "") -> LLMError:
    """Map an openai/httpx exception to an LLMError with a clear French message."""
    target = f" ({where})" if where else ""
    if isinstance(exc, LLMError):
        return exc
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
