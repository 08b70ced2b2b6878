"""`crca reviews export`: trainer-reviewed sessions out as a labelled set, read back and graded."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
import yaml

from crca.settings import load_settings
from domain.grades import CriterionGrade, GradeReport, GraderInfo, Verdict
from evaluation import batch
from evaluation.formats import load_transcript
from evaluation.sets import load_labels, load_set
from rubrics.loader import load_rubric
from webapp.cli import main
from webapp.storage import Repository

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "transcripts"


def _report(transcript_id: str) -> GradeReport:
    return GradeReport(
        transcript_id=transcript_id,
        rubric_version=load_rubric().version,
        grader=GraderInfo(backend="scripted", model="fake"),
        criteria=[
            CriterionGrade(criterion_id=c.id, verdict=verdict, justification="-")
            for c in load_rubric().criteria
            for verdict in [Verdict.COULD_NOT_GRADE if c.id == "B2.2" else Verdict.ACQUIRED]
        ],
    )


@pytest.fixture
def stored(crca_home: Path) -> dict[str, str]:
    """Sessions in the database the CLI opens: two reviewed, one graded only, one in progress."""
    settings = load_settings()
    repo = Repository.open(settings.db_url, settings.auth)
    alice = repo.create_user("alice", "motdepasse-a1b2", "trainee", cohort="CQP-A")
    bruno = repo.create_user("bruno", "motdepasse-b2c3", "trainee", cohort="CQP-B")
    first, second, third = (load_transcript(FIXTURES / n) for n in sorted(p.name for p in FIXTURES.iterdir()))
    sessions = {}
    for name, user, transcript in (
        ("alice", alice, first),
        ("bruno", bruno, second),
        ("unread", bruno, third),
    ):
        session = repo.create_session(user.id, transcript)
        grade = repo.save_grade(session.id, _report(transcript.id))
        sessions[name] = session.id
        if name == "alice":
            repo.add_review(grade.id, "B1.1", Verdict.ACQUIRED, "", "fanny")
            repo.add_review(grade.id, "B1.2", Verdict.PARTIAL, "Reformulation esquissée", "fanny")
        if name == "bruno":
            repo.add_review(grade.id, "B2.1", Verdict.NOT_OBSERVED, "Pas de contrat en jeu", "paul")
            repo.add_review(grade.id, "B2.2", Verdict.ACQUIRED, "", "paul")  # a grader failure filled in
    repo.create_session(alice.id, first)  # in progress: never exported
    return sessions


def test_export_round_trip_through_the_loader(
    stored: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "labels-formateurs"
    assert main(["reviews", "export", "--out", str(out)]) == 0
    assert (
        "2 session(s) relue(s), 4 verdict(s) de formateur (1 confirmé(s), 3 modifié(s))"
        in capsys.readouterr().out
    )
    items = {item.transcript.id: item for item in load_set(out)}
    assert set(items) == {stored["alice"], stored["bruno"]}  # the unreviewed session is not a label
    assert items[stored["alice"]].verdicts == {"B1.1": "acquired", "B1.2": "partial"}  # reviewed only
    assert items[stored["bruno"]].verdicts == {"B2.1": "not_observed", "B2.2": "acquired"}
    original = load_transcript(FIXTURES / sorted(p.name for p in FIXTURES.iterdir())[0])
    assert items[stored["alice"]].transcript.turns == original.turns
    labels = load_labels(out)
    assert labels[stored["alice"]]["B1.1"].rationale == "confirmé par fanny"
    assert labels[stored["alice"]]["B1.2"].rationale == "Reformulation esquissée"
    assert labels[stored["bruno"]]["B2.2"].rationale == "noté par paul (l'évaluateur n'avait pas pu noter)"
    entry = yaml.safe_load((out / "labels.yaml").read_text(encoding="utf-8"))[stored["bruno"]]
    assert entry["cohort"] == "CQP-B" and entry["rubric_version"] == load_rubric().version
    assert "crca reviews export" in (out / "README.md").read_text(encoding="utf-8")

    only_a = tmp_path / "cohorte-a"
    assert main(["reviews", "export", "--out", str(only_a), "--cohort", "CQP-A"]) == 0
    assert [i.transcript.id for i in load_set(only_a)] == [stored["alice"]]
    capsys.readouterr()
    later = tmp_path / "plus-tard"
    assert main(["reviews", "export", "--out", str(later), "--since", "2999-01-01"]) == 0
    assert "Aucune session relue" in capsys.readouterr().out and load_set(later) == []
    assert main(["reviews", "export", "--out", str(out)]) == 2  # an existing export is not mixed into
    assert "n'est pas vide" in capsys.readouterr().err


def test_grader_agreement_grades_an_exported_folder(
    stored: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "labels-formateurs"
    assert main(["reviews", "export", "--out", str(out)]) == 0
    script = tmp_path / "replies.yaml"
    script.write_text(yaml.safe_dump(["oui", "non"]), encoding="utf-8")
    monkeypatch.setenv("CRCA_GRADER__SCRIPT", str(script))
    monkeypatch.setattr(batch, "_fact_checker", lambda settings: None)
    spec = importlib.util.spec_from_file_location(
        "grader_agreement", ROOT / "benchmarks" / "grader_agreement.py"
    )
    bench = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    monkeypatch.setitem(sys.modules, "grader_agreement", bench)  # pydantic resolves its annotations there
    spec.loader.exec_module(bench)  # type: ignore[union-attr]

    figures = tmp_path / "figures.json"
    args = ["--set", str(out), "--backend", "scripted", "--no-baseline", "--json", str(figures)]
    assert bench.main(args) == 0
    [run] = json.loads(figures.read_text(encoding="utf-8"))
    labels = {
        tid: {cid: label.verdict.value for cid, label in per.items()} for tid, per in load_labels(out).items()
    }
    assert run["agreement"]["items"] == 4
    assert set(run["agreement"]["per_criterion"]) == {"B1.1", "B1.2", "B2.1", "B2.2"}
    agreeing = sum(
        run["verdicts"][tid][cid] == verdict for tid, per in labels.items() for cid, verdict in per.items()
    )
    assert run["agreement"]["exact"] == pytest.approx(agreeing / 4)
    assert set(run["verdicts"][stored["alice"]]) == {c.id for c in load_rubric().criteria}  # graded in full
