"""Reports say the right verdicts in French, escape transcript text and mark the evidence."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest

from domain.grades import BlocSummary, CriterionGrade, Evidence, GradeReport, GraderInfo, Verdict
from domain.transcript import Action, Channel, Speaker, Transcript, Turn
from evaluation.reports import (
    BatchResult,
    batch_json,
    render_html,
    render_markdown,
    summary_csv,
    to_batch_result,
)
from rubrics.models import Criterion, Rubric


def criterion(cid: str, title: str) -> Criterion:
    """Only what reports read (id, bloc, title): the check schema belongs to the rubric's tests."""
    return Criterion.model_construct(id=cid, bloc=int(cid[1]), title=title)


@pytest.fixture
def rubric() -> Rubric:
    items = [
        ("B1.1", "Accueil"),
        ("B1.10", "Gestion du temps"),
        ("B1.2", "Échange <adapté>"),
        ("B2.4", "Réclamations"),
    ]
    return Rubric.model_construct(
        version="test-v1", source="test", criteria=[criterion(i, t) for i, t in items]
    )


@pytest.fixture
def transcript() -> Transcript:
    return Transcript(
        id="t-1",
        channel=Channel.CHAT,
        context="Contrat MRH <n° 5>",
        turns=[
            Turn(speaker=Speaker.ADVISOR, text="Bonjour, Assur'Ouest, <b>Julie</b> à votre écoute."),
            Turn(speaker=Speaker.CLIENT, text="Je veux me plaindre | c'est urgent."),
            Turn(speaker=Speaker.ADVISOR, text="Je comprends. Selon l'article 4 & 5, c'est couvert."),
        ],
        actions=[Action(type="quality_report", detail="Retard <48h>", after_turn=2)],
    )


@pytest.fixture
def report() -> GradeReport:
    grades = [
        CriterionGrade(
            criterion_id="B2.4",
            verdict=Verdict.NOT_ACQUIRED,
            justification="Sans article.",
            tip="Citez l'article applicable.",
            articles=["Art. 4"],
        ),
        CriterionGrade(
            criterion_id="B1.2",
            verdict=Verdict.PARTIAL,
            justification="Écoute <partielle>.",
            evidence=[Evidence(turn=2, quote="Je comprends.")],
        ),
        CriterionGrade(
            criterion_id="B1.10", verdict=Verdict.COULD_NOT_GRADE, justification="", error="réponse illisible"
        ),
        CriterionGrade(
            criterion_id="B1.1",
            verdict=Verdict.ACQUIRED,
            justification="Accueil complet.",
            evidence=[Evidence(turn=0, quote="<b>Julie</b>"), Evidence(turn=0, quote="Assur'Ouest")],
        ),
    ]
    counts = {v: 0 for v in Verdict}
    return GradeReport(
        transcript_id="t-1",
        rubric_version="test-v1",
        grader=GraderInfo(backend="scripted", model="fake"),
        criteria=grades,
        blocs=[BlocSummary(bloc=1, counts=counts, text="Bloc 1 correct.")],
        summary="Bon accueil, réclamation mal traitée.",
    )


def test_batch_json_schema_and_order(report: GradeReport, rubric: Rubric) -> None:
    data = json.loads(batch_json(report, rubric))
    assert {"transcript_id", "rubric_version", "grader", "criteria", "summary"} <= set(data)
    assert data["grader"] == {"backend": "scripted", "model": "fake"}
    assert [c["id"] for c in data["criteria"]] == ["B1.1", "B1.10", "B1.2", "B2.4"]  # rubric order
    b11 = data["criteria"][0]
    assert {"id", "verdict", "justification", "evidence", "tip"} <= set(b11) and b11["tip"] is None
    assert b11["verdict"] == "acquired" and b11["evidence"][0] == {"turn": 0, "quote": "<b>Julie</b>"}
    assert data["criteria"][3]["tip"] == "Citez l'article applicable."
    assert "dropped_quotes" not in data
    assert BatchResult.model_validate(data).verdicts()["B1.10"] == Verdict.COULD_NOT_GRADE


def test_batch_json_orders_naturally_without_rubric(report: GradeReport) -> None:
    data = json.loads(batch_json(report))
    assert [c["id"] for c in data["criteria"]] == ["B1.1", "B1.2", "B1.10", "B2.4"]


def test_summary_csv_one_row_per_transcript(report: GradeReport) -> None:
    other = report.model_copy(update={"transcript_id": "a-0", "criteria": report.criteria[:1]})
    text = summary_csv([to_batch_result(report), to_batch_result(other)])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "transcript_id",
        "rubric_version",
        "grader_backend",
        "grader_model",
        "B1.1",
        "B1.2",
        "B1.10",
        "B2.4",
    ]
    assert rows[1] == ["a-0", "test-v1", "scripted", "fake", "", "", "", "not_acquired"]
    assert rows[2][4:] == ["acquired", "partial", "could_not_grade", "not_acquired"]


def test_markdown_has_labels_evidence_and_transcript(
    report: GradeReport, transcript: Transcript, rubric: Rubric
) -> None:
    md = render_markdown(report, transcript, rubric)
    assert md.startswith("# Évaluation CQP CRCA — t-1")
    assert "### B1.1 — Accueil : **acquis**" in md
    assert "### B1.2 — Échange <adapté> : **partiellement acquis**" in md
    assert "### B2.4 — Réclamations : **non acquis**" in md
    assert "**non évalué (erreur)**" in md and "Évaluation impossible : réponse illisible" in md
    assert "> « Je comprends. » (tour 3)" in md
    assert "**Conseil :** Citez l'article applicable." in md
    assert "| B1.2 | Échange <adapté> | partiellement acquis |" in md
    assert "Je veux me plaindre | c'est urgent." in md and "**2. Client :**" in md
    assert "*Action : Remontée d'incident qualité — Retard <48h>*" in md
    assert md.index("## Bloc 1") < md.index("## Bloc 2") < md.index("## Transcription")
    assert "Bilan : 1 acquis, 1 partiellement acquis, 1 non évalué (erreur)." in md


class _Text(HTMLParser):
    """Collects text and the text inside <mark> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.marked: list[str] = []
        self.tags: list[str] = []
        self._in_mark = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self._in_mark = self._in_mark or tag == "mark"

    def handle_endtag(self, tag: str) -> None:
        self._in_mark = self._in_mark and tag != "mark"

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_mark:
            self.marked.append(data)


def test_html_escapes_and_highlights(report: GradeReport, transcript: Transcript, rubric: Rubric) -> None:
    page = render_html(report, transcript, rubric)
    assert "<b>Julie</b>" not in page and "&lt;b&gt;Julie&lt;/b&gt;" in page
    assert "Retard &lt;48h&gt;" in page and "article 4 &amp; 5" in page
    parsed = _Text()
    parsed.feed(page)
    assert "b" not in parsed.tags and "script" not in parsed.tags
    assert parsed.marked == ["Assur'Ouest", "<b>Julie</b>", "Je comprends."]
    assert re.search(r'class="turn advisor cited" id="tour-1"', page)
    assert 'class="turn client" id="tour-2"' in page
    assert 'href="#tour-3"' in page
    labels = re.findall(r'class="verdict v-(\w+)"', page)
    assert {"acquired", "partial", "not_acquired", "could_not_grade"} <= set(labels)
    assert "@media print" in page and page.startswith("<!DOCTYPE html>")
    bars = re.findall(r'<div class="bar">(.*?)</div>', page)
    assert len(bars) == 2
    assert bars[0].count("<span") == 3 and "width:33.33%" in bars[0]
    assert bars[1].count("<span") == 1 and "width:100.00%" in bars[1]


def test_html_overlapping_quotes_merge() -> None:
    from evaluation.report_html import _marked

    assert _marked("abc <d> efg", ["c <d", "<d> e", "zz"]) == "ab<mark>c &lt;d&gt; e</mark>fg"


def test_confidence_and_points_to_verify_reach_every_view() -> None:
    from domain.grades import CriterionGrade, GradeReport, GraderInfo, Verdict
    from evaluation.reports import render_html, render_markdown, to_batch_result

    doubt = "Tour 3 : « franchise de 90 € » — À vérifier (correspondance incertaine)"
    grade = CriterionGrade(
        criterion_id="B1.0", verdict=Verdict.ACQUIRED, justification="Acquis.", confidence="to_confirm",
        to_verify=[doubt],
    )  # fmt: skip
    why = "ce type de verdict a été confirmé par les évaluateurs dans 95 % des cas (20 verdicts)."
    sure = CriterionGrade(
        criterion_id="B1.1", verdict=Verdict.ACQUIRED, justification="Acquis.", confidence="sure",
        confidence_reason=why,
    )  # fmt: skip
    report = GradeReport(
        transcript_id="t",
        rubric_version="v",
        grader=GraderInfo(backend="b", model="m"),
        criteria=[grade, sure],
    )
    transcript = Transcript(id="t", turns=[Turn(speaker="advisor", text="Bonjour")])  # type: ignore[arg-type]
    markdown = render_markdown(report, transcript, None)
    assert (
        "Confiance : à confirmer" in markdown and f"Confiance : sûr — {why}" in markdown and doubt in markdown
    )
    html = render_html(report, transcript, None)
    assert "Confiance : à confirmer" in html and f"Confiance : sûr — {why}" in html and "non compté" in html
    batch = to_batch_result(report)
    assert [c.confidence_reason for c in batch.criteria] == ["", why]
    assert [c.confidence for c in batch.criteria] == ["to_confirm", "sure"] and batch.criteria[
        0
    ].to_verify == [doubt]


def test_reports_stored_with_the_old_dropped_quotes_field_still_load(
    report: GradeReport, rubric: Rubric
) -> None:
    stored = report.model_dump(mode="json") | {"dropped_quotes": 0}
    assert GradeReport.model_validate(stored) == report
    batch = json.loads(batch_json(report, rubric)) | {"dropped_quotes": 0}
    assert BatchResult.model_validate(batch) == BatchResult.model_validate_json(batch_json(report, rubric))
