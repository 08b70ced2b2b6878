"""The real Gradio server, launched in this process on a free port, driven by gradio_client."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app_server import SCENARIO, running_app
from webapp.ui.services import AppServices


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, AppServices]]:
    with running_app(tmp_path_factory.mktemp("app") / "home") as served:
        yield served


def client(url: str):  # noqa: ANN201
    from gradio_client import Client

    return Client(url, verbose=False)


def sign_in(url: str, username: str, password: str) -> str:
    return client(url).predict(username, password, api_name="/sign_in")[0]


def text_of(message: dict) -> str:
    content = message["content"]
    return content if isinstance(content, str) else "".join(part.get("text", "") for part in content)


def test_trainee_session_then_trainer_review(server: tuple[str, AppServices]) -> None:
    url, services = server
    trainee = client(url)
    token = trainee.predict("alice", "motdepasse-a1b2", api_name="/sign_in")[0]
    session_id = trainee.predict(token, SCENARIO, api_name="/start")[0]
    for text in ["Bonjour, Assurances du Centre, Julie à votre écoute.", "Pouvez-vous me décrire le choc ?"]:
        chat, status, box = trainee.predict(token, session_id, text, api_name="/send")
        assert text_of(chat[-2]) == text and chat[-1]["role"] == "assistant" and status == "" and box == ""
    log, _ = trainee.predict(token, session_id, "claim_opened", "Choc arrière", api_name="/action")
    assert "Déclaration de sinistre ouverte" in log

    # A page reload: a new connection with the same browser storage.
    reloaded = client(url).predict(token, session_id, api_name="/restore")
    assert reloaded[0] == token and "alice" in reloaded[1]
    assert reloaded[8] == session_id and len(reloaded[9]) == 5  # the session is back, both exchanges in it

    result = trainee.predict(token, session_id, api_name="/finish")
    report, files = result[5], result[6]
    assert "Bloc 1" in report and "srcdoc" in report
    assert sorted(Path(f).suffix for f in files) == [".html", ".json", ".md"]

    with pytest.raises(Exception, match="formateurs"):
        trainee.predict(token, "", "", "", "", None, None, api_name="/trainer_sessions")

    trainer = client(url)
    staff = trainer.predict("fanny", "motdepasse-f3g4h5", api_name="/sign_in")[0]
    rows = trainer.predict(staff, "", "", "", "", None, None, api_name="/trainer_sessions")
    assert [r[0] for r in rows["data"]] == [session_id]
    trainer.predict(staff, session_id, api_name="/open_session")
    grade = services.repo.latest_grade(session_id)
    assert grade is not None
    target = next(c for c in grade.report.criteria if c.verdict.value != "partial")
    trainer.predict(staff, session_id, target.criterion_id, "partial", "Relu en séance", api_name="/override")
    exported = trainer.predict(staff, "", "", "", "", None, None, api_name="/export_csv")
    rows_csv = list(csv.DictReader(Path(exported).open(encoding="utf-8")))
    assert rows_csv[0][target.criterion_id] == "partial"
    latest = services.repo.latest_grade(session_id)
    assert latest is not None and latest.reviews[0].author == "fanny"


def test_wrong_password_is_refused(server: tuple[str, AppServices]) -> None:
    url, _ = server
    with pytest.raises(Exception, match="incorrect"):
        sign_in(url, "alice", "mauvais")
