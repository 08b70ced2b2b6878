"""The review queue, the trainer's session list and the trainee's progress, called as handlers."""

from __future__ import annotations

from typing import Any

import pytest

from crca.llm import ScriptedChatModel
from domain.grades import CriterionGrade, Evidence, GradeReport, GraderInfo, Verdict
from domain.transcript import Transcript
from webapp.storage import Repository
from webapp.ui import practice, progress, queue, review
from webapp.ui.auth import AccessDenied, UIError, sign_in
from webapp.ui.services import AppServices, Lazy

SCENARIO = "auto-sinistre-choc-arriere"
PASSWORDS = {"alice": "motdepasse-a1b2", "bruno": "motdepasse-b2c3", "fanny": "motdepasse-f3g4h5"}


class FourCriteriaGrader:
    """B1.1 acquired (sure, quoting the advisor), B1.2 not acquired (to confirm), B1.3 partial (to
    confirm), B1.4 not observed (sure)."""

    def grade(self, transcript: Transcript, progress: Any = None) -> GradeReport:
        index, first = transcript.advisor_turns()[0]

        def grade(cid: str, verdict: Verdict, confidence: str, **extra: Any) -> CriterionGrade:
            return CriterionGrade(criterion_id=cid, verdict=verdict, justification=f"Motif {cid}.",
                                  confidence=confidence, **extra)  # fmt: skip

        return GradeReport(
            transcript_id=transcript.id, rubric_version="test",
            grader=GraderInfo(backend="scripted", model="x"),
            criteria=[
                grade("B1.1", Verdict.ACQUIRED, "sure", 
                      evidence=[Evidence(turn=index, quote=first.text[:7])]),
                grade("B1.2", Verdict.NOT_ACQUIRED, "to_confirm", tip="Reformulez.", articles=["AUTO-12"],
                      confidence_reason="trop peu de verdicts de ce type comparés aux évaluateurs (3)."),
                grade("B1.3", Verdict.PARTIAL, "to_confirm", to_verify=["Franchise citée : 150 € ?"]),
                grade("B1.4", Verdict.NOT_OBSERVED, "sure"),
            ],
        )  # fmt: skip


@pytest.fixture
def services(db_url: str) -> AppServices:
    from scenarios.library import load_scenarios

    repo = Repository.open(db_url)
    for name, password in PASSWORDS.items():
        repo.create_user(name, password, "trainer" if name == "fanny" else "trainee")
    line = "Oui, c'est moi. On m'a percuté par l'arrière."
    return AppServices(
        repo=repo, scenarios=Lazy(load_scenarios),
        client_model=Lazy(lambda: ScriptedChatModel(replies=[line])),
        grader=Lazy(FourCriteriaGrader), retriever=Lazy(lambda: None),
    )  # fmt: skip


def token(services: AppServices, username: str) -> str:
    return sign_in(services, username, PASSWORDS[username]).token


def graded(services: AppServices, username: str = "alice") -> str:
    tok = token(services, username)
    session = practice.start_session(services, tok, SCENARIO)
    list(practice.send_message(services, tok, session.id, "Bonjour <b>madame</b>, Julie à votre écoute."))
    practice.finish_and_grade(services, tok, session.id)
    return session.id


def test_queue_puts_doubtful_verdicts_first_and_reviewed_last(services: AppServices) -> None:
    sid = graded(services)
    fanny = token(services, "fanny")
    q = queue.review_queue(services, fanny, sid)
    assert q.order() == ["B1.2", "B1.3", "B1.1", "B1.4"] and q.reviewed == 0
    q = queue.decide(services, fanny, sid, "B1.2")
    assert q.order() == ["B1.3", "B1.1", "B1.4", "B1.2"] and q.reviewed == 1
    assert q.next_open(["B1.2", "B1.3", "B1.1", "B1.4"], "B1.2") == "B1.3"
    assert q.next_open(["B1.2", "B1.3", "B1.1", "B1.4"], "B1.4") == "B1.3"  # wraps to the first open card


def test_confirmation_is_stored_and_a_change_needs_a_comment(services: AppServices) -> None:
    sid = graded(services)
    fanny = token(services, "fanny")
    before = queue.review_queue(services, fanny, sid)
    assert before.report.score.value == pytest.approx((1 + 0 + 0.5) / 3, abs=1e-4)

    q = queue.decide(services, fanny, sid, "B1.1")
    stored = services.repo.latest_grade(sid)
    assert stored is not None
    assert [(r.criterion_id, r.verdict, r.confirms, r.author) for r in stored.reviews] == [
        ("B1.1", Verdict.ACQUIRED, True, "fanny")
    ]
    assert queue.decide(services, fanny, sid, "B1.1").reviewed == 1  # confirming again stores nothing
    assert len(services.repo.latest_grade(sid).reviews) == 1  # type: ignore[union-attr]

    with pytest.raises(UIError, match="commentaire est requis"):
        queue.decide(services, fanny, sid, "B1.2", "acquired", "  ")
    assert len(services.repo.latest_grade(sid).reviews) == 1  # type: ignore[union-attr]
    with pytest.raises(UIError, match="pas un verdict de formateur"):
        queue.decide(services, fanny, sid, "B1.2", "could_not_grade", "panne")

    q = queue.decide(services, fanny, sid, "B1.2", "acquired", "Reformulation au tour 2")
    assert q.report.grade("B1.2").verdict == Verdict.ACQUIRED
    assert q.report.score.value == pytest.approx((1 + 1 + 0.5) / 3, abs=1e-4)
    counts = next(b.counts for b in q.report.blocs if b.bloc == 1)
    assert counts[Verdict.ACQUIRED] == 2 and counts[Verdict.NOT_ACQUIRED] == 0
    assert "1 non acquis" in before.report.summary and "non acquis" not in q.report.summary
    change = q.card("B1.2").review
    assert change is not None and not change.confirms and change.original_verdict == Verdict.NOT_ACQUIRED
    # Choosing the grader's own verdict is a confirmation: no comment needed.
    assert queue.decide(services, fanny, sid, "B1.3", "partial", "").card("B1.3").review.confirms  # type: ignore[union-attr]


def test_trainee_is_refused_by_every_queue_handler(services: AppServices) -> None:
    sid = graded(services)
    alice = token(services, "alice")
    with pytest.raises(AccessDenied):
        queue.review_queue(services, alice, sid)
    with pytest.raises(AccessDenied):
        queue.decide(services, alice, sid, "B1.2", "acquired", "je me note")
    with pytest.raises(AccessDenied):
        queue.sessions_for_review(services, alice, review.SessionFilters())
    assert services.repo.latest_grade(sid).reviews == []  # type: ignore[union-attr]


def test_session_list_puts_sessions_awaiting_review_first(services: AppServices) -> None:
    done, waiting = graded(services), graded(services, "bruno")
    unfinished = practice.start_session(services, token(services, "alice"), SCENARIO).id
    fanny = token(services, "fanny")
    for cid in ["B1.1", "B1.2", "B1.3", "B1.4"]:
        queue.decide(services, fanny, done, cid)
    queue.decide(services, fanny, waiting, "B1.3")
    listed = queue.sessions_for_review(services, fanny, review.SessionFilters())
    assert [(s.id, s.review.reviewed if s.review else None) for s in listed] == [
        (waiting, 1),
        (unfinished, None),
        (done, 4),
    ]

    from webapp.ui.render import SESSION_HEADERS, session_rows

    rows = session_rows(listed)
    assert SESSION_HEADERS[-1] == "Revue" and [r[-1] for r in rows] == ["1 / 4", "", "4 / 4"]
    # The trainer reads the scenario's title, not its id.
    scenario_id = listed[0].scenario_id
    titled = session_rows(listed, {scenario_id: "Titre lisible"})
    assert [r[2] for r in titled if r[0] == listed[0].id] == ["Titre lisible"]


def test_card_shows_the_quote_inside_its_turn_escaped(services: AppServices) -> None:
    from webapp.ui.review_render import card_html, progress_markdown

    sid = graded(services)
    fanny = token(services, "fanny")
    q = queue.review_queue(services, fanny, sid)
    html = card_html(q, "B1.1")
    assert "Tour 2 · Conseiller :" in html and "<mark>Bonjour</mark> &lt;b&gt;madame&lt;/b&gt;" in html
    assert "<b>madame" not in html
    doubtful = card_html(q, "B1.2")
    assert "à confirmer — trop peu de verdicts de ce type comparés aux évaluateurs (3)." in doubtful
    assert "AUTO-12" in doubtful and "Reformulez." in doubtful
    assert "Franchise citée : 150 € ?" in card_html(q, "B1.3")
    assert "**0 / 4 revus**" in progress_markdown(q)
    q = queue.decide(services, fanny, sid, "B1.2", "partial", "Reformulation esquissée")
    assert "**1 / 4 revus** · 1 modifié(s)" in progress_markdown(q)
    assert "Modifié en « partiellement acquis » (évaluateur : non acquis)" in card_html(q, "B1.2")


def test_trainee_sees_trainer_notes_and_progress(services: AppServices) -> None:
    from webapp.ui.review_render import progress_html, trainer_notes_markdown

    first, second = graded(services), graded(services)
    graded(services, "bruno")
    fanny, alice = token(services, "fanny"), token(services, "alice")
    queue.decide(services, fanny, first, "B1.2", "acquired", "Reformulation au tour 2")
    queue.decide(services, fanny, first, "B1.1")

    notes = trainer_notes_markdown(review.report_view(services, alice, first).report)  # type: ignore[arg-type]
    assert "1 verdict(s) confirmé(s), 1 modifié(s)" in notes
    assert "**B1.2** : non acquis → **acquis** (fanny) — Reformulation au tour 2" in notes
    assert trainer_notes_markdown(review.report_view(services, alice, second).report) == ""  # type: ignore[arg-type]

    mine = progress.my_progress(services, alice)
    assert [s.session_id for s in mine.sessions] == [first, second]  # oldest first, bruno's left out
    assert mine.verdicts["B1.2"] == [Verdict.ACQUIRED, Verdict.NOT_ACQUIRED]
    assert mine.bloc_rates() == [
        (1, 1, pytest.approx(2.5 / 3, abs=1e-4)),
        (2, 1, pytest.approx(1.5 / 3, abs=1e-4)),
    ]
    table = progress_html(mine, services.rubric.get())
    assert table.count("<tr>") == 1 + 4 and ">A</td>" in table and ">N</td>" in table


def test_trainee_notes_list_criteria_in_report_order(services: AppServices) -> None:
    """The queue decides the « à confirmer » verdicts first; the trainee reads B1.1 before B1.4."""
    from webapp.ui.review_render import trainer_notes_markdown

    sid = graded(services)
    fanny, alice = token(services, "fanny"), token(services, "alice")
    for cid in ["B1.4", "B1.3", "B1.1"]:
        queue.decide(services, fanny, sid, cid)
    queue.decide(services, fanny, sid, "B1.2", "acquired", "Reformulation au tour 2")
    notes = trainer_notes_markdown(review.report_view(services, alice, sid).report)  # type: ignore[arg-type]
    assert "Confirmés : B1.1, B1.3, B1.4." in notes


def test_agreement_tab_shows_the_trainers_corrections(services: AppServices) -> None:
    from webapp.ui.agreement_tab import confusion_html, corrected_markdown, criterion_rows, summary_markdown

    sid = graded(services)
    fanny = token(services, "fanny")
    assert "Aucune session revue" in summary_markdown(review.agreement(services, fanny))
    for cid in ["B1.1", "B1.3", "B1.4"]:
        queue.decide(services, fanny, sid, cid)
    queue.decide(services, fanny, sid, "B1.2", "partial", "Reformulation esquissée")
    board = review.agreement(services, fanny)
    assert "Accord exact : 3 / 4 verdicts (75 %)" in summary_markdown(board)
    corrected = corrected_markdown(board)
    assert (
        "**B1.2**" in corrected
        and "non acquis → **partiellement acquis** (fanny) — Reformulation" in corrected
    )
    assert [r[0] for r in criterion_rows(board) if r[-1] != "0"] == ["B1.2"]
    confusion = confusion_html(board)
    assert confusion.count("<tr>") == 1 + 4 and ">1</td>" in confusion
    with pytest.raises(AccessDenied):
        review.agreement(services, token(services, "alice"))


def test_a_forged_or_stale_cursor_is_refused_in_french() -> None:
    from webapp.ui.queue_tab import _read

    for nothing in ["", None]:  # « Confirmer » before any session is opened: the trainer's wording
        with pytest.raises(UIError, match="cliquez une ligne de la liste des sessions"):
            _read(nothing)
    good = '{"session": "s1", "order": ["B1.1", "B1.2"], "current": "B1.2"}'
    assert _read(good) == {"session": "s1", "order": ["B1.1", "B1.2"], "current": "B1.2"}
    for bad in ["{pas du json", '{"session": "s1"}', '{"session": 3, "order": [], "current": "B1.1"}',
                '{"session": "s1", "order": [1], "current": "B1.1"}', "[]"]:  # fmt: skip
        with pytest.raises(UIError, match="Rouvrez la session"):
            _read(bad)
