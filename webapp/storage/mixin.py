"""What the repository's mixins share: one transaction per call, the sign-in policy, the clock."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime

from sqlalchemy.orm import Session

from crca.settings import AuthSettings


class StoreMixin:
    auth: AuthSettings
    clock: Callable[[], datetime]
    """Current UTC time; tests replace it to move through delays and expiries without sleeping."""

    def _tx(self) -> AbstractContextManager[Session]:
        raise NotImplementedError
