"""Sessions, grades and overrides persist across engines; a grade is never half-written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from domain.grades import CriterionGrade, GradeReport, GraderInfo, Verdict
from domain.transcript import Action, Speaker, Transcript, Turn
from webapp.storage import Repository, StorageError
from webapp.storage.models import GradeRow
from webapp.storage.schema import current_revision, head_revision


def _report(transcript_id: str = "t1") -> GradeReport:
    return GradeReport(
        transcript_id=transcript_id,
        rubric_version="test",
        grader=GraderInfo(backend="scripted", model="fake"),
        criteria=[
            CriterionGrade(criterion_id="B1.1", verdict=Verdict.ACQUIRED, justification="Présenté."),
            CriterionGrade(criterion_id="B1.2", verdict=Verdict.NOT_ACQUIRED, justification="Absent."),
            CriterionGrade(criterion_id="B2.1", verdict=Verdict.NOT_OBSERVED, justification="-"),
        ],
    )


def _transcript() -> Transcript:
    return Transcript(
        id="t1",
        scenario_id="auto-devis",
        turns=[Turn(speaker=Speaker.CLIENT, text="Bonjour, je veux un devis.")],
    )


@pytest.fixture
def url(db_url: str) -> str:
    return db_url


def test_everything_survives_a_new_engine_on_the_same_file(url: str) -> None:
    repo = Repository.open(url)
    user = repo.create_user("alice", "motdepasse-a1b2", "trainee")
    session = repo.create_session(user.id, _transcript())
    longer = _transcript().model_copy(
        update={
            "turns": [*_transcript().turns, Turn(speaker=Speaker.ADVISOR, text="Bien sûr, madame.")],
            "actions": [Action(type="quote_created", detail="Devis tous risques")],
        }
    )
    repo.save_transcript(session.id, longer, error="Le modèle n'a pas répondu.")
    grade = repo.save_grade(session.id, _report())
    repo.add_review(grade.id, "B1.2", Verdict.ACQUIRED, "Vu en fin d'appel", "formateur")

    reopened = Repository.open(url)  # a new engine, as after a restart
    stored = reopened.get_session(session.id)
    assert stored is not None
    assert stored.transcript == longer
    assert stored.status == "graded" and stored.last_error is None
    assert stored.username == "alice"
    latest = reopened.latest_grade(session.id)
    assert latest is not None and latest.report == _report()
    assert [(o.criterion_id, o.original_verdict, o.verdict) for o in latest.reviews] == [
        ("B1.2", Verdict.NOT_ACQUIRED, Verdict.ACQUIRED)
    ]
    assert reopened.authenticate("alice", "motdepasse-a1b2") is not None
    with reopened._tx() as db:
        assert current_revision(db.get_bind()) == head_revision()


def test_grade_is_written_whole_or_not_at_all(url: str) -> None:
    repo = Repository.open(url)
    user = repo.create_user("alice", "motdepasse-a1b2", "trainee")
    session = repo.create_session(user.id, _transcript())

    class Exploding(Transcript):
        def model_dump_json(self, **kwargs: object) -> str:  # type: ignore[override]
            raise RuntimeError("disk full")

    broken = Exploding.model_validate(_transcript().model_dump())
    with pytest.raises(RuntimeError, match="disk full"):
        repo.save_grade(session.id, _report(), transcript=broken)  # fails after the grade row is flushed
    with repo._tx() as db:
        assert db.scalar(select(func.count()).select_from(GradeRow)) == 0
    stored = repo.get_session(session.id)
    assert stored is not None and stored.status == "in_progress"
    assert repo.latest_grade(session.id) is None

    with pytest.raises(StorageError, match="introuvable"):
        repo.save_grade("no-such-session", _report())


def test_overrides_keep_history_and_update_score(url: str) -> None:
    repo = Repository.open(url)
    user = repo.create_user("alice", "motdepasse-a1b2", "trainee")
    session = repo.create_session(user.id, _transcript())
    grade = repo.save_grade(session.id, _report())
    assert grade.score == 0.5  # one acquired, one not acquired, one not observed
    repo.add_review(grade.id, "B1.2", Verdict.PARTIAL, "Esquissé", "form1")
    repo.add_review(grade.id, "B1.2", Verdict.ACQUIRED, "Finalement acquis", "form2")
    latest = repo.latest_grade(session.id)
    assert latest is not None
    assert [(o.verdict, o.author, o.comment) for o in latest.reviews] == [
        (Verdict.PARTIAL, "form1", "Esquissé"),
        (Verdict.ACQUIRED, "form2", "Finalement acquis"),
    ]
    assert all(o.original_verdict == Verdict.NOT_ACQUIRED for o in latest.reviews)
    assert latest.reviews[0].at <= latest.reviews[1].at
    assert latest.effective_verdicts()["B1.2"] == Verdict.ACQUIRED
    assert latest.report.grade("B1.2").verdict == Verdict.NOT_ACQUIRED  # the original is untouched
    assert latest.score == 1.0
    assert repo.get_session(session.id).score == 1.0  # type: ignore[union-attr]
    with pytest.raises(StorageError, match="Critère absent"):
        repo.add_review(grade.id, "B9.9", Verdict.ACQUIRED, "", "form1")


def test_list_sessions_filters_by_owner_and_scenario(url: str) -> None:
    repo = Repository.open(url)
    alice = repo.create_user("alice", "motdepasse-a1b2", "trainee")
    bob = repo.create_user("bob", "motdepasse-a1b2", "trainee")
    first = repo.create_session(alice.id, _transcript())
    other = _transcript().model_copy(update={"scenario_id": "mrh-sinistre"})
    repo.create_session(bob.id, other)
    assert [s.id for s in repo.list_sessions(user_id=alice.id)] == [first.id]
    assert [s.username for s in repo.list_sessions(scenario_id="mrh-sinistre")] == ["bob"]
    assert len(repo.list_sessions()) == 2
    assert repo.list_sessions(since=first.created_at.replace(year=first.created_at.year + 1)) == []


def test_stored_score_counts_grader_errors_as_not_graded(url: str) -> None:
    repo = Repository.open(url)
    user = repo.create_user("alice", "motdepasse-a1b2", "trainee")
    session = repo.create_session(user.id, _transcript())
    errors = [
        CriterionGrade(criterion_id=f"B2.{n}", verdict=Verdict.COULD_NOT_GRADE, justification="-")
        for n in range(2, 5)
    ]
    report = _report().model_copy(update={"criteria": [*_report().criteria, *errors]})
    grade = repo.save_grade(session.id, report)
    assert grade.score == 0.2  # 1 acquired out of 5 applicable (3 errors count, not observed does not)
    repo.add_review(grade.id, "B2.2", Verdict.ACQUIRED, "Vu à la relecture", "form1")
    assert repo.get_session(session.id).score == 0.4  # type: ignore[union-attr]
