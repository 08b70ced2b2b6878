"""The whole loop in headless Chromium: trainee practice → graded report → trainer review → CSV export.

Debian's chromium is driven by Playwright (never `playwright install`: no download here).
Screenshots of every step go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.app_server import SCENARIO, running_app
from tests.browser.pages import CHROMIUM, TIMEOUT, shot, sign_in
from webapp.ui.services import AppServices

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium absent (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, AppServices]]:
    with running_app(tmp_path_factory.mktemp("browser") / "home") as served:
        yield served


def choose(page: Any, elem_id: str, option: str | re.Pattern[str]) -> None:
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=option).first.click()


def send(page: Any, services: AppServices, text: str, turns: int) -> None:
    """Send a message and wait until the reply is stored and the stream has ended (a click while
    the previous reply streams is ignored by Gradio)."""
    page.locator("#message textarea").fill(text)
    page.locator("#send-btn").click()
    deadline = time.monotonic() + TIMEOUT / 1000
    while len(services.repo.list_sessions()[0].transcript.turns) < turns:
        assert time.monotonic() < deadline, f"réponse non enregistrée : {text}"
        time.sleep(0.2)
    page.wait_for_function(
        f"document.querySelectorAll('#chat .message-row').length >= {turns}"
        " && !document.querySelector('#chat .generating, #chat .pending')"
    )
    page.get_by_text(text).first.wait_for()


def test_trainee_practice_then_trainer_override(app: tuple[str, AppServices], browser: Any) -> None:
    url, services = app
    title = services.scenarios.get()[SCENARIO].title

    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(TIMEOUT)
    sign_in(page, url, "alice", "motdepasse-a1b2")
    shot(page, "01-stagiaire-connecte")

    choose(page, "scenario-picker", title)
    page.locator("#start-btn").click()
    page.locator("#brief").get_by_text("Dossier client").wait_for()
    page.wait_for_function("document.querySelectorAll('#chat .message-row').length >= 1")
    shot(page, "02-scenario-et-dossier")

    send(page, services, "Bonjour, Assurances du Centre, Julie à votre écoute.", 3)
    send(page, services, "Pouvez-vous me décrire le choc ?", 5)
    shot(page, "03-deux-echanges")

    page.reload()  # the conversation survives a reload
    page.get_by_text("Connecté : alice").wait_for()
    page.wait_for_function("document.querySelectorAll('#chat .message-row').length >= 5")
    assert page.get_by_text("Pouvez-vous me décrire le choc ?").count() >= 1

    choose(page, "action-type", "Déclaration de sinistre ouverte")
    page.locator("#action-detail textarea").fill("Choc arrière, tiers identifié")
    page.locator("#action-btn").click()
    page.locator("#actions-log").get_by_text("Choc arrière, tiers identifié").wait_for()
    shot(page, "04-operation-back-office")

    page.locator("#finish-btn").click()
    report = page.frame_locator("#report iframe")
    report.get_by_text("Bloc 1").first.wait_for(timeout=60_000)
    page.locator("#downloads").get_by_text(re.compile(r"\.html")).first.wait_for()
    shot(page, "05-rapport-evalue")

    session_id = services.repo.list_sessions()[0].id

    staff = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    staff.set_default_timeout(TIMEOUT)
    sign_in(staff, url, "fanny", "motdepasse-f3g4h5")
    staff.get_by_role("tab", name="Formateur").click()
    staff.locator("#trainer-sessions [role=gridcell]", has_text="alice").first.click()
    staff.wait_for_function(
        f"document.querySelector('#trainer-sid textarea, #trainer-sid input').value === '{session_id}'"
    )
    staff.frame_locator("#trainer-report iframe").get_by_text("Bloc 1").first.wait_for()
    shot(staff, "06-formateur-session")

    target = staff.locator("#queue-card [data-criterion]").get_attribute("data-criterion")
    grade = services.repo.latest_grade(session_id)
    assert grade is not None and target is not None
    new = "partial" if grade.report.grade(target).verdict.value != "partial" else "acquired"
    staff.locator("#queue-comment textarea").fill("Reformulation partielle, vue en séance")
    staff.locator(f"#queue-v-{new}").click()
    staff.locator("#queue-progress").get_by_text("1 / 28 revus").wait_for()
    staff.get_by_text("Historique des décisions").click()
    staff.locator("#queue-history").get_by_text("Reformulation partielle, vue en séance").wait_for()
    assert "fanny" in staff.locator("#queue-history").inner_text()
    shot(staff, "07-verdict-modifie")

    staff.locator("#trainer-csv-btn").click()
    link = staff.locator("#trainer-csv a").first
    link.wait_for()
    response = staff.request.get(link.get_attribute("href"))
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert rows[0]["session_id"] == session_id and rows[0][target] == new
    shot(staff, "08-export-csv")
