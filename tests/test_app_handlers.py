"""The app's handlers called directly: real storage, real conversation, scripted models."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from crca.llm import ScriptedChatModel
from domain.grades import CriterionGrade, Evidence, GradeReport, GraderInfo, Verdict
from domain.transcript import Speaker, Transcript
from webapp.storage import Repository
from webapp.ui import importing, practice, review
from webapp.ui.auth import AccessDenied, UIError, require_trainer, sign_in
from webapp.ui.services import AppServices, Lazy

SCENARIO = "auto-sinistre-choc-arriere"
CLIENT_LINE = "Oui, c'est bien moi. J'ai eu un accident hier soir, on m'a percuté par l'arrière."


class FakeGrader:
    """Grades B1.1 acquired on the advisor's first turn, B1.2 not acquired; reports progress."""

    def __init__(self) -> None:
        self.steps: list[tuple[int, int, str]] = []

    def grade(self, transcript: Transcript, progress: Any = None) -> GradeReport:
        index, first = transcript.advisor_turns()[0]
        for i, label in enumerate(["B1.1", "B1.2"], start=1):
            self.steps.append((i, 2, label))
            if progress:
                progress(i, 2, label)
        return GradeReport(
            transcript_id=transcript.id,
            rubric_version="test",
            grader=GraderInfo(backend="scripted", model="fake"),
            criteria=[
                CriterionGrade(
                    criterion_id="B1.1", verdict=Verdict.ACQUIRED, justification="Présentation faite.",
                    evidence=[Evidence(turn=index, quote=first.text[:12])],
                ),
                CriterionGrade(
                    criterion_id="B1.2", verdict=Verdict.NOT_ACQUIRED, justification="Pas de reformulation.",
                    tip="Reformulez la demande.",
                ),
            ],
        )  # fmt: skip


class FakeRetriever:
    def search(self, query: str, product: str | None = None, k: int = 5) -> list[Any]:
        from knowledge.retriever import Hit

        return [Hit(article_id="AUTO-BDG-02", title="Franchise bris de glace", product="auto",
                    document="auto-cg", text=f"Texte sur {query}. La franchise est de 50 €.", score=1.0,
                    passage="La franchise est de 50 €.")][:k]  # fmt: skip


class FlakyModel:
    """A scripted client model that can be switched to fail (the backend is down)."""

    def __init__(self) -> None:
        self.failing = False
        self.model = ScriptedChatModel(responder=self._reply)

    def _reply(self, messages: list, kwargs: dict) -> str:
        if self.failing:
            raise ConnectionError("backend down")
        return CLIENT_LINE


@pytest.fixture
def flaky() -> FlakyModel:
    return FlakyModel()


@pytest.fixture
def services(db_url: str, flaky: FlakyModel) -> AppServices:
    from scenarios.library import load_scenarios

    repo = Repository.open(db_url)
    repo.create_user("alice", "motdepasse-a1b2", "trainee")
    repo.create_user("bruno", "motdepasse-b2c3", "trainee")
    repo.create_user("fanny", "motdepasse-f3g4h5", "trainer")
    return AppServices(
        repo=repo,
        scenarios=Lazy(load_scenarios),
        client_model=Lazy(lambda: flaky.model),
        grader=Lazy(FakeGrader),
        retriever=Lazy(FakeRetriever),
    )


def token(services: AppServices, username: str) -> str:
    passwords = {"alice": "motdepasse-a1b2", "bruno": "motdepasse-b2c3", "fanny": "motdepasse-f3g4h5"}
    return sign_in(services, username, passwords[username]).token


def play_turn(services: AppServices, tok: str, session_id: str, text: str) -> list[practice.ChatUpdate]:
    return list(practice.send_message(services, tok, session_id, text))


def graded_session(services: AppServices) -> str:
    tok = token(services, "alice")
    session = practice.start_session(services, tok, SCENARIO)
    play_turn(services, tok, session.id, "Bonjour, Assurances du Centre, Julie à votre écoute.")
    practice.finish_and_grade(services, tok, session.id)
    return session.id


def test_sign_in_checks_password_and_role(services: AppServices) -> None:
    with pytest.raises(UIError, match="incorrect"):
        sign_in(services, "alice", "mauvais")
    signed = sign_in(services, "alice", "motdepasse-a1b2")
    assert signed.user.role == "trainee" and signed.token
    with pytest.raises(AccessDenied, match="formateurs"):
        require_trainer(services, signed.token)
    assert require_trainer(services, token(services, "fanny")).username == "fanny"
    with pytest.raises(UIError, match="connectez-vous"):
        practice.my_sessions(services, "jeton-inventé")


def test_report_and_downloads_are_named_after_the_session(services: AppServices) -> None:
    """The trainer matches a downloaded report to the session list by its id."""
    session_id = graded_session(services)
    report = services.repo.latest_grade(session_id).report
    assert report.transcript_id == session_id
    assert services.repo.get_session(session_id).transcript.id == session_id


def test_chat_turn_is_streamed_and_stored(services: AppServices) -> None:
    tok = token(services, "alice")
    session = practice.start_session(services, tok, SCENARIO)
    assert session.transcript.turns[0].speaker == Speaker.CLIENT  # the opening line
    updates = play_turn(services, tok, session.id, "Bonjour madame, que puis-je pour vous ?")
    assert updates[0].pending_advisor == "Bonjour madame, que puis-je pour vous ?"
    assert any(u.pending_client for u in updates)
    stored = services.repo.get_session(session.id)
    assert stored is not None
    assert [t.speaker for t in stored.transcript.turns] == [Speaker.CLIENT, Speaker.ADVISOR, Speaker.CLIENT]
    assert stored.transcript.turns[1].text == "Bonjour madame, que puis-je pour vous ?"
    assert updates[-1].transcript.turns == stored.transcript.turns


def test_chat_limits_refuse_in_french_and_store_nothing(services: AppServices) -> None:
    from crca.settings import InputLimits

    services.limits = InputLimits(max_turn_chars=60, max_turns=4)
    tok = token(services, "alice")
    session = practice.start_session(services, tok, SCENARIO)
    with pytest.raises(UIError, match="Message trop long \\(61 caractères, au plus 60\\)"):
        play_turn(services, tok, session.id, "x" * 61)
    play_turn(services, tok, session.id, "Bonjour madame, que puis-je pour vous ?")  # 3 turns now
    with pytest.raises(UIError, match="atteint 4 tours"):
        play_turn(services, tok, session.id, "Pouvez-vous préciser ?")
    stored = services.repo.get_session(session.id)
    assert stored is not None and len(stored.transcript.turns) == 3
    assert all(t.text != "x" * 61 for t in stored.transcript.turns)


def test_backend_error_keeps_the_message_and_resend_recovers(
    services: AppServices, flaky: FlakyModel
) -> None:
    tok = token(services, "alice")
    session = practice.start_session(services, tok, SCENARIO)
    flaky.failing = True
    updates = play_turn(services, tok, session.id, "Pouvez-vous me donner votre numéro de contrat ?")
    assert updates[-1].error is not None and "Renvoyer" in updates[-1].error
    stored = services.repo.get_session(session.id)
    assert stored is not None and stored.last_error
    assert stored.transcript.turns[-1].text == "Pouvez-vous me donner votre numéro de contrat ?"
    with pytest.raises(UIError, match="Renvoyer"):
        play_turn(services, tok, session.id, "Allô ?")
    flaky.failing = False
    final = list(practice.resend(services, tok, session.id))[-1]
    assert final.error is None
    stored = services.repo.get_session(session.id)
    assert stored is not None and stored.last_error is None
    assert [t.speaker for t in stored.transcript.turns][-2:] == [Speaker.ADVISOR, Speaker.CLIENT]


def test_actions_are_recorded_in_the_stored_transcript(services: AppServices) -> None:
    tok = token(services, "alice")
    session = practice.start_session(services, tok, SCENARIO)
    play_turn(services, tok, session.id, "Je vous ouvre une déclaration de sinistre.")
    practice.record_action(services, tok, session.id, "claim_opened", "Choc arrière, tiers identifié")
    with pytest.raises(UIError, match="liste"):
        practice.record_action(services, tok, session.id, "made_up", "")
    stored = services.repo.get_session(session.id)
    assert stored is not None
    assert [(a.type, a.detail, a.after_turn) for a in stored.transcript.actions] == [
        ("claim_opened", "Choc arrière, tiers identifié", 2)
    ]


def test_trainee_sees_only_own_sessions(services: AppServices) -> None:
    alice, bruno = token(services, "alice"), token(services, "bruno")
    mine = practice.start_session(services, alice, SCENARIO)
    practice.start_session(services, bruno, SCENARIO)
    assert [s.id for s in practice.my_sessions(services, alice)] == [mine.id]
    with pytest.raises(AccessDenied):
        list(practice.send_message(services, bruno, mine.id, "Bonjour"))
    with pytest.raises(AccessDenied):
        review.report_view(services, bruno, mine.id)
    with pytest.raises(AccessDenied):
        review.list_sessions(services, alice, review.SessionFilters())
    assert len(review.list_sessions(services, token(services, "fanny"), review.SessionFilters())) == 2


def test_end_grade_report_with_progress(services: AppServices) -> None:
    tok = token(services, "alice")
    session = practice.start_session(services, tok, SCENARIO)
    with pytest.raises(UIError, match="Aucun message"):
        practice.finish_and_grade(services, tok, session.id)
    play_turn(services, tok, session.id, "Bonjour, Assurances du Centre, Julie à votre écoute.")
    seen: list[tuple[int, int, str]] = []
    grade = practice.finish_and_grade(
        services, tok, session.id, lambda i, n, label: seen.append((i, n, label))
    )
    assert seen == [(1, 2, "B1.1"), (2, 2, "B1.2")]
    assert grade.score == 0.5
    view = review.report_view(services, tok, session.id)
    assert view.session.status == "graded" and view.report is not None
    with pytest.raises(UIError, match="évaluée"):
        play_turn(services, tok, session.id, "Encore un mot")

    from webapp.ui.render import report_iframe

    html = report_iframe(view.report, view.session.transcript, None)
    assert "srcdoc=" in html and "Bloc 1" in html and "&lt;mark&gt;Bonjour, Ass" in html


def test_override_is_kept_and_used_by_exports(services: AppServices) -> None:
    session_id = graded_session(services)
    trainer = token(services, "fanny")
    with pytest.raises(AccessDenied):
        review.record_review(services, token(services, "alice"), session_id, "B1.2", "acquired", "x")
    with pytest.raises(UIError, match="commentaire"):
        review.record_review(services, trainer, session_id, "B1.2", "acquired", " ")
    view = review.record_review(services, trainer, session_id, "B1.2", "acquired", "Reformulation au tour 3")
    assert view.report is not None and view.report.grade("B1.2").verdict == Verdict.ACQUIRED
    assert view.grade is not None and view.grade.report.grade("B1.2").verdict == Verdict.NOT_ACQUIRED
    override = view.grade.reviews[0]
    assert (override.author, override.original_verdict, override.comment) == (
        "fanny", Verdict.NOT_ACQUIRED, "Reformulation au tour 3"
    )  # fmt: skip

    from evaluation.reports import batch_json, render_markdown

    exported = json.loads(batch_json(view.report))
    b12 = next(c for c in exported["criteria"] if c["id"] == "B1.2")
    assert b12["verdict"] == "acquired" and b12["original_verdict"] == "not_acquired"
    assert "fanny" in render_markdown(view.report, view.session.transcript)
    rows = list(csv.DictReader(io.StringIO(review.sessions_csv(services, trainer, review.SessionFilters()))))
    assert rows[0]["B1.2"] == "acquired" and rows[0]["score"] == "100"


def test_csv_export_filters_and_columns(services: AppServices) -> None:
    graded = graded_session(services)
    practice.start_session(services, token(services, "bruno"), SCENARIO)
    trainer = token(services, "fanny")
    rows = list(csv.DictReader(io.StringIO(review.sessions_csv(services, trainer, review.SessionFilters()))))
    assert {r["stagiaire"] for r in rows} == {"alice", "bruno"}
    graded_row = next(r for r in rows if r["session_id"] == graded)
    assert (graded_row["statut"], graded_row["score"], graded_row["B1.1"]) == ("évaluée", "50", "acquired")
    only = review.sessions_csv(services, trainer, review.SessionFilters(min_score=40))
    assert [r["session_id"] for r in csv.DictReader(io.StringIO(only))] == [graded]
    with pytest.raises(AccessDenied):
        review.sessions_csv(services, token(services, "alice"), review.SessionFilters())


def test_cohort_rates_per_criterion_and_trainee(services: AppServices) -> None:
    graded_session(services)
    bob = token(services, "bruno")
    session = practice.start_session(services, bob, SCENARIO)
    play_turn(services, bob, session.id, "Bonjour, que puis-je faire pour vous ?")
    practice.finish_and_grade(services, bob, session.id)
    trainer = token(services, "fanny")
    review.record_review(services, trainer, session.id, "B1.2", "partial", "Reformulation esquissée")
    view = review.cohort(services, trainer)
    assert view.trainees == ["alice", "bruno"] and view.criteria == ["B1.1", "B1.2"]
    assert view.rates["B1.2"] == {"alice": 0.0, "bruno": 0.5}
    assert view.overall["B1.2"] == 0.25
    assert [p.trainee for p in view.timeline] == ["alice", "bruno"]

    from webapp.ui.render import heatmap_html

    assert "50 %" in heatmap_html(view, None) and "bruno" in heatmap_html(view, None)


def test_agreement_dashboard_over_reviewed_sessions(services: AppServices) -> None:
    from evaluation.review_agreement import AgreementFilters

    reviewed_id = graded_session(services)
    graded_session(services)  # graded, never reviewed: not counted
    services.repo.set_cohort("alice", "CQP-A")
    trainer = token(services, "fanny")
    review.record_review(services, trainer, reviewed_id, "B1.1", "acquired", "")  # a confirmation
    review.record_review(services, trainer, reviewed_id, "B1.2", "partial", "Reformulation esquissée")
    with pytest.raises(AccessDenied):
        review.agreement(services, token(services, "alice"))
    board = review.agreement(services, trainer)
    assert (board.sessions, board.items, board.exact) == (1, 2, 0.5)
    assert board.most_corrected[0].examples[0].comment == "Reformulation esquissée"
    assert board.cohorts == ["CQP-A"] and board.scenarios == [SCENARIO]
    assert review.agreement(services, trainer, AgreementFilters(cohort="CQP-B")).items == 0
    listed = review.list_sessions(services, trainer, review.SessionFilters(cohort="CQP-A"))
    assert len(listed) == 2 and {s.review.reviewed for s in listed if s.review} == {0, 2}
    rows = csv.DictReader(io.StringIO(review.sessions_csv(services, trainer, review.SessionFilters())))
    row = next(r for r in rows if r["session_id"] == reviewed_id)
    assert (row["cohorte"], row["relus"], row["non_evalues"], row["score"]) == ("CQP-A", "2/2", "0", "75")


def test_import_grades_recorded_dialogues(services: AppServices, tmp_path: Path) -> None:
    good = tmp_path / "appel.txt"
    good.write_text("Conseiller : Bonjour, Assurances du Centre.\nClient : Bonjour, j'ai un sinistre.\n")
    bad = tmp_path / "vide.json"
    bad.write_text("{ pas du json")
    trainer = token(services, "fanny")
    with pytest.raises(AccessDenied):
        importing.import_dialogues(services, token(services, "alice"), [good])
    results = importing.import_dialogues(services, trainer, [good, bad], owner="alice")
    assert results[0].file == "appel.txt" and results[0].error is None and results[0].score == 0.5
    assert results[1].session_id is None and results[1].error
    imported = services.repo.get_session(results[0].session_id or "")
    assert imported is not None and imported.source == "import" and imported.username == "alice"
    assert imported.status == "graded"


def test_conditions_search_shows_article_ids(services: AppServices) -> None:
    from webapp.ui.render import hits_markdown

    hits = practice.search_conditions(services, "bris de glace", "auto")
    shown = hits_markdown(hits)
    assert "AUTO-BDG-02 — Franchise bris de glace" in shown
    assert "Texte sur bris de glace. <mark>La franchise est de 50 €.</mark>" in shown
    with pytest.raises(UIError):
        practice.search_conditions(services, "  ")


def test_scenario_filters(services: AppServices) -> None:
    scenarios = services.scenarios.get()
    assert {s.id for s in practice.filter_scenarios(scenarios, product="auto")} == {
        s.id for s in scenarios.values() if s.product == "auto"
    }
    assert SCENARIO in {s.id for s in practice.filter_scenarios(scenarios, channel="phone", difficulty=None)}
    assert practice.filter_scenarios(scenarios, product="vie", path="paiement", difficulty=3) == [
        s for s in scenarios.values() if s.product == "vie" and s.path == "paiement" and s.difficulty == 3
    ]


def test_real_rubric_grader_end_to_end(services: AppServices) -> None:
    from evaluation.grader import RubricGrader
    from rubrics.loader import load_rubric

    reply = "non"
    services.grader = Lazy(lambda: RubricGrader(ScriptedChatModel(replies=[reply])))
    tok = token(services, "alice")
    session = practice.start_session(services, tok, SCENARIO)
    play_turn(services, tok, session.id, "Bonjour, Assurances du Centre, Julie à votre écoute.")
    practice.record_action(services, tok, session.id, "claim_opened", "Choc arrière")
    steps: list[int] = []
    grade = practice.finish_and_grade(services, tok, session.id, lambda i, n, label: steps.append(i))
    assert {c.criterion_id for c in grade.report.criteria} == {c.id for c in load_rubric().criteria}
    assert steps and steps == sorted(steps)
    stored = services.repo.get_session(session.id)
    assert stored is not None and stored.status == "graded" and stored.transcript.actions


def test_a_refused_message_is_a_toast_and_leaves_the_chat_on_screen(services: AppServices) -> None:
    """Gradio blanks every output of a step that fails (an « Error » badge instead of the chat):
    a refusal must come from a step without outputs, and the reply stream run only on its success."""
    import gradio as gr

    from webapp.ui.app import build_app

    demo = build_app(services)
    ids = {getattr(b, "elem_id", None): i for i, b in demo.blocks.items()}
    fns = list(demo.fns.values())
    tok = token(services, "alice")
    session_id = graded_session(services)  # a graded session takes no more messages
    for trigger in [(ids["send-btn"], "click"), (ids["message"], "submit")]:
        check = next(f for f in fns if trigger in f.targets)
        assert check.outputs == []
        stream = next(f for f in fns if f.trigger_after == check._id)
        assert stream.trigger_only_on_success and ids["chat"] in [o._id for o in stream.outputs]
        with pytest.raises(gr.Error, match="terminée et évaluée"):
            check.fn(tok, session_id, "Encore un mot")
    stored = services.repo.get_session(session_id)
    assert stored is not None and all(t.text != "Encore un mot" for t in stored.transcript.turns)


def test_finishing_is_checked_first_then_relabels_my_sessions(services: AppServices) -> None:
    """« Mes sessions » said « en cours » for the session just graded until the page was reloaded."""
    import gradio as gr

    from webapp.ui.app import build_app

    demo = build_app(services)
    ids = {getattr(b, "elem_id", None): i for i, b in demo.blocks.items()}
    check = next(f for f in demo.fns.values() if (ids["finish-btn"], "click") in f.targets)
    finish = next(f for f in demo.fns.values() if f.trigger_after == check._id)
    assert ids["my-sessions"] in [o._id for o in finish.outputs]
    tok = token(services, "alice")
    session = practice.start_session(services, tok, SCENARIO)
    # Refusals come from a step without outputs: the whole session screen would be blanked.
    assert check.outputs == [] and finish.trigger_only_on_success
    with pytest.raises(gr.Error, match="Aucun message du conseiller"):
        check.fn(tok, session.id)
    play_turn(services, tok, session.id, "Bonjour, Assurances du Centre, Julie à votre écoute.")
    values = finish.fn(tok, session.id, lambda *args, **kwargs: None)
    history = values[[o._id for o in finish.outputs].index(ids["my-sessions"])]
    assert history["value"] == session.id
    label = dict((v, k) for k, v in history["choices"])[session.id]
    assert "(évaluée" in label and "en cours" not in label
    with pytest.raises(gr.Error, match="déjà évaluée"):
        check.fn(tok, session.id)


def test_grading_progress_counts_criteria_in_french() -> None:
    """Gradio's default unit printed « 8/28 steps » under the grading bar."""
    from webapp.ui.widgets import progress_callback

    calls: list[tuple[Any, dict[str, Any]]] = []
    progress_callback(lambda value, **kwargs: calls.append((value, kwargs)))(8, 28, "B1.7")  # type: ignore[arg-type]
    assert calls == [((8, 28), {"desc": "B1.7", "unit": "critères"})]
