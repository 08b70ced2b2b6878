"""`crca grade` end to end: real RubricGrader and rubric, scripted grader model, fixture transcripts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

from domain.grades import CriterionGrade, GradeReport, GraderInfo, Verdict
from evaluation import batch
from evaluation.agreement import evidence_counts
from evaluation.formats import load_transcript
from rubrics.loader import load_rubric
from webapp.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"
REPLIES = ["oui", "non"]


@pytest.fixture
def scripted(crca_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "replies.yaml"
    script.write_text(yaml.safe_dump(REPLIES, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("CRCA_GRADER__BACKEND", "embedded")  # --backend must win over the settings
    monkeypatch.setenv("CRCA_GRADER__SCRIPT", str(script))
    # The conditions index takes ~40 s to build on a fresh home; the fact-check has its own tests.
    monkeypatch.setattr(batch, "_fact_checker", lambda settings: None)


def test_crca_grade_with_the_real_grader(scripted: None, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["grade", str(FIXTURES), "--out", str(out), "--backend", "scripted"]) == 0
    rubric = load_rubric()
    ids = [c.id for c in rubric.criteria]
    for path in sorted(FIXTURES.iterdir()):
        transcript = load_transcript(path)
        data = json.loads((out / f"{transcript.id}.json").read_text(encoding="utf-8"))
        assert data["rubric_version"] == rubric.version and data["grader"]["backend"] == "scripted"
        assert [c["id"] for c in data["criteria"]] == ids
        assert all(
            c["verdict"] in {v.value for v in Verdict} and c["justification"] for c in data["criteria"]
        )
        report = GradeReport(
            transcript_id=transcript.id,
            rubric_version=data["rubric_version"],
            grader=GraderInfo(**data["grader"]),
            criteria=[
                CriterionGrade(
                    criterion_id=c["id"], verdict=c["verdict"], justification="", evidence=c["evidence"]
                )
                for c in data["criteria"]
            ],
        )
        verbatim, shown = evidence_counts(report, transcript)
        assert verbatim == shown  # every quote shown is found verbatim in the turn it cites
        md = (out / f"{transcript.id}.md").read_text(encoding="utf-8")
        assert md.startswith(f"# Évaluation CQP CRCA — {transcript.id}") and "## Transcription" in md
    rows = list(csv.reader((out / "summary.csv").open(encoding="utf-8")))
    assert rows[0][4:] == ids and len(rows) == 1 + len(list(FIXTURES.iterdir()))
    # a second run resumes: nothing left to grade
    assert main(["grade", str(FIXTURES), "--out", str(out), "--backend", "scripted"]) == 0


def test_fact_checker_is_optional(
    crca_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from crca.settings import load_settings
    from knowledge.retriever import ConditionRetriever

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("index absent")

    monkeypatch.setattr(ConditionRetriever, "open", broken)
    assert batch._fact_checker(load_settings()) is None
    assert "vérification des faits indisponible (index absent)" in capsys.readouterr().err
