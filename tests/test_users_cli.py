"""`crca users`: password rule, passwd and disable revoking tokens, unlock, and the journal."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest

from crca.settings import load_settings
from webapp.cli import main
from webapp.storage import Repository
from webapp.storage.signin import SignInRefused

PASSWORD = "motdepasse-a1b2"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repository:
    """The database the CLI opens (same settings), seen from the test."""
    monkeypatch.setenv("CRCA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CRCA_CONFIG", str(tmp_path / "absent.toml"))
    settings = load_settings()
    return Repository.open(settings.db_url, settings.auth)


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *argv: str, stdin: str = ""
) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["users", *argv])
    out = capsys.readouterr()
    return f"{code}|{out.out}{out.err}"


def test_create_applies_the_length_rule(
    repo: Repository, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["create", "--username", "julie", "--role", "trainee", "--password-stdin"]
    refused = run(capsys, monkeypatch, *args, stdin="court-11car\n")
    assert refused.startswith("1|") and "12 caractères au moins" in refused
    made = run(capsys, monkeypatch, "create", "--username", "marc", "--role", "trainer", "--generate")
    assert made.startswith("0|Compte créé : marc (formateur)")
    generated = made.split("Mot de passe : ")[1].strip()
    assert len(generated) >= 16 and repo.authenticate("marc", generated) is not None


def test_passwd_and_disable_close_open_sessions(
    repo: Repository, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    user = repo.create_user("julie", PASSWORD, "trainee")
    token = repo.issue_token(user.id)
    out = run(capsys, monkeypatch, "passwd", "julie", "--password-stdin", stdin="un-tout-nouveau-mdp\n")
    assert out.startswith("0|") and "1 connexion(s) ouverte(s) fermée(s)" in out
    assert repo.user_for_token(token) is None
    assert repo.authenticate("julie", "un-tout-nouveau-mdp") is not None

    token = repo.issue_token(user.id)
    assert run(capsys, monkeypatch, "disable", "julie").startswith("0|Compte julie désactivé ; 1")
    assert repo.user_for_token(token) is None
    with pytest.raises(SignInRefused, match="incorrect"):
        repo.sign_in("julie", "un-tout-nouveau-mdp", "10.0.0.1")
    assert "désactivé" in run(capsys, monkeypatch, "list")
    assert run(capsys, monkeypatch, "enable", "julie").startswith("0|Compte julie réactivé.")
    assert repo.sign_in("julie", "un-tout-nouveau-mdp", "10.0.0.1").username == "julie"
    assert run(
        capsys, monkeypatch, "passwd", "personne", "--password-stdin", stdin="un-tout-nouveau-mdp\n"
    ) == ("1|Erreur : Compte introuvable : personne.\n")


def test_unlock_and_log(
    repo: Repository, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.create_user("julie", PASSWORD, "trainee")
    now = repo.clock()
    for n in range(10):  # a minute apart, beyond every delay: the tenth failure (a minute ago) locks
        repo.clock = lambda n=n: now - timedelta(minutes=10 - n)  # type: ignore[misc]
        with pytest.raises(SignInRefused):
            repo.sign_in("julie", "mauvais-mot-de-passe", "10.0.0.3")
    assert "verrouillé" in run(capsys, monkeypatch, "list")
    assert run(capsys, monkeypatch, "unlock", "julie") == "0|Déverrouillé : julie.\n"
    assert "actif" in run(capsys, monkeypatch, "list")
    log = run(capsys, monkeypatch, "log", "--user", "julie").splitlines()
    assert "compte déverrouillé" in log[0] and "console" in log[0]
    assert "compte verrouillé" in log[1] and "10.0.0.3" in log[1]
    assert sum("échec de connexion (mot de passe incorrect)" in line for line in log) == 10
    assert run(capsys, monkeypatch, "unlock").startswith("1|Erreur : donnez un identifiant")


def test_cohort_at_creation_and_later(
    repo: Repository, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["create", "--username", "julie", "--role", "trainee", "--cohort", "CQP-2026-A", "--generate"]
    assert run(capsys, monkeypatch, *args).startswith("0|Compte créé : julie (stagiaire, cohorte CQP-2026-A)")
    assert "julie\tstagiaire\tcohorte CQP-2026-A\t" in run(capsys, monkeypatch, "list")
    assert run(capsys, monkeypatch, "cohort", "julie", "CQP-2026-B") == "0|julie : cohorte CQP-2026-B.\n"
    assert [u.cohort for u in repo.list_users()] == ["CQP-2026-B"]
    assert run(capsys, monkeypatch, "cohort", "julie") == "0|julie : sans cohorte.\n"
    assert [u.cohort for u in repo.list_users()] == [None]
    repo.create_user("marc", "motdepasse-formateur-1", "trainer")
    refused = run(capsys, monkeypatch, "cohort", "marc", "CQP-2026-A")
    assert refused.startswith("1|") and "Seuls les stagiaires" in refused
