"""Reviews in storage: confirmations are stored labels, progress per session, cohorts of trainees."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.grades import CriterionGrade, GradeReport, GraderInfo, Verdict
from domain.transcript import Speaker, Transcript, Turn
from webapp.storage import Repository, StorageError, awaiting_review_first


def _report() -> GradeReport:
    verdicts = {"B1.1": Verdict.ACQUIRED, "B1.2": Verdict.NOT_ACQUIRED, "B2.1": Verdict.COULD_NOT_GRADE}
    return GradeReport(
        transcript_id="t1",
        rubric_version="test",
        grader=GraderInfo(backend="scripted", model="fake"),
        criteria=[CriterionGrade(criterion_id=c, verdict=v, justification="-") for c, v in verdicts.items()],
    )


def _transcript(scenario: str = "auto-devis") -> Transcript:
    return Transcript(id="t1", scenario_id=scenario, turns=[Turn(speaker=Speaker.CLIENT, text="Bonjour.")])


@pytest.fixture
def repo(db_url: str) -> Repository:
    return Repository.open(db_url)


def test_a_confirmation_is_stored_as_a_label_and_counts_as_reviewed(repo: Repository) -> None:
    user = repo.create_user("alice", "motdepasse-a1b2", "trainee")
    session = repo.create_session(user.id, _transcript())
    grade = repo.save_grade(session.id, _report())
    assert grade.score == round(1 / 3, 4)  # the grader error counts, not graded
    detail = repo.get_session(session.id).score_detail  # type: ignore[union-attr]
    assert detail is not None and detail.label_fr == "33 % (1 critère non évalué)"
    assert repo.get_session(session.id).review.reviewed == 0  # type: ignore[union-attr]

    confirmed = repo.add_review(grade.id, "B1.1", Verdict.ACQUIRED, "", "fanny")
    assert confirmed.confirms and confirmed.comment == ""
    repo.add_review(grade.id, "B2.1", "partial", "Relu : esquissé", "fanny")
    stored = repo.latest_grade(session.id)
    assert stored is not None
    assert [(r.criterion_id, r.original_verdict, r.verdict) for r in stored.reviews] == [
        ("B1.1", Verdict.ACQUIRED, Verdict.ACQUIRED),
        ("B2.1", Verdict.COULD_NOT_GRADE, Verdict.PARTIAL),
    ]
    listed = repo.get_session(session.id)
    assert listed is not None and listed.score == 0.5 and listed.score_detail is not None
    assert (listed.score_detail.value, listed.score_detail.not_graded) == (0.5, 0)
    status = listed.review
    assert status is not None and (status.criteria, status.reviewed, status.changed) == (3, 2, 1)
    assert stored.score == 0.5 and stored.final_score().not_graded == 0  # (1 + 0 + ½) / 3


def test_the_review_rules_refuse_in_french(repo: Repository) -> None:
    user = repo.create_user("alice", "motdepasse-a1b2", "trainee")
    grade = repo.save_grade(repo.create_session(user.id, _transcript()).id, _report())
    with pytest.raises(StorageError, match="commentaire est requis"):
        repo.add_review(grade.id, "B1.2", Verdict.ACQUIRED, "  ", "fanny")
    with pytest.raises(StorageError, match="pas un verdict de formateur"):
        repo.add_review(grade.id, "B2.1", Verdict.COULD_NOT_GRADE, "", "fanny")
    with pytest.raises(StorageError, match="Critère absent"):
        repo.add_review(grade.id, "B9.9", Verdict.ACQUIRED, "x", "fanny")
    with pytest.raises(StorageError, match="introuvable"):
        repo.add_review(grade.id + 1, "B1.1", Verdict.ACQUIRED, "", "fanny")
    assert repo.latest_grade(grade.session_id).reviews == []  # type: ignore[union-attr]


def test_sessions_awaiting_review_come_first(db_url: str) -> None:
    repo = Repository.open(db_url)
    user = repo.create_user("alice", "motdepasse-a1b2", "trainee")
    ids = {}
    for name in ("old-graded", "reviewed", "in-progress", "new-graded"):
        session = repo.create_session(user.id, _transcript())
        ids[name] = session.id
        if name != "in-progress":
            grade = repo.save_grade(session.id, _report())
        if name == "reviewed":
            for cid in ("B1.1", "B1.2"):
                repo.add_review(
                    grade.id, cid, Verdict.ACQUIRED if cid == "B1.1" else "partial", "Vu", "fanny"
                )
            repo.add_review(grade.id, "B2.1", Verdict.NOT_OBSERVED, "Pas l'occasion", "fanny")
    # Sessions made in the same second: give them known creation times to make "newest" certain.
    sessions = {s.id: s for s in repo.list_sessions()}
    order = ["old-graded", "reviewed", "in-progress", "new-graded"]
    spread = [sessions[ids[n]].model_copy(update={"created_at": datetime(2026, 12, 1, 9, i, tzinfo=UTC)})
              for i, n in enumerate(order)]  # fmt: skip
    assert spread[1].review is not None and spread[1].review.complete
    assert spread[2].review is None and not spread[2].awaiting_review
    names = {ids[n]: n for n in order}
    assert [names[s.id] for s in awaiting_review_first(spread)] == [
        "new-graded", "old-graded", "in-progress", "reviewed"
    ]  # fmt: skip


def test_trainees_have_a_cohort_and_sessions_filter_on_it(repo: Repository) -> None:
    alice = repo.create_user("alice", "motdepasse-a1b2", "trainee", cohort=" CQP-2026-A ")
    bruno = repo.create_user("bruno", "motdepasse-a1b2", "trainee")
    assert alice.cohort == "CQP-2026-A" and bruno.cohort is None
    with pytest.raises(StorageError, match="Seuls les stagiaires"):
        repo.create_user("fanny", "motdepasse-formatrice-1", "trainer", cohort="CQP-2026-A")
    first = repo.create_session(alice.id, _transcript())
    repo.create_session(bruno.id, _transcript())
    assert [s.id for s in repo.list_sessions(cohort="CQP-2026-A")] == [first.id]
    assert first.cohort == "CQP-2026-A"
    assert repo.set_cohort("bruno", "CQP-2026-B").cohort == "CQP-2026-B"
    assert repo.cohorts() == ["CQP-2026-A", "CQP-2026-B"]
    assert [s.username for s in repo.list_sessions(cohort="CQP-2026-B")] == ["bruno"]
    assert repo.set_cohort("alice", "").cohort is None
    assert repo.list_sessions(cohort="CQP-2026-A") == [] and repo.cohorts() == ["CQP-2026-B"]
    with pytest.raises(StorageError, match="introuvable"):
        repo.set_cohort("personne", "X")
