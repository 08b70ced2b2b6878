"""Sign-in through the real app (gradio_client): lock-out, token expiry and revocation, journal.

The server's clock is injected: delays, the 15-minute lock and token expiry pass without sleeping.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from tests.app_server import SCENARIO, running_app
from tests.fake_clock import FakeClock
from webapp.ui.services import AppServices

ALICE, FANNY = ("alice", "motdepasse-a1b2"), ("fanny", "motdepasse-f3g4h5")
PUBLIC = {"/sign_in", "/search"}
"""Endpoints callable without a token."""
SIGNED_OUT = {"/sign_out", "/restore"}
"""Endpoints that answer a dead token by showing the sign-in form (no error)."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, AppServices, FakeClock]]:
    with running_app(tmp_path_factory.mktemp("auth") / "home") as (url, services):
        clock = FakeClock()
        services.repo.clock = clock
        yield url, services, clock


@pytest.fixture
def app(served: tuple[str, AppServices, FakeClock]) -> Iterator[tuple[str, AppServices, FakeClock]]:
    yield served
    served[2].advance(hours=1)  # every test starts with the window, the locks and the tokens behind it


def client(url: str) -> Any:
    from gradio_client import Client

    return Client(url, verbose=False)


def sign_in(url: str, username: str, password: str) -> str:
    return client(url).predict(username, password, api_name="/sign_in")[0]


def refusal(url: str, username: str, password: str) -> str:
    with pytest.raises(Exception) as refused:  # gradio_client's AppError carries the French message
        sign_in(url, username, password)
    return str(refused.value)


def test_thirty_wrong_passwords_lock_the_account_until_the_lock_ends(
    app: tuple[str, AppServices, FakeClock],
) -> None:
    url, services, clock = app
    answers = []
    for n in range(30):
        answers.append(refusal(url, "alice", "devine-moi-123"))
        clock.advance(seconds=61 if n < 10 else 5)  # the first ten wait out every growing delay
    assert answers[:10] == ["Identifiant ou mot de passe incorrect."] * 10
    assert all("Trop de tentatives : réessayez dans" in a for a in answers[10:])
    assert "Trop de tentatives" in refusal(url, *ALICE)  # locked: the right password is refused too
    lock = next(e for e in services.repo.sign_in_log("alice") if e.kind == "account_locked")
    clock.now = lock.at + timedelta(minutes=15)
    token = sign_in(url, *ALICE)  # the lock has ended by itself
    assert services.repo.user_for_token(token) is not None

    kinds = [e.kind for e in reversed(services.repo.sign_in_log("alice"))]
    assert kinds[:11] == ["failure"] * 10 + ["account_locked"]
    assert kinds[-1] == "success" and "refused" in kinds[11:-1]
    assert {e.address for e in services.repo.sign_in_log("alice")} == {"127.0.0.1"}


def test_unknown_name_is_answered_exactly_like_a_known_one(app: tuple[str, AppServices, FakeClock]) -> None:
    url, _, clock = app
    answers: dict[str, list[str]] = {"fanny": [], "personne": []}
    for name, seen in answers.items():
        for _ in range(6):
            seen.append(refusal(url, name, "devine-moi-123"))
            clock.advance(seconds=0.5)
    assert answers["fanny"] == answers["personne"]
    assert answers["fanny"][4].startswith("Trop de tentatives")  # the 4th failure imposed 1 s


def test_expired_token_is_refused_on_every_endpoint(app: tuple[str, AppServices, FakeClock]) -> None:
    url, services, clock = app
    trainer = client(url)
    token = trainer.predict(*FANNY, api_name="/sign_in")[0]  # a trainer may call every endpoint
    session_id = trainer.predict(token, SCENARIO, api_name="/start")[0]
    clock.advance(minutes=31)  # idle past the 30-minute limit
    values = {"session_id": session_id, "sid": session_id, "scenario_id": SCENARIO, "text": "Bonjour",
              "detail": "x", "cid": None, "paths": []}  # fmt: skip
    api = trainer.view_api(return_format="dict", print_info=False)["named_endpoints"]
    guarded = sorted(set(api) - PUBLIC - SIGNED_OUT)
    assert {"/start", "/send", "/finish", "/trainer_sessions", "/sign_in_log"} <= set(guarded)
    for name in guarded:
        params = api[name]["parameters"]
        assert params[0]["parameter_name"] == "tok", name
        args = [token] + [
            values.get(p["parameter_name"], p["parameter_default"] if p["parameter_has_default"] else "")
            for p in params[1:]
        ]
        with pytest.raises(Exception, match="Session expirée ou absente"):
            trainer.predict(*args, api_name=name)
    restored = trainer.predict(token, session_id, api_name="/restore")
    assert restored[0] is None and restored[1] == "Non connecté."


def test_token_dies_after_its_absolute_lifetime_even_when_used(
    app: tuple[str, AppServices, FakeClock],
) -> None:
    url, _, clock = app
    trainee = client(url)
    token = trainee.predict(*ALICE, api_name="/sign_in")[0]
    for _ in range(16):  # a trainee busy all day: a call every 29 minutes for 7 h 44
        clock.advance(minutes=29)
        assert trainee.predict(token, None, api_name="/restore")[0] == token
    clock.advance(minutes=29)  # 8 h 13 after signing in
    with pytest.raises(Exception, match="Session expirée"):
        trainee.predict(token, SCENARIO, api_name="/start")


def test_password_change_revokes_the_old_token(app: tuple[str, AppServices, FakeClock]) -> None:
    url, services, _ = app
    trainee = client(url)
    old = trainee.predict(*ALICE, api_name="/sign_in")[0]
    trainee.predict(old, SCENARIO, api_name="/start")
    services.repo.change_password("alice", "nouveau-mot-de-passe")  # what `crca users passwd` does
    try:
        with pytest.raises(Exception, match="Session expirée ou absente"):
            trainee.predict(old, SCENARIO, api_name="/start")
        assert "incorrect" in refusal(url, *ALICE)
        assert services.repo.user_for_token(sign_in(url, "alice", "nouveau-mot-de-passe")) is not None
    finally:
        services.repo.change_password("alice", ALICE[1])
    assert [e.kind for e in services.repo.sign_in_log("alice")][:4] == [
        "password_changed", "success", "failure", "password_changed"
    ]  # fmt: skip


def test_trainers_read_the_journal_and_trainees_cannot(app: tuple[str, AppServices, FakeClock]) -> None:
    url, _, clock = app
    refusal(url, "alice", "devine-moi-123")
    clock.advance(seconds=1)
    trainee_token = sign_in(url, *ALICE)
    with pytest.raises(Exception, match="formateurs"):
        client(url).predict(trainee_token, "", api_name="/sign_in_log")
    staff = client(url)
    token = staff.predict(*FANNY, api_name="/sign_in")[0]
    rows = staff.predict(token, "alice", api_name="/sign_in_log")["data"]
    assert [r[3] for r in rows[:2]] == ["connexion réussie", "échec de connexion"]
    assert rows[1][1] == "127.0.0.1" and rows[1][2] == "alice" and rows[1][4] == "mot de passe incorrect"
