"""Sign-in and role checks shared by every handler."""

from __future__ import annotations

from pydantic import BaseModel

from webapp.storage import UserInfo
from webapp.ui.services import AppServices


class UIError(Exception):
    """A refusal or failure the UI shows as is; `str(error)` is French."""


class AccessDenied(UIError):
    """The signed-in user may not do this (e.g. a trainee on a trainer page)."""


class SignedIn(BaseModel):
    token: str
    user: UserInfo


def sign_in(services: AppServices, username: str, password: str) -> SignedIn:
    """Check the password and issue a token the browser keeps (it survives a reload)."""
    user = services.repo.authenticate(username or "", password or "")
    if user is None:
        raise UIError("Identifiant ou mot de passe incorrect.")
    return SignedIn(token=services.repo.issue_token(user.id), user=user)


def sign_out(services: AppServices, token: str | None) -> None:
    if token:
        services.repo.revoke_token(token)


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
