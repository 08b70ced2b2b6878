"""Accounts: argon2 hashes, unique usernames, roles, sign-in tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from webapp.storage import Repository, StorageError
from webapp.storage.models import TokenRow, UserRow


@pytest.fixture
def repo(db_url: str) -> Repository:
    return Repository.open(db_url)


def test_password_is_hashed_with_argon2_and_verified(repo: Repository) -> None:
    repo.create_user("alice", "motdepasse1", "trainee")
    with repo._tx() as db:
        stored = db.scalar(select(UserRow.password_hash).where(UserRow.username == "alice"))
    assert stored is not None and stored.startswith("$argon2id$")
    assert "motdepasse1" not in stored
    assert repo.authenticate("alice", "motdepasse1") is not None
    assert repo.authenticate("alice", "mauvais-mdp") is None
    assert repo.authenticate("inconnu", "motdepasse1") is None


def test_usernames_are_unique_and_roles_checked(repo: Repository) -> None:
    repo.create_user("bob", "motdepasse1", "trainer")
    with pytest.raises(StorageError, match="existe déjà"):
        repo.create_user("bob", "autremotdepasse", "trainee")
    with pytest.raises(StorageError, match="Rôle inconnu"):
        repo.create_user("carol", "motdepasse1", "admin")  # type: ignore[arg-type]
    with pytest.raises(StorageError, match="trop court"):
        repo.create_user("dave", "court", "trainee")
    assert [(u.username, u.role) for u in repo.list_users()] == [("bob", "trainer")]


def test_token_identifies_user_and_is_stored_hashed(repo: Repository) -> None:
    user = repo.create_user("alice", "motdepasse1", "trainee")
    token = repo.issue_token(user.id)
    assert repo.user_for_token(token) == user
    with repo._tx() as db:
        hashes = list(db.scalars(select(TokenRow.token_hash)))
    assert token not in hashes and len(hashes) == 1
    assert repo.user_for_token("forged") is None
    repo.revoke_token(token)
    assert repo.user_for_token(token) is None


def test_first_accounts_are_created_once_on_an_empty_database(repo: Repository) -> None:
    created = repo.ensure_first_accounts()
    assert [(name, role) for name, _, role in created] == [("formateur", "trainer"), ("stagiaire", "trainee")]
    for name, password, _ in created:
        assert repo.authenticate(name, password) is not None
    assert repo.ensure_first_accounts() == []  # never again once someone exists


def test_first_accounts_are_not_created_when_users_exist(repo: Repository) -> None:
    repo.create_user("alice", "motdepasse1", "trainer")
    assert repo.ensure_first_accounts() == []
    assert [u.username for u in repo.list_users()] == ["alice"]
