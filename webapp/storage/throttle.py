"""When the next sign-in attempt for one key may come: growing delays, then a lock-out.

A pure function of the recent failure times, the current lock and the policy, so the
whole schedule is tested with an injected clock. The key is an account name (as typed,
known or not: the same answers whether the account exists) or a client address.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from crca.settings import ThrottleSettings


class Wait(BaseModel):
    """Why and until when a key must wait before its next attempt."""

    until: datetime
    locked: bool = Field(description="A lock-out (else a growing delay between attempts).")


def delay_after(failures: int, rule: ThrottleSettings) -> timedelta:
    """Wait imposed after the `failures`-th failure: none, then doubling from the first delay."""
    extra = failures - rule.free_failures
    if extra <= 0:
        return timedelta(0)
    return timedelta(seconds=min(rule.first_delay_seconds * 2 ** (extra - 1), rule.max_delay_seconds))


def lock_length(lock_count: int, rule: ThrottleSettings) -> timedelta:
    """Length of the `lock_count`-th lock-out in a row (no success between): doubling, capped."""
    minutes = rule.lock_minutes * 2 ** max(0, lock_count - 1)
    return timedelta(minutes=min(minutes, max(rule.max_lock_minutes, rule.lock_minutes)))


def recent(failures: Sequence[datetime], now: datetime, rule: ThrottleSettings) -> list[datetime]:
    """Failures inside the observation window, oldest first."""
    start = now - timedelta(minutes=rule.window_minutes)
    return sorted(t for t in failures if start < t <= now)


def wait_for(
    failures: Sequence[datetime],
    locked_at: datetime | None,
    now: datetime,
    rule: ThrottleSettings,
    lock_count: int = 1,
) -> Wait | None:
    """The wait in force at `now`, or None when an attempt may be checked.

    `failures` are those since the key's last reset (success, unlock or lock-out): a lock-out
    consumes the failures that caused it, so after it ends the key starts over; `lock_count`
    says which lock-out in a row `locked_at` is, each one twice as long as the one before.
    """
    if locked_at is not None:
        until = locked_at + lock_length(lock_count, rule)
        if until > now:
            return Wait(until=until, locked=True)
    counted = recent(failures, now, rule)
    if not counted:
        return None
    until = counted[-1] + delay_after(len(counted), rule)
    return Wait(until=until, locked=False) if until > now else None


def locks(failures: Sequence[datetime], now: datetime, rule: ThrottleSettings) -> bool:
    """True when the failures counted at `now` (the latest included) reach the lock-out."""
    return len(recent(failures, now, rule)) >= rule.lock_after


def wait_text(wait: Wait, now: datetime) -> str:
    """« 8 s », « 15 min »: what the sign-in message shows (rounded up, never zero)."""
    seconds = max(1, math.ceil((wait.until - now).total_seconds()))
    return f"{seconds} s" if seconds < 60 else f"{math.ceil(seconds / 60)} min"
