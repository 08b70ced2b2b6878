"""A trainer's verdict wins in every export, and the grader's original stays retrievable."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from domain.grades import BlocSummary, CriterionGrade, GradeReport, GraderInfo, Verdict
from domain.transcript import Speaker, Transcript, Turn
from evaluation.reports import (
    Review,
    ReviewedReport,
    apply_overrides,
    batch_json,
    render_html,
    render_markdown,
    summary_csv,
    to_batch_result,
)


def make_report() -> GradeReport:
    grades = [
        CriterionGrade(criterion_id="B1.1", verdict=Verdict.NOT_ACQUIRED, justification="Pas de nom."),
        CriterionGrade(criterion_id="B1.2", verdict=Verdict.ACQUIRED, justification="Bien."),
    ]
    counts = {Verdict.NOT_ACQUIRED: 1, Verdict.ACQUIRED: 1}
    return GradeReport(
        transcript_id="t",
        rubric_version="v",
        grader=GraderInfo(backend="b", model="m"),
        criteria=grades,
        blocs=[BlocSummary(bloc=1, counts=counts, text="")],
    )


def at(hour: int) -> datetime:
    return datetime(2026, 2, 3, hour, 15)


PAUL_ACQUIRES_B11 = Review(
    criterion_id="B1.1", verdict=Verdict.ACQUIRED, comment="Nom donné <ensuite>", author="Paul", at=at(10)
)


def test_latest_override_wins_and_original_kept() -> None:
    report = make_report()
    reviewed = apply_overrides(
        report,
        [
            PAUL_ACQUIRES_B11,
            Review(criterion_id="B1.1", verdict=Verdict.PARTIAL, comment="", author="Anne", at=at(9)),
        ],
    )
    assert isinstance(reviewed, ReviewedReport) and isinstance(reviewed, GradeReport)
    assert reviewed.grade("B1.1").verdict == Verdict.ACQUIRED
    assert reviewed.review_for("B1.1").original_verdict == Verdict.NOT_ACQUIRED
    assert reviewed.review_for("B1.1").author == "Paul"
    assert (
        reviewed.blocs[0].counts[Verdict.ACQUIRED] == 2
        and reviewed.blocs[0].counts[Verdict.NOT_ACQUIRED] == 0
    )
    assert reviewed.graded == report
    assert report.grade("B1.1").verdict == Verdict.NOT_ACQUIRED  # input untouched


def test_reapplying_starts_from_the_grader_verdicts() -> None:
    once = apply_overrides(
        make_report(), [Review(criterion_id="B1.1", verdict=Verdict.ACQUIRED, author="Paul", at=at(10))]
    )
    twice = apply_overrides(
        once, [Review(criterion_id="B1.2", verdict=Verdict.PARTIAL, author="Anne", at=at(11))]
    )
    assert twice.grade("B1.1").verdict == Verdict.NOT_ACQUIRED  # only the overrides given now apply
    assert twice.review_for("B1.2").original_verdict == Verdict.ACQUIRED


def test_unknown_criterion_is_refused() -> None:
    with pytest.raises(KeyError):
        apply_overrides(
            make_report(), [Review(criterion_id="B9.9", verdict=Verdict.ACQUIRED, author="x", at=at(1))]
        )


def test_exports_show_trainer_verdict_and_original() -> None:
    transcript = Transcript(id="t", turns=[Turn(speaker=Speaker.ADVISOR, text="Bonjour")])
    reviewed = apply_overrides(
        make_report(),
        [
            PAUL_ACQUIRES_B11,
        ],
    )
    data = json.loads(batch_json(reviewed))
    b11 = data["criteria"][0]
    assert b11["verdict"] == "acquired" and b11["original_verdict"] == "not_acquired"
    assert b11["override"]["author"] == "Paul" and data["criteria"][1]["override"] is None
    assert summary_csv([to_batch_result(reviewed)]).splitlines()[1].endswith(",acquired,acquired")
    note = "Verdict formateur : acquis (évaluateur : non acquis) — Paul, 03/02/2026 10:15 : Nom donné"
    md = render_markdown(reviewed, transcript)
    assert f"*{note} <ensuite>*" in md and "| B1.1 | B1.1 | acquis (formateur) |" in md
    page = render_html(reviewed, transcript)
    assert f"{note} &lt;ensuite&gt;" in page and "<ensuite>" not in page
    assert "Relecture du formateur" in page


def test_a_review_confirms_or_changes_the_grader_verdict() -> None:
    reviewed = apply_overrides(
        make_report(),
        [
            Review(criterion_id="B1.1", verdict=Verdict.NOT_ACQUIRED, author="Paul", at=at(10)),
            Review(criterion_id="B1.2", verdict=Verdict.PARTIAL, author="Paul", at=at(10)),
        ],
    )
    assert reviewed.review_for("B1.1").confirms
    assert not reviewed.review_for("B1.2").confirms
    assert reviewed.grade("B1.1").verdict == Verdict.NOT_ACQUIRED
