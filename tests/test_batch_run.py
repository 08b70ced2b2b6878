"""Batch grading: outputs, resume, --force, bad files, atomic writes, exit codes (fake grader)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from domain.grades import CriterionGrade, GradeReport, GraderInfo, Verdict
from domain.transcript import Speaker, Transcript
from evaluation import batch
from evaluation.batch import atomic_write, run_batch, safe_stem


class FakeGrader:
    """Acquired B1.1 when the advisor says 'bonjour'; raises for ids containing 'boom'."""

    def __init__(self, interrupt_on: str | None = None) -> None:
        self.seen: list[str] = []
        self.cases: dict[str, object] = {}
        self.interrupt_on = interrupt_on

    def grade(self, transcript: Transcript, progress: object = None, case: object = None) -> GradeReport:
        self.seen.append(transcript.id)
        self.cases[transcript.id] = case
        if transcript.id == self.interrupt_on:
            raise KeyboardInterrupt
        if "boom" in transcript.id:
            raise RuntimeError("serveur de modèle injoignable")
        hello = any("bonjour" in t.text.lower() for t in transcript.turns if t.speaker == Speaker.ADVISOR)
        grades = [
            CriterionGrade(
                criterion_id="B1.1",
                verdict=Verdict.ACQUIRED if hello else Verdict.NOT_ACQUIRED,
                justification="Salutation.",
                tip=None if hello else "Saluez.",
            ),
            CriterionGrade(
                criterion_id="B2.4", verdict=Verdict.NOT_OBSERVED, justification="Pas de réclamation."
            ),
        ]
        return GradeReport(
            transcript_id=transcript.id,
            rubric_version="fake-1",
            grader=GraderInfo(backend="fake", model="f"),
            criteria=grades,
            summary="ok",
        )


def corpus(root: Path) -> Path:
    folder = root / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Conseiller: Bonjour\nClient: Allô\n", encoding="utf-8")
    (folder / "sub" / "b.json").write_text(
        json.dumps({"id": "b", "turns": [{"speaker": "advisor", "text": "Oui ?"}]}), encoding="utf-8"
    )
    (folder / "bad.txt").write_text("Client: Allô ?\n", encoding="utf-8")  # no advisor turn
    return folder


def test_outputs_schema_and_summary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    outcome = run_batch([corpus(tmp_path)], out, FakeGrader(), show_progress=False)
    assert sorted(outcome.graded) == ["a", "b"]
    assert [Path(f.path).name for f in outcome.failed] == ["bad.txt"]
    assert "aucun tour du conseiller" in outcome.failed[0].reason
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "a.md", "b.json", "b.md", "summary.csv"]
    data = json.loads((out / "a.json").read_text(encoding="utf-8"))
    assert data["transcript_id"] == "a" and data["grader"] == {"backend": "fake", "model": "f"}
    assert data["criteria"][0]["id"] == "B1.1" and data["criteria"][0]["verdict"] == "acquired"
    assert {"justification", "evidence", "tip"} <= set(data["criteria"][0])
    assert "### B1.1 — B1.1 : **acquis**" in (out / "a.md").read_text(encoding="utf-8")
    rows = list(csv.DictReader((out / "summary.csv").open(encoding="utf-8")))
    assert [r["transcript_id"] for r in rows] == ["a", "b"]
    assert (rows[0]["B1.1"], rows[1]["B1.1"], rows[1]["B2.4"]) == ("acquired", "not_acquired", "not_observed")
    assert not list(out.glob(".*"))  # no temporary file left


def test_resume_skips_and_force_regrades(tmp_path: Path) -> None:
    folder, out = corpus(tmp_path), tmp_path / "out"
    run_batch([folder], out, FakeGrader(), show_progress=False)
    (out / "a.json").write_text((out / "a.json").read_text(encoding="utf-8").replace('"ok"', '"avant"'))
    second = FakeGrader()
    outcome = run_batch([folder], out, second, show_progress=False)
    assert second.seen == [] and sorted(outcome.skipped) == ["a", "b"]
    assert '"avant"' in (out / "a.json").read_text(encoding="utf-8")
    third = FakeGrader()
    outcome = run_batch([folder], out, third, force=True, show_progress=False)
    assert sorted(third.seen) == ["a", "b"] and outcome.skipped == []
    assert '"ok"' in (out / "a.json").read_text(encoding="utf-8")


def test_md_without_json_is_regraded(tmp_path: Path) -> None:
    folder, out = corpus(tmp_path), tmp_path / "out"
    run_batch([folder], out, FakeGrader(), show_progress=False)
    (out / "b.json").unlink()
    again = FakeGrader()
    run_batch([folder], out, again, show_progress=False)
    assert again.seen == ["b"]


@pytest.mark.parametrize("jobs", [1, 3])
def test_grading_failure_writes_nothing_and_batch_goes_on(tmp_path: Path, jobs: int) -> None:
    folder, out = corpus(tmp_path), tmp_path / "out"
    (folder / "c.txt").write_text("# id: c-boom\nConseiller: Bonjour\n", encoding="utf-8")
    outcome = run_batch([folder], out, FakeGrader(), jobs=jobs, show_progress=False)
    assert sorted(outcome.graded) == ["a", "b"]
    reasons = {Path(f.path).name: f.reason for f in outcome.failed}
    assert set(reasons) == {"bad.txt", "c.txt"}
    assert "évaluation impossible (serveur de modèle injoignable)" in reasons["c.txt"]
    assert not list(out.glob("c-boom*")) and not list(out.glob(".*"))
    assert "c-boom" not in (out / "summary.csv").read_text(encoding="utf-8")


def test_interrupt_leaves_only_complete_files(tmp_path: Path) -> None:
    folder, out = corpus(tmp_path), tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_batch([folder], out, FakeGrader(interrupt_on="b"), show_progress=False)
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "a.md"]
    json.loads((out / "a.json").read_text(encoding="utf-8"))


def test_atomic_write_failure_keeps_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    atomic_write(target, "ancien")
    with pytest.raises(UnicodeEncodeError):
        atomic_write(target, "début " + "\ud800")  # fails halfway through writing
    assert target.read_text(encoding="utf-8") == "ancien"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_duplicate_ids_and_unsafe_ids(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text("# id: ../../x\nConseiller: Bonjour\n", encoding="utf-8")
    (folder / "two.txt").write_text("# id: ../../x\nConseiller: Bonjour\n", encoding="utf-8")
    out = tmp_path / "out"
    outcome = run_batch([folder], out, FakeGrader(), show_progress=False)
    assert outcome.graded == ["../../x"] and "déjà utilisé" in outcome.failed[0].reason
    assert (out / f"{safe_stem('../../x')}.json").exists() and not (tmp_path / "x.json").exists()


def test_cli_exit_codes_and_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from webapp.cli import main

    monkeypatch.setattr(batch, "build_grader", lambda settings, backend=None: (FakeGrader(), None))
    monkeypatch.setenv("CRCA_CONFIG", str(tmp_path / "absent.toml"))
    folder, out = corpus(tmp_path), tmp_path / "out"
    assert main(["grade", str(folder), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "2 évaluée(s), 0 déjà évaluée(s) (ignorée(s)), 1 en échec" in err and "bad.txt" in err
    (folder / "bad.txt").unlink()
    assert main(["grade", str(folder), "--out", str(out)]) == 0
    assert "0 évaluée(s), 2 déjà évaluée(s)" in capsys.readouterr().err
    assert main(["grade", str(tmp_path / "absent.txt"), "--out", str(out)]) == 1
    assert "fichier introuvable" in capsys.readouterr().err


def test_grade_help_does_not_import_heavy_libraries() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom webapp.cli import main\n"
        "try:\n    main(['grade', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('gradio', 'chromadb', 'evaluation.batch') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_case_block_or_file_reaches_the_grader_and_a_bad_one_fails_its_file(tmp_path: Path) -> None:
    from evaluation.case_key import CaseKey

    folder = tmp_path / "in"
    folder.mkdir()
    turn = {"speaker": "advisor", "text": "Bonjour"}
    (folder / "k.json").write_text(json.dumps({"id": "k", "turns": [turn], "case": {"solution": "Ouvrir."}}))
    (folder / "bad.json").write_text(json.dumps({"id": "bad", "turns": [turn], "case": {"solution": 3}}))
    (folder / "plain.json").write_text(json.dumps({"id": "plain", "turns": [turn]}))
    grader = FakeGrader()
    outcome = run_batch([folder], tmp_path / "out", grader, show_progress=False)
    assert grader.cases["k"].solution == "Ouvrir." and grader.cases["plain"] is None  # type: ignore[attr-defined]
    assert len(outcome.failed) == 1
    assert "bloc case" in outcome.failed[0].reason and "texte attendu" in outcome.failed[0].reason
    given = CaseKey(solution="Tout autre chose.")
    grader = FakeGrader()
    run_batch([folder / "k.json"], tmp_path / "out2", grader, show_progress=False, case_file=given)
    assert grader.cases["k"] == given
