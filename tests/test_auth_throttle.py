"""The throttle's schedule with an injected clock, and the throttled sign-in in storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crca.settings import AddressThrottleSettings, AuthSettings, ThrottleSettings
from tests.fake_clock import FakeClock
from webapp.storage import Repository
from webapp.storage.signin import SignInRefused
from webapp.storage.throttle import delay_after, lock_length, locks, wait_for, wait_text

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RULE = ThrottleSettings(free_failures=3, lock_after=10, window_minutes=15, lock_minutes=15,
                        first_delay_seconds=1, max_delay_seconds=60)  # fmt: skip
PASSWORD = "motdepasse-a1b2"


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_delays_are_free_then_double_up_to_the_cap() -> None:
    seconds = [delay_after(n, RULE).total_seconds() for n in range(1, 12)]
    assert seconds == [0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_a_failure_past_the_free_ones_imposes_a_wait_from_its_time() -> None:
    failures = [at(0), at(1), at(2), at(3)]  # the 4th failure: 1 s
    wait = wait_for(failures, None, at(3.5), RULE)
    assert wait is not None and wait.until == at(4) and not wait.locked
    assert wait_for(failures, None, at(4), RULE) is None


def test_failures_outside_the_window_are_forgotten() -> None:
    failures = [at(0), at(1), at(2), at(3), at(4)]
    assert wait_for(failures, None, at(5), RULE) is not None
    assert wait_for(failures, None, at(15 * 60 + 5), RULE) is None
    assert not locks([at(i) for i in range(10)], at(15 * 60 + 1), RULE)


def test_the_tenth_failure_in_the_window_locks_for_fifteen_minutes() -> None:
    failures = [at(i) for i in range(10)]
    assert not locks(failures[:9], at(9), RULE) and locks(failures, at(9), RULE)
    wait = wait_for([], at(9), at(10), RULE)  # the lock consumed the failures
    assert wait is not None and wait.locked and wait.until == at(9 + 15 * 60)
    assert wait_for([], at(9), at(9 + 15 * 60), RULE) is None


def test_lock_outs_in_a_row_double_up_to_the_cap() -> None:
    lengths = [lock_length(n, RULE).total_seconds() / 60 for n in range(1, 7)]
    assert lengths == [15, 30, 60, 120, 240, 240]
    wait = wait_for([], at(0), at(1), RULE, lock_count=3)
    assert wait is not None and wait.until == at(60 * 60)


def test_wait_text_rounds_up_in_seconds_then_minutes() -> None:
    assert wait_text(wait_for([at(i) for i in range(4)], None, at(3), RULE), at(3)) == "1 s"  # type: ignore[arg-type]
    assert wait_text(wait_for([], at(0), at(1), RULE), at(1)) == "15 min"  # type: ignore[arg-type]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture
def repo(tmp_path: Path, clock: FakeClock) -> Repository:
    repo = Repository.open(f"sqlite:///{tmp_path / 'db.sqlite3'}", AuthSettings(account=RULE))
    repo.clock = clock
    repo.create_user("alice", PASSWORD, "trainee")
    return repo


def fail(repo: Repository, name: str, address: str = "10.0.0.1") -> str:
    with pytest.raises(SignInRefused) as refused:
        repo.sign_in(name, "mauvais-mot-de-passe", address)
    return str(refused.value)


def lock(repo: Repository, clock: FakeClock, name: str) -> None:
    """Ten failures, each one as soon as the previous delay allows: the account locks."""
    for n in range(10):
        clock.advance(seconds=delay_after(n, RULE).total_seconds())
        fail(repo, name)


def test_known_and_unknown_names_get_the_same_answers(repo: Repository, clock: FakeClock) -> None:
    answers = {}
    for name in ("alice", "personne"):
        seen = []
        for _ in range(12):
            seen.append(fail(repo, name))
            clock.advance(seconds=0.5)
        answers[name] = seen
    assert answers["alice"] == answers["personne"]
    assert answers["alice"][:3] == ["Identifiant ou mot de passe incorrect."] * 3
    assert answers["alice"][3] == "Identifiant ou mot de passe incorrect."  # 4th checked, then 1 s
    assert answers["alice"][4].startswith("Trop de tentatives : réessayez dans")


def test_lock_out_refuses_the_right_password_until_it_ends(repo: Repository, clock: FakeClock) -> None:
    lock(repo, clock, "alice")
    with pytest.raises(SignInRefused, match="réessayez dans 15 min"):
        repo.sign_in("alice", PASSWORD, "10.0.0.2")  # another address: the account is locked
    clock.advance(minutes=14)
    with pytest.raises(SignInRefused, match="réessayez dans 1 min"):
        repo.sign_in("alice", PASSWORD, "10.0.0.2")
    clock.advance(minutes=1)
    assert repo.sign_in("alice", PASSWORD, "10.0.0.2").username == "alice"
    kinds = [e.kind for e in reversed(repo.sign_in_log("alice"))]
    assert kinds == ["failure"] * 10 + ["account_locked", "refused", "refused", "success"]


def test_a_second_lock_out_lasts_twice_as_long_until_a_success(repo: Repository, clock: FakeClock) -> None:
    lock(repo, clock, "alice")
    clock.advance(minutes=15)
    lock(repo, clock, "alice")
    with pytest.raises(SignInRefused, match="réessayez dans 30 min"):
        repo.sign_in("alice", PASSWORD, "10.0.0.1")
    clock.advance(minutes=30)
    assert repo.sign_in("alice", PASSWORD, "10.0.0.1").username == "alice"
    clock.advance(seconds=1)
    lock(repo, clock, "alice")  # the success started the series over
    with pytest.raises(SignInRefused, match="réessayez dans 15 min"):
        repo.sign_in("alice", PASSWORD, "10.0.0.1")
    assert [e.detail for e in repo.sign_in_log("alice") if e.kind == "account_locked"] == [
        "15 min",
        "30 min",
        "15 min",
    ]


def test_success_resets_the_account_counter(repo: Repository, clock: FakeClock) -> None:
    for _ in range(3):
        fail(repo, "alice")
    assert repo.sign_in("alice", PASSWORD, "10.0.0.1").username == "alice"
    for _ in range(3):  # three free failures again
        assert fail(repo, "alice") == "Identifiant ou mot de passe incorrect."


def test_unlock_ends_a_lock_out_at_once(repo: Repository, clock: FakeClock) -> None:
    lock(repo, clock, "alice")
    with pytest.raises(SignInRefused, match="Trop de tentatives"):
        repo.sign_in("alice", PASSWORD, "10.0.0.1")
    repo.unlock(username="alice")
    assert repo.sign_in("alice", PASSWORD, "10.0.0.1").username == "alice"
    assert [e.kind for e in repo.sign_in_log("alice")[:2]] == ["success", "account_unlocked"]


def test_one_address_spraying_many_names_is_locked(tmp_path: Path, clock: FakeClock) -> None:
    by_address = AddressThrottleSettings(free_failures=5, lock_after=8, max_delay_seconds=0)
    repo = Repository.open(f"sqlite:///{tmp_path / 'db.sqlite3'}", AuthSettings(address=by_address))
    repo.clock = clock
    repo.create_user("alice", PASSWORD, "trainee")
    for i in range(8):  # one try per name: no account counter moves past its free failures
        fail(repo, f"nom{i}", "10.9.9.9")
    with pytest.raises(SignInRefused, match="réessayez dans 15 min"):
        repo.sign_in("alice", PASSWORD, "10.9.9.9")
    assert repo.sign_in("alice", PASSWORD, "10.0.0.7").username == "alice"  # other addresses are not
    repo.unlock(address="10.9.9.9")
    assert repo.sign_in("alice", PASSWORD, "10.9.9.9").username == "alice"
    assert "address_locked" in [e.kind for e in repo.sign_in_log()]


def test_hammering_a_lock_writes_one_refused_line_per_minute(repo: Repository, clock: FakeClock) -> None:
    lock(repo, clock, "alice")
    for _ in range(50):
        fail(repo, "alice")
        clock.advance(seconds=3)  # 150 s of hammering
    assert sum(e.kind == "refused" for e in repo.sign_in_log("alice")) == 3


def test_journal_lines_older_than_the_retention_are_purged(repo: Repository, clock: FakeClock) -> None:
    fail(repo, "alice")
    clock.advance(days=181)
    repo.sign_in("alice", PASSWORD, "10.0.0.1")
    assert [e.kind for e in repo.sign_in_log()] == ["success"]


def test_one_figure_of_the_policy_is_set_without_restating_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crca.settings import load_settings

    monkeypatch.setenv("CRCA_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("CRCA_AUTH__ACCOUNT__LOCK_AFTER", "5")
    monkeypatch.setenv("CRCA_AUTH__ADDRESS__LOCK_MINUTES", "30")
    auth = load_settings().auth
    assert (auth.account.free_failures, auth.account.lock_after, auth.account.lock_minutes) == (3, 5, 15)
    assert (auth.address.free_failures, auth.address.lock_after, auth.address.lock_minutes) == (30, 100, 30)
