"""A trainer reviews a whole 28-criterion session through the queue in headless Chromium.

Every click from the « Formateur » tab to the last decision is counted (target ≤ 40); three
verdicts are changed with a comment. The report beside the queue must follow (synthesis,
counts, score), the agreement dashboard must show the new disagreement, and the trainee must
see the reviewed report with the trainer's notes. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from domain.grades import Verdict
from tests.app_server import SCENARIO, running_app
from tests.browser.pages import CHROMIUM, TIMEOUT, shot, sign_in
from webapp.ui import practice
from webapp.ui.auth import sign_in as sign_in_token
from webapp.ui.services import AppServices

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium absent (apt-get install chromium)"),
]
CHANGES = 3
TARGET_CLICKS = 40


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, AppServices]]:
    with running_app(tmp_path_factory.mktemp("review") / "home") as served:
        yield served


def graded_session(services: AppServices) -> str:
    """A practice session of alice's, graded by the app's own (scripted) grader: 28 criteria."""
    tok = sign_in_token(services, "alice", "motdepasse-a1b2").token
    session = practice.start_session(services, tok, SCENARIO)
    for text in ["Bonjour, Assurances du Centre, Julie à votre écoute.", "Pouvez-vous me décrire le choc ?"]:
        list(practice.send_message(services, tok, session.id, text))
    practice.finish_and_grade(services, tok, session.id)
    return session.id


class Clicks:
    """Counts the trainer's clicks (typing is not a click; a click into the comment box is)."""

    def __init__(self, page: Any) -> None:
        self.page, self.count = page, 0

    def click(self, selector: str, **kwargs: Any) -> None:
        self.page.locator(selector, **kwargs).first.click()
        self.count += 1


def reviewed_text(page: Any, done: int) -> None:
    page.locator("#queue-progress").get_by_text(re.compile(rf"\b{done} / 28 revus")).wait_for()


def score_of(page: Any) -> int:
    found = re.search(r"score : (\d+) %", page.locator("#queue-progress").inner_text())
    assert found, page.locator("#queue-progress").inner_text()
    return int(found.group(1))


def report_text(page: Any) -> str:
    return str(page.frame_locator("#trainer-report iframe").locator("body").inner_text())


def test_trainer_reviews_a_whole_session_through_the_queue(
    app: tuple[str, AppServices], browser: Any
) -> None:
    url, services = app
    session_id = graded_session(services)
    grade = services.repo.latest_grade(session_id)
    assert grade is not None and len(grade.report.criteria) == 28
    graded = {c.criterion_id: c.verdict for c in grade.report.criteria}

    staff = browser.new_context(viewport={"width": 1500, "height": 1100}).new_page()
    staff.set_default_timeout(TIMEOUT)
    sign_in(staff, url, "fanny", "motdepasse-f3g4h5")
    clicks = Clicks(staff)
    clicks.click("role=tab[name='Formateur']")
    row = staff.locator("#trainer-sessions [role=gridcell]", has_text="alice").first
    row.wait_for()
    staff.locator("#trainer-sessions [role=gridcell]", has_text="0 / 28").first.wait_for()
    clicks.click("#trainer-sessions [role=gridcell]", has_text="alice")
    reviewed_text(staff, 0)
    staff.frame_locator("#trainer-report iframe").get_by_text("Bloc 1").first.wait_for()
    before = report_text(staff)
    score_before = score_of(staff)
    shot(staff, "10-file-de-revue")

    # The keyboard: « 1 » picks « acquis » (« 3 » « non acquis »); with no comment the change is
    # refused in French and nothing is stored.
    first = staff.locator("#queue-card [data-criterion]").get_attribute("data-criterion")
    staff.keyboard.press("1" if graded[first] != Verdict.ACQUIRED else "3")
    staff.get_by_text("Un commentaire est requis pour modifier un verdict.").first.wait_for()
    toast = staff.locator("[data-testid=toast-body]").first
    toast.locator(".toast-title").get_by_text("Erreur").wait_for()  # Gradio alone shows « Error »
    assert services.repo.latest_grade(session_id).reviews == []  # type: ignore[union-attr]
    shot(staff, "10b-commentaire-requis")

    changed: dict[str, Verdict] = {}
    for done in range(28):
        cid = staff.locator("#queue-card [data-criterion]").get_attribute("data-criterion")
        assert cid in graded and cid not in changed
        if len(changed) < CHANGES and graded[cid] == Verdict.NOT_ACQUIRED:
            new = Verdict.ACQUIRED  # each change raises the score: the changes cannot cancel out
            clicks.click("#queue-comment textarea")
            staff.locator("#queue-comment textarea").fill(f"Relu en séance : {cid} vaut {new.value}")
            clicks.click(f"#queue-v-{new.value}")
            changed[cid] = new
        else:
            clicks.click("#queue-confirm")
        reviewed_text(staff, done + 1)
    print(f"\nClics du formateur pour revoir 28 critères ({CHANGES} modifiés) : {clicks.count}")
    assert len(changed) == CHANGES
    assert clicks.count <= TARGET_CLICKS
    shot(staff, "11-session-revue")

    # Keyboard navigation: « p » goes back one card, « n » forward again (the queue order is kept).
    card = staff.locator("#queue-card")
    last = card.locator("[data-criterion]").get_attribute("data-criterion")
    staff.keyboard.press("p")
    card.get_by_text("Carte 27 / 28").wait_for()
    assert card.locator("[data-criterion]").get_attribute("data-criterion") != last
    staff.keyboard.press("n")
    card.get_by_text("Carte 28 / 28").wait_for()
    assert card.locator("[data-criterion]").get_attribute("data-criterion") == last

    stored = services.repo.latest_grade(session_id)
    assert stored is not None and len({r.criterion_id for r in stored.reviews}) == 28
    assert {r.criterion_id: r.verdict for r in stored.reviews if not r.confirms} == changed

    staff.locator("#queue-progress").get_by_text("session entièrement revue").wait_for()
    assert score_of(staff) > score_before  # three « non acquis » became « acquis »
    after = report_text(staff)
    synthesis = lambda text: text.split("Synthèse", 1)[1].split("Bloc 1", 1)[0]  # noqa: E731
    assert synthesis(after) != synthesis(before)
    assert re.findall(r"acquis : \d+", after) != re.findall(r"acquis : \d+", before)  # bar legends
    for cid in changed:
        assert f"Relu en séance : {cid}" in after

    # The list followed the review: the session is no longer awaiting it.
    staff.locator("#trainer-sessions [role=gridcell]", has_text="28 / 28").first.wait_for()

    staff.get_by_role("tab", name="Accord évaluateur / formateurs").click()
    staff.locator("#agreement-btn").click()
    board = staff.locator("#agreement-summary")
    board.get_by_text(re.compile(r"25 / 28")).first.wait_for()
    corrected = staff.locator("#agreement-corrected").inner_text()
    assert all(cid in corrected for cid in changed)
    shot(staff, "12-tableau-accord")

    trainee = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    trainee.set_default_timeout(TIMEOUT)
    sign_in(trainee, url, "alice", "motdepasse-a1b2")
    trainee.locator("#my-sessions input").click()
    trainee.get_by_role("option", name=re.compile("relue par le formateur")).first.click()
    trainee.locator("#resume-btn").click()
    notes = trainee.locator("#trainer-notes")
    notes.get_by_text("Revue du formateur").wait_for()
    assert "25 verdict(s) confirmé(s), 3 modifié(s)" in notes.inner_text()
    for cid in changed:
        assert f"Relu en séance : {cid}" in notes.inner_text()
    trainee.frame_locator("#report iframe").get_by_text(
        f"Relu en séance : {next(iter(changed))}"
    ).first.wait_for()
    assert trainee.locator("#replay-btn").is_visible()
    trainee.get_by_text("Ma progression par critère").click()
    progress = trainee.locator("#my-progress")
    progress.get_by_text("B1.0").first.wait_for()
    final = graded | changed  # one session: one cell per criterion, « A » where acquired
    acquired = sum(v == Verdict.ACQUIRED for v in final.values())
    assert progress.locator("td", has_text=re.compile("^A$")).count() == acquired
    trainee.locator("#my-progress-plot canvas, #my-progress-plot svg").first.wait_for()
    shot(trainee, "13-stagiaire-rapport-revu")
