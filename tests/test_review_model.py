"""The review model: a trainer's decisions regenerate every derived part of a report (#13)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from domain.grades import CriterionGrade, GradeReport, GraderInfo, Verdict
from domain.review import Review, ReviewRefused
from domain.transcript import Speaker, Transcript, Turn
from evaluation.reports import (
    apply_overrides,
    batch_json,
    render_html,
    render_markdown,
    summary_csv,
    to_batch_result,
)
from evaluation.summaries import bloc_summaries, overall_summary
from rubrics.loader import load_rubric

RUBRIC = load_rubric()
TRANSCRIPT = Transcript(id="t", turns=[Turn(speaker=Speaker.ADVISOR, text="Bonjour, Julie à votre écoute.")])


def graded(verdicts: dict[str, Verdict], default: Verdict = Verdict.ACQUIRED) -> GradeReport:
    """A report on the whole rubric as the grader writes it: texts derived from its verdicts."""
    grades = [
        CriterionGrade(
            criterion_id=c.id, verdict=verdicts.get(c.id, default), justification=f"Analyse {c.id}."
        )
        for c in RUBRIC.criteria
    ]
    return GradeReport(
        transcript_id="t",
        rubric_version=RUBRIC.version,
        grader=GraderInfo(backend="scripted", model="fake"),
        criteria=grades,
        blocs=bloc_summaries(RUBRIC, grades),
        summary=overall_summary(RUBRIC, grades),
    )


def at(hour: int) -> datetime:
    return datetime(2026, 2, 3, hour, 15, tzinfo=UTC)


def decide(
    criterion_id: str, report: GradeReport, verdict: Verdict, comment: str = "", hour: int = 10
) -> Review:
    return Review.decide(criterion_id, report.grade(criterion_id).verdict, verdict, comment, "paul", at(hour))


def named(criterion_id: str) -> str:
    return f"{criterion_id} ({RUBRIC.get(criterion_id).title})"


def test_the_synthesis_no_longer_cites_an_overridden_verdict() -> None:
    report = graded({"B1.1": Verdict.NOT_ACQUIRED, "B1.2": Verdict.PARTIAL})
    assert f"Axes de progrès prioritaires : {named('B1.1')}" in report.summary  # the grader's text
    reviewed = apply_overrides(
        report, [decide("B1.1", report, Verdict.ACQUIRED, "Nom donné au tour 1")], RUBRIC
    )

    assert named("B1.1") in reviewed.summary.split("Points forts : ")[1]
    assert "Axes de progrès" not in reviewed.summary  # B1.1 was the only one not acquired
    assert "27 acquis, 1 partiellement acquis" in reviewed.summary
    bloc1 = next(b for b in reviewed.blocs if b.bloc == 1)
    assert named("B1.1") not in bloc1.text and f"À travailler : {named('B1.2')}." in bloc1.text
    assert (
        bloc1.counts[Verdict.NOT_ACQUIRED] == 0 and bloc1.counts[Verdict.ACQUIRED] == len(RUBRIC.bloc(1)) - 1
    )
    assert reviewed.summary.startswith("Relecture du formateur : 1 critère relu sur 28, dont 1 modifié.")
    # The grader's report is kept as it was.
    assert reviewed.graded == report and "Axes de progrès" in reviewed.graded.summary


def test_counts_and_score_follow_the_final_verdicts() -> None:
    report = graded({"B1.1": Verdict.NOT_ACQUIRED, "B2.1": Verdict.NOT_OBSERVED})
    before = apply_overrides(report, [], RUBRIC)
    assert before.score.value == round(26 / 27, 4) and before.score.not_observed == 1
    reviewed = apply_overrides(
        report,
        [
            decide("B1.1", report, Verdict.PARTIAL, "Esquissé"),
            decide("B1.2", report, Verdict.NOT_ACQUIRED, "Ton sec", hour=11),
            decide("B1.3", report, Verdict.ACQUIRED),  # a confirmation, no comment needed
        ],
        RUBRIC,
    )
    assert reviewed.score.value == round(25.5 / 27, 4)
    assert f"Score : {reviewed.score.label_fr}." in reviewed.summary
    assert sum(b.counts[Verdict.NOT_ACQUIRED] for b in reviewed.blocs) == 1
    assert sum(b.counts[Verdict.PARTIAL] for b in reviewed.blocs) == 1
    assert (reviewed.status.reviewed, reviewed.status.changed, reviewed.status.confirmed) == (3, 2, 1)
    assert reviewed.grade("B1.1").tip == RUBRIC.get("B1.1").tip  # a weak verdict gets the rubric's tip
    assert reviewed.grade("B1.2").tip == RUBRIC.get("B1.2").tip


def test_a_mostly_error_grade_does_not_show_a_high_score() -> None:
    errors = {c.id: Verdict.COULD_NOT_GRADE for c in RUBRIC.criteria[2:]}
    report = graded(errors)  # two criteria acquired, 26 the grader could not grade
    reviewed = apply_overrides(report, [], RUBRIC)
    assert reviewed.score.value == round(2 / 28, 4)
    assert reviewed.score.label_fr == "7 % (26 critères non évalués)"
    assert "Score : 7 % (26 critères non évalués)." in reviewed.summary
    assert "- **Score :** 7 % (26 critères non évalués)" in render_markdown(reviewed, TRANSCRIPT, RUBRIC)
    # A trainer grading the failed criteria is what makes the score meaningful again.
    third = RUBRIC.criteria[2].id
    fixed = apply_overrides(report, [decide(third, report, Verdict.ACQUIRED, "Relu : acquis")], RUBRIC)
    assert fixed.score.value == round(3 / 28, 4) and fixed.score.not_graded == 25


def test_downloads_follow_the_review() -> None:
    report = graded({"B1.1": Verdict.NOT_ACQUIRED})
    reviewed = apply_overrides(
        report,
        [decide("B1.1", report, Verdict.ACQUIRED, "Nom <donné>"), decide("B1.2", report, Verdict.ACQUIRED)],
        RUBRIC,
    )
    data = json.loads(batch_json(reviewed, RUBRIC))
    assert data["summary"] == reviewed.summary and data["score"]["value"] == 1.0
    b11 = next(c for c in data["criteria"] if c["id"] == "B1.1")
    assert b11["verdict"] == "acquired" and b11["original_verdict"] == "not_acquired" and b11["tip"] is None
    b12 = next(c for c in data["criteria"] if c["id"] == "B1.2")
    assert b12["override"]["author"] == "paul" and b12["original_verdict"] == "acquired"  # a confirmation
    row = next(csv.DictReader(io.StringIO(summary_csv([to_batch_result(reviewed, RUBRIC)]))))
    assert row["B1.1"] == "acquired"
    md = render_markdown(reviewed, TRANSCRIPT, RUBRIC)
    assert reviewed.summary in md and "Axes de progrès" not in md
    assert f"| B1.1 | {RUBRIC.get('B1.1').title} | acquis (formateur) |" in md
    assert f"| B1.2 | {RUBRIC.get('B1.2').title} | acquis (confirmé) |" in md
    assert "*Verdict confirmé par le formateur — paul, 03/02/2026 10:15*" in md
    assert (
        "Analyse de l'évaluateur : Analyse B1.1." in md
        and "Analyse de l'évaluateur : Analyse B1.2." not in md
    )
    assert "- **Relecture du formateur :** 2 critères relus sur 28, dont 1 modifié" in md
    page = render_html(reviewed, TRANSCRIPT, RUBRIC)
    assert "Nom &lt;donné&gt;" in page and "Axes de progrès" not in page and "100 %" in page


def test_criterion_review_states_say_who_and_why() -> None:
    report = graded({"B1.1": Verdict.NOT_ACQUIRED})
    reviewed = apply_overrides(
        report,
        [
            decide("B1.1", report, Verdict.PARTIAL, "D'abord partiel", hour=9),
            decide("B1.1", report, Verdict.ACQUIRED, "Finalement acquis", hour=12),
            decide("B1.2", report, Verdict.ACQUIRED),
        ],
        RUBRIC,
    )
    changed, confirmed, untouched = reviewed.state("B1.1"), reviewed.state("B1.2"), reviewed.state("B1.3")
    assert changed.changed and not changed.confirmed and changed.verdict == Verdict.ACQUIRED
    assert changed.review is not None and changed.review.comment == "Finalement acquis"
    assert changed.label_fr == "modifié par paul le 03/02/2026 (évaluateur : non acquis) : Finalement acquis"
    assert confirmed.confirmed and confirmed.label_fr == "confirmé par paul le 03/02/2026"
    assert not untouched.reviewed and untouched.label_fr == "non relu"
    assert [s.criterion_id for s in reviewed.states()] == [c.id for c in RUBRIC.criteria]


def test_review_rules_live_in_one_place() -> None:
    with pytest.raises(ReviewRefused, match="commentaire est requis"):
        Review.decide("B1.1", Verdict.NOT_ACQUIRED, Verdict.ACQUIRED, "  ", "paul", at(10))
    confirmation = Review.decide("B1.1", Verdict.NOT_ACQUIRED, "not_acquired", "", "paul", at(10))
    assert confirmation.confirms and confirmation.original_verdict == Verdict.NOT_ACQUIRED
    with pytest.raises(ReviewRefused, match="pas un verdict de formateur"):
        Review.decide("B1.1", Verdict.COULD_NOT_GRADE, Verdict.COULD_NOT_GRADE, "", "paul", at(10))
    with pytest.raises(ReviewRefused, match="dans la liste"):
        Review.decide("B1.1", Verdict.ACQUIRED, "excellent", "Top", "paul", at(10))
    assert (
        Review.decide("B1.1", Verdict.ACQUIRED, Verdict.PARTIAL, " Esquissé ", "paul", at(10)).comment
        == "Esquissé"
    )
    filled = Review.decide("B2.1", Verdict.COULD_NOT_GRADE, Verdict.ACQUIRED, "", "paul", at(10))
    assert not filled.confirms  # a grader failure filled in needs no argument, and is no confirmation


def test_reports_of_an_older_rubric_still_regenerate() -> None:
    """A criterion id the rubric no longer has is named by its id, not dropped."""
    report = GradeReport(
        transcript_id="t",
        rubric_version="old",
        grader=GraderInfo(backend="b", model="m"),
        criteria=[
            CriterionGrade(criterion_id="B1.1", verdict=Verdict.ACQUIRED, justification="-"),
            CriterionGrade(
                criterion_id="B1.99", verdict=Verdict.NOT_ACQUIRED, justification="-", tip="Ancien"
            ),
        ],
    )
    reviewed = apply_overrides(report, [decide("B1.99", report, Verdict.PARTIAL, "Esquissé")], RUBRIC)
    bloc1 = next(b for b in reviewed.blocs if b.bloc == 1)
    assert "À travailler : B1.99." in bloc1.text and bloc1.counts[Verdict.PARTIAL] == 1
    assert reviewed.grade("B1.99").tip == "Ancien"
