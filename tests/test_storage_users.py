"""Accounts: argon2 hashes, unique usernames, roles, the password rule, tokens and their lifetime."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crca.settings import AuthSettings
from tests.fake_clock import FakeClock
from webapp.storage import Repository, StorageError
from webapp.storage.models import SignInTokenRow, UserRow

TRAINEE_PW, TRAINER_PW = "motdepasse-a1b2", "motdepasse-f3g4h5"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def repo(db_url: str, clock: FakeClock) -> Repository:
    repo = Repository.open(db_url, AuthSettings())
    repo.clock = clock
    return repo


def test_password_is_hashed_with_argon2_and_verified(repo: Repository) -> None:
    repo.create_user("alice", TRAINEE_PW, "trainee")
    with repo._tx() as db:
        stored = db.scalar(select(UserRow.password_hash).where(UserRow.username == "alice"))
    assert stored is not None and stored.startswith("$argon2id$")
    assert TRAINEE_PW not in stored
    assert repo.authenticate("alice", TRAINEE_PW) is not None
    assert repo.authenticate("alice", "mauvais-mdp") is None
    assert repo.authenticate("inconnu", TRAINEE_PW) is None


def test_usernames_are_unique_and_roles_checked(repo: Repository) -> None:
    repo.create_user("bob", TRAINER_PW, "trainer")
    with pytest.raises(StorageError, match="existe déjà"):
        repo.create_user("bob", "autremotdepasse", "trainee")
    with pytest.raises(StorageError, match="Rôle inconnu"):
        repo.create_user("carol", TRAINEE_PW, "admin")  # type: ignore[arg-type]
    assert [(u.username, u.role) for u in repo.list_users()] == [("bob", "trainer")]


@pytest.mark.parametrize(
    ("role", "password", "message"),
    [
        ("trainee", "x" * 11, "12 caractères au moins"),
        ("trainer", "x" * 15, "16 caractères au moins"),
        ("trainee", "dave-dave-dave", "identifiant"),
        ("trainee", "x" * 257, "trop long"),
    ],
)
def test_password_rule_refuses_weak_passwords(
    repo: Repository, role: str, password: str, message: str
) -> None:
    with pytest.raises(StorageError, match=message):
        repo.create_user("Dave", password, role)  # type: ignore[arg-type]
    assert repo.list_users() == []


def test_password_rule_accepts_the_minimum_lengths(repo: Repository) -> None:
    repo.create_user("erin", "y" * 12, "trainee")
    repo.create_user("fred", "z" * 16, "trainer")
    assert len(repo.list_users()) == 2


def test_token_identifies_user_and_is_stored_hashed(repo: Repository) -> None:
    user = repo.create_user("alice", TRAINEE_PW, "trainee")
    token = repo.issue_token(user.id)
    assert repo.user_for_token(token) == user
    with repo._tx() as db:
        hashes = list(db.scalars(select(SignInTokenRow.token_hash)))
    assert token not in hashes and len(hashes) == 1
    assert repo.user_for_token("forged") is None
    repo.revoke_token(token)
    assert repo.user_for_token(token) is None


def test_token_expires_when_idle_but_use_keeps_it_alive(repo: Repository, clock: FakeClock) -> None:
    user = repo.create_user("alice", TRAINEE_PW, "trainee")
    token = repo.issue_token(user.id)
    for _ in range(10):  # used every 20 minutes: 200 minutes, well past one idle period
        clock.advance(minutes=20)
        assert repo.user_for_token(token) == user
    clock.advance(minutes=30)
    assert repo.user_for_token(token) is None
    with repo._tx() as db:
        assert list(db.scalars(select(SignInTokenRow))) == []  # the expired token is gone


def test_token_expires_after_its_absolute_lifetime_even_if_used(repo: Repository, clock: FakeClock) -> None:
    user = repo.create_user("alice", TRAINEE_PW, "trainee")
    token = repo.issue_token(user.id)
    for _ in range(7 * 4 + 3):  # every 15 minutes for 7 h 45
        clock.advance(minutes=15)
        assert repo.user_for_token(token) == user
    clock.advance(minutes=15)  # 8 h after sign-in
    assert repo.user_for_token(token) is None


def test_expired_tokens_are_purged_at_the_next_sign_in(repo: Repository, clock: FakeClock) -> None:
    user = repo.create_user("alice", TRAINEE_PW, "trainee")
    for _ in range(3):
        repo.issue_token(user.id)
    clock.advance(hours=1)
    fresh = repo.issue_token(user.id)
    with repo._tx() as db:
        assert len(list(db.scalars(select(SignInTokenRow)))) == 1
    assert repo.user_for_token(fresh) == user


def test_password_change_revokes_every_token(repo: Repository) -> None:
    user = repo.create_user("alice", TRAINEE_PW, "trainee")
    tokens = [repo.issue_token(user.id), repo.issue_token(user.id)]
    other = repo.issue_token(repo.create_user("bob", TRAINEE_PW, "trainee").id)
    assert repo.change_password("alice", "nouveau-mot-de-passe") == 2
    assert [repo.user_for_token(t) for t in tokens] == [None, None]
    assert repo.user_for_token(other) is not None  # other accounts keep theirs
    assert repo.authenticate("alice", TRAINEE_PW) is None
    assert repo.authenticate("alice", "nouveau-mot-de-passe") == user
    with pytest.raises(StorageError, match="trop court"):
        repo.change_password("alice", "court")
    with pytest.raises(StorageError, match="introuvable"):
        repo.change_password("personne", "nouveau-mot-de-passe")


def test_disabled_account_loses_its_tokens_and_cannot_sign_in(repo: Repository) -> None:
    user = repo.create_user("alice", TRAINEE_PW, "trainee")
    token = repo.issue_token(user.id)
    assert repo.set_disabled("alice", True) == 1
    assert repo.user_for_token(token) is None
    assert repo.authenticate("alice", TRAINEE_PW) is None
    assert [s.disabled for s in repo.account_statuses()] == [True]
    repo.set_disabled("alice", False)
    assert repo.authenticate("alice", TRAINEE_PW) == user


def test_first_accounts_are_created_once_on_an_empty_database(repo: Repository) -> None:
    created = repo.ensure_first_accounts()
    assert [(name, role) for name, _, role in created] == [("formateur", "trainer"), ("stagiaire", "trainee")]
    for name, password, _ in created:
        assert len(password) >= AuthSettings().min_password_length_trainer
        assert repo.authenticate(name, password) is not None
    assert repo.ensure_first_accounts() == []  # never again once someone exists


def test_first_accounts_are_not_created_when_users_exist(repo: Repository) -> None:
    repo.create_user("alice", TRAINER_PW, "trainer")
    assert repo.ensure_first_accounts() == []
    assert [u.username for u in repo.list_users()] == ["alice"]
