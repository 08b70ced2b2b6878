"""A standalone, printable HTML report: verdict colours, evidence marked in the transcript, a bar chart.

Every piece of transcript or model text goes through `html.escape`: a transcript is
untrusted input and the report is opened in a browser.
"""

from __future__ import annotations

from html import escape

from domain.grades import GradeReport, Verdict, bloc_of, confidence_text
from domain.transcript import CHANNEL_LABELS_FR, Transcript
from evaluation.report_views import (
    SPEAKER_LABELS_FR,
    action_label,
    bloc_counts,
    header_facts,
    justification_heading,
    override_note,
    review_mark,
    verdict_label,
)
from evaluation.reports import bloc_title, ordered, title_of
from rubrics.models import Rubric

COLOURS = {
    Verdict.ACQUIRED: "#2e7d32",
    Verdict.PARTIAL: "#ef8f00",
    Verdict.NOT_ACQUIRED: "#c62828",
    Verdict.NOT_OBSERVED: "#78909c",
    Verdict.COULD_NOT_GRADE: "#6a1b9a",
}

CSS = """
body{font:11pt/1.45 system-ui,"Segoe UI",Arial,sans-serif;color:#222;max-width:60em;margin:2em auto;
 padding:0 1em}
h1{font-size:1.5em;margin-bottom:.2em} h2{border-bottom:2px solid #ddd;margin-top:1.6em} h3{font-size:1.05em}
table{border-collapse:collapse;width:100%} td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left}
.verdict{display:inline-block;padding:0 .5em;border-radius:.6em;color:#fff;font-weight:600;font-size:.9em}
.criterion{border-left:4px solid #ccc;padding:.1em 0 .1em .8em;margin:1em 0;break-inside:avoid}
.override{background:#fff8e1;border:1px solid #ffe082;padding:.3em .5em}
blockquote{margin:.3em 0 .3em 1em;color:#444;font-style:italic} .tip{background:#e8f5e9;padding:.3em .5em}
.error{color:#6a1b9a} .chart{margin:.5em 0 1em}
.bar{display:flex;height:1.4em;width:100%;border:1px solid #999}
.bar span{display:block;height:100%} .legend span{margin-right:1em;white-space:nowrap}
.swatch{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:middle}
.turn{margin:.3em 0;padding:.2em .5em;border-radius:.3em} .advisor{background:#eef4fb}
.client{background:#f6f6f6}
.turn.cited{outline:2px solid #f9a825} mark{background:#fff59d}
.action{color:#555;font-size:.9em;margin-left:2em}
.who{font-weight:600} .num{color:#888;margin-right:.4em}
* {-webkit-print-color-adjust:exact;print-color-adjust:exact}
@media print{body{margin:0;max-width:none;font-size:10pt} a{color:inherit;text-decoration:none}
 h2{break-after:avoid} .turn{break-inside:avoid}}
"""


def _badge(verdict: Verdict) -> str:
    style = f"background:{COLOURS[verdict]}"
    return f'<span class="verdict v-{verdict.value}" style="{style}">{escape(verdict_label(verdict))}</span>'


def _chart(report: GradeReport, blocs: list[int]) -> str:
    """One stacked bar per bloc: the share of each verdict (CSS widths, prints in colour)."""
    rows = []
    for bloc in blocs:
        counts = {v: n for v, n in bloc_counts(report, bloc).items() if n}
        total = sum(counts.values()) or 1
        parts = "".join(
            f'<span style="width:{100 * n / total:.2f}%;background:{COLOURS[v]}" '
            f'title="{escape(verdict_label(v))} : {n}"></span>'
            for v, n in counts.items()
        )
        legend = "".join(
            f'<span><i class="swatch" style="background:{COLOURS[v]}"></i>'
            f"{escape(verdict_label(v))} : {n}</span>"
            for v, n in counts.items()
        )
        rows.append(
            f'<div class="chart"><strong>Bloc {bloc}</strong><div class="bar">{parts}</div>'
            f'<div class="legend">{legend}</div></div>'
        )
    return "".join(rows)


def _marked(text: str, quotes: list[str]) -> str:
    """Escaped text with every occurrence of the cited quotes wrapped in <mark>."""
    spans = sorted((i, i + len(q)) for q in quotes if q for i in _find_all(text, q))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, cursor = [], 0
    for start, end in merged:
        out += [escape(text[cursor:start]), "<mark>", escape(text[start:end]), "</mark>"]
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out).replace("\n", "<br>")


def _find_all(text: str, quote: str) -> list[int]:
    found, start = [], text.find(quote)
    while start != -1:
        found.append(start)
        start = text.find(quote, start + 1)
    return found


def _criterion(report: GradeReport, rubric: Rubric | None, criterion_id: str) -> str:
    g = report.grade(criterion_id)
    parts = [
        f'<div class="criterion" style="border-color:{COLOURS[g.verdict]}" id="{escape(g.criterion_id)}">',
        f"<h3>{escape(g.criterion_id)} — {escape(title_of(rubric, g.criterion_id))} {_badge(g.verdict)}</h3>",
    ]
    note = override_note(report, g.criterion_id)
    if note:
        parts.append(f'<p class="override">{escape(note)}</p>')
    if g.error:
        parts.append(f'<p class="error">Évaluation impossible : {escape(g.error)}</p>')
    if g.justification:
        parts.append(f"<p>{escape(justification_heading(report, g.criterion_id) + g.justification)}</p>")
    for ev in g.evidence:
        parts.append(
            f"<blockquote>« {escape(ev.quote)} » "
            f'(<a href="#tour-{ev.turn + 1}">tour {ev.turn + 1}</a>)</blockquote>'
        )
    if g.confidence:
        parts.append(f'<p class="confidence">Confiance : {escape(confidence_text(g))}</p>')
    if g.articles:
        parts.append(f"<p>Articles cités : {escape(', '.join(g.articles))}</p>")
    if g.to_verify:
        items = "".join(f"<li>{escape(n)}</li>" for n in g.to_verify)
        parts.append(
            f'<div class="to-verify">À vérifier par le formateur (non compté) :<ul>{items}</ul></div>'
        )
    if g.tip:
        parts.append(f'<p class="tip"><strong>Conseil :</strong> {escape(g.tip)}</p>')
    return "".join(parts) + "</div>"


def _transcript(report: GradeReport, transcript: Transcript) -> str:
    cited: dict[int, list[str]] = {}
    for g in report.criteria:
        for ev in g.evidence:
            cited.setdefault(ev.turn, []).append(ev.quote)
    parts = ["<h2>Transcription</h2>"]
    if transcript.context:
        parts.append(f"<p><strong>Contexte :</strong> {escape(transcript.context)}</p>")
    for index, turn in enumerate(transcript.turns):
        classes = f"turn {turn.speaker.value}" + (" cited" if index in cited else "")
        parts.append(
            f'<div class="{classes}" id="tour-{index + 1}"><span class="num">{index + 1}.</span>'
            f'<span class="who">{SPEAKER_LABELS_FR[turn.speaker]} :</span> '
            f"{_marked(turn.text, cited.get(index, []))}</div>"
        )
        for action in (a for a in transcript.actions if a.after_turn == index):
            detail = f" — {escape(action.detail)}" if action.detail else ""
            parts.append(f'<div class="action">Action : {escape(action_label(action.type))}{detail}</div>')
    return "".join(parts)


def html_report(report: GradeReport, transcript: Transcript, rubric: Rubric | None = None) -> str:
    """A self-contained page (no external resource) ready to print or save as PDF."""
    grades = ordered(report, rubric)
    blocs = sorted({bloc_of(g.criterion_id) for g in grades})
    facts = "".join(
        f"<li><strong>{escape(k)} :</strong> {escape(v)}</li>" for k, v in header_facts(report, transcript)
    )
    body = [
        f"<h1>Évaluation CQP CRCA — {escape(report.transcript_id)}</h1><ul>{facts}</ul>",
        f"<h2>Synthèse</h2><p>{escape(report.summary or '(pas de synthèse)')}</p>",
        _chart(report, blocs),
    ]
    for bloc in blocs:
        in_bloc = [g for g in grades if bloc_of(g.criterion_id) == bloc]
        text = next((b.text for b in report.blocs if b.bloc == bloc), "")
        rows = "".join(
            f'<tr><td><a href="#{escape(g.criterion_id)}">{escape(g.criterion_id)}</a></td>'
            f"<td>{escape(title_of(rubric, g.criterion_id))}</td><td>{_badge(g.verdict)}"
            f"{escape(review_mark(report, g.criterion_id))}</td></tr>"
            for g in in_bloc
        )
        body.append(
            f"<h2>Bloc {bloc} — {escape(bloc_title(rubric, bloc))}</h2>"
            + (f"<p>{escape(text)}</p>" if text else "")
            + f"<table><tr><th>Critère</th><th>Intitulé</th><th>Verdict</th></tr>{rows}</table>"
        )
        body += [_criterion(report, rubric, g.criterion_id) for g in in_bloc]
    body.append(_transcript(report, transcript))
    title = escape(f"Évaluation {report.transcript_id} — {CHANNEL_LABELS_FR[transcript.channel]}")
    return (
        f'<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>\n"
    )
