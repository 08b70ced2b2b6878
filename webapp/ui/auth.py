"""Sign-in and role checks shared by every handler."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from webapp.storage import StorageError, UserInfo
from webapp.ui.services import AppServices


class UIError(Exception):
    """A refusal or failure the UI shows as is; `str(error)` is French."""


class AccessDenied(UIError):
    """The signed-in user may not do this (e.g. a trainee on a trainer page)."""


class SignedIn(BaseModel):
    token: str
    user: UserInfo


def sign_in(services: AppServices, username: str, password: str, address: str | None = None) -> SignedIn:
    """Check the password (throttled per name and per `address`) and issue a token the browser keeps."""
    try:
        user = services.repo.sign_in(username or "", password or "", address)
    except StorageError as exc:
        raise UIError(str(exc)) from exc
    return SignedIn(token=services.repo.issue_token(user.id), user=user)


def sign_out(services: AppServices, token: str | None, address: str | None = None) -> None:
    if token:
        services.repo.sign_out(token, address)


def current_user(services: AppServices, token: str | None) -> UserInfo:
    user = services.repo.user_for_token(token)
    if user is None:
        raise UIError("Session expirée ou absente : connectez-vous.")
    return user


def require_trainer(services: AppServices, token: str | None) -> UserInfo:
    """The signed-in trainer; a trainee is refused."""
    user = current_user(services, token)
    if user.role != "trainer":
        raise AccessDenied("Accès réservé aux formateurs.")
    return user


def client_address(request: Any) -> str | None:
    """The peer address of a Gradio request (behind a reverse proxy: the proxy's, see docs/app.md)."""
    client = getattr(request, "client", None)
    return getattr(client, "host", None)
