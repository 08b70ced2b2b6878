"""Review screens' HTML and Markdown: the queue card, its progress line, the trainer's notes.

Transcript and model text is escaped: a transcript is untrusted input shown in the app page.
"""

from __future__ import annotations

from html import escape

from domain.grades import VERDICT_LABELS_FR, Verdict, confidence_text
from domain.review import Review, ReviewedReport
from domain.transcript import Transcript
from evaluation.report_html import COLOURS
from evaluation.report_views import SPEAKER_LABELS_FR
from evaluation.reports import title_of
from rubrics.models import Rubric
from webapp.ui.progress import TraineeProgress
from webapp.ui.queue import QueueCard, ReviewQueue

CARD_CSS = (
    "<style>.crca-card{border:1px solid #ddd;border-radius:8px;padding:.6em 1em;background:#fff;color:#222}"
    ".crca-card h3{margin:.2em 0 .4em} .crca-card .badge{display:inline-block;padding:0 .5em;"
    "border-radius:.6em;color:#fff;font-weight:600} .crca-card .turn{background:#f6f6f6;padding:.3em .5em;"
    "border-radius:.3em;margin:.3em 0} .crca-card mark{background:#fff59d}"
    " .crca-card .tip{background:#e8f5e9;padding:.3em .5em}"
    " .crca-card .decision{background:#fff8e1;border:1px solid #ffe082;padding:.3em .5em}"
    ".crca-card .doubt{color:#b26a00;font-weight:600}</style>"
)


def badge(verdict: Verdict) -> str:
    label = escape(VERDICT_LABELS_FR[verdict])
    return f'<span class="badge v-{verdict.value}" style="background:{COLOURS[verdict]}">{label}</span>'


def highlighted(text: str, quote: str) -> str:
    """Escaped `text` with the first occurrence of `quote` marked."""
    at = text.find(quote) if quote else -1
    if at < 0:
        return escape(text)
    end = at + len(quote)
    return f"{escape(text[:at])}<mark>{escape(text[at:end])}</mark>{escape(text[end:])}"


def decision_text(review: Review) -> str:
    """« Confirmé par fanny » or « Modifié par fanny : acquis (évaluateur : non acquis) — comment »."""
    who = f"{review.author}, {review.at:%d/%m/%Y %H:%M}"
    if review.confirms:
        return f"Confirmé ({who})" + (f" : {review.comment}" if review.comment else "")
    original = VERDICT_LABELS_FR[review.original_verdict] if review.original_verdict else "?"
    new = VERDICT_LABELS_FR[review.verdict]
    return f"Modifié en « {new} » (évaluateur : {original}) — {who} : {review.comment}"


def _evidence(card: QueueCard, transcript: Transcript) -> str:
    parts = []
    for ev in card.grade.evidence:
        if ev.turn >= len(transcript.turns):
            continue
        turn = transcript.turns[ev.turn]
        parts.append(
            f'<div class="turn"><strong>Tour {ev.turn + 1} · {SPEAKER_LABELS_FR[turn.speaker]} :</strong> '
            f"{highlighted(turn.text, ev.quote)}</div>"
        )
    return "".join(parts) or "<p><em>Aucune citation du dialogue.</em></p>"


def card_html(queue: ReviewQueue, criterion_id: str | None) -> str:
    """The card of one criterion: verdict, confidence, justification, quotes in their turns, articles, tip."""
    card = queue.card(criterion_id)
    g = card.grade
    position = queue.order().index(card.criterion_id) + 1
    confidence = confidence_text(g)
    doubt = ' class="doubt"' if card.to_confirm else ""
    parts = [
        CARD_CSS,
        f'<div class="crca-card" data-criterion="{escape(card.criterion_id)}">',
        f"<small>Carte {position} / {len(queue.cards)}</small>",
        f"<h3>{escape(card.criterion_id)} — {escape(card.title)}</h3>",
        f"<p>Verdict de l'évaluateur : {badge(g.verdict)} · "
        f"Confiance : <span{doubt}>{escape(confidence)}</span>",
    ]
    if card.verdict != g.verdict:
        parts.append(f" · Verdict retenu : {badge(card.verdict)}")
    parts.append("</p>")
    if card.review is not None:
        parts.append(f'<p class="decision">{escape(decision_text(card.review))}</p>')
    if g.error:
        parts.append(f"<p><strong>Évaluation impossible :</strong> {escape(g.error)}</p>")
    parts.append(f"<p>{escape(g.justification or '(pas de justification)')}</p>")
    parts.append(_evidence(card, queue.session.transcript))
    if g.articles:
        parts.append(f"<p><strong>Articles cités :</strong> {escape(', '.join(g.articles))}</p>")
    if g.to_verify:
        items = "".join(f"<li>{escape(n)}</li>" for n in g.to_verify)
        parts.append(f"<div><strong>À vérifier (non compté) :</strong><ul>{items}</ul></div>")
    if g.tip:
        parts.append(f'<p class="tip"><strong>Conseil :</strong> {escape(g.tip)}</p>')
    return "".join(parts) + "</div>"


def progress_markdown(queue: ReviewQueue) -> str:
    """« 12 / 28 revus » with the changes so far and the session score, trainer verdicts applied."""
    changed = sum(1 for c in queue.cards if c.review is not None and not c.review.confirms)
    score = queue.report.score.label_fr
    done = " — **session entièrement revue**" if queue.reviewed == len(queue.cards) else ""
    return (
        f"**{queue.reviewed} / {len(queue.cards)} revus** · {changed} modifié(s) · "
        f"score : **{score}**{done}  \n<small>Clavier : c confirmer · 1–4 choisir un verdict · "
        "n / p carte suivante / précédente · Échap quitte le commentaire</small>"
    )


def trainer_notes_markdown(report: ReviewedReport) -> str:
    """What the trainee reads after a review: which verdicts a trainer confirmed or changed, and why."""
    if not report.reviews:
        return ""
    # In the report's criterion order (B1.0 … B2.10), not the order the trainer decided them in.
    place = {c.criterion_id: i for i, c in enumerate(report.criteria)}
    reviews = sorted(report.reviews, key=lambda o: place.get(o.criterion_id, len(place)))
    changed = [o for o in reviews if not o.confirms]
    confirmed = [o for o in reviews if o.confirms]
    lines = [
        f"### Revue du formateur\n{len(confirmed)} verdict(s) confirmé(s), {len(changed)} modifié(s) "
        f"sur {len(report.criteria)} critères."
    ]
    for o in changed:
        original = VERDICT_LABELS_FR[o.original_verdict] if o.original_verdict else "?"
        lines.append(
            f"- **{o.criterion_id}** : {original} → **{VERDICT_LABELS_FR[o.verdict]}** "
            f"({o.author}) — {o.comment}"
        )
    noted = [o for o in confirmed if o.comment]
    lines += [f"- **{o.criterion_id}** confirmé ({o.author}) — {o.comment}" for o in noted]
    if confirmed:
        lines.append("\nConfirmés : " + ", ".join(o.criterion_id for o in confirmed) + ".")
    return "\n".join(lines)


SHORT = {Verdict.ACQUIRED: "A", Verdict.PARTIAL: "P", Verdict.NOT_ACQUIRED: "N", Verdict.NOT_OBSERVED: "–",
         Verdict.COULD_NOT_GRADE: "?"}  # fmt: skip


def progress_html(progress: TraineeProgress, rubric: Rubric | None) -> str:
    """Criterion × session table of the verdicts in force, coloured, oldest session on the left."""
    if not progress.sessions:
        return "<p>Aucune session évaluée pour l'instant.</p>"
    head = "".join(
        f'<th title="{escape(s.scenario_id or "import")}">{i}<br><small>{s.at:%d/%m}</small></th>'
        for i, s in enumerate(progress.sessions, start=1)
    )
    rows = []
    for cid in progress.criteria:
        cells = "".join(
            '<td style="text-align:center">·</td>' if v is None else
            f'<td style="background:{COLOURS[v]};color:#fff;text-align:center" '
            f'title="{escape(VERDICT_LABELS_FR[v])}">{SHORT[v]}</td>'
            for v in progress.verdicts[cid]
        )  # fmt: skip
        rows.append(
            f'<tr><th style="text-align:left">{escape(cid)} {escape(title_of(rubric, cid))}</th>{cells}</tr>'
        )
    return (
        '<table class="crca-progress" style="border-collapse:collapse;font-size:.85em">'
        f"<tr><th>Critère \\ séance</th>{head}</tr>{''.join(rows)}</table>"
        "<p style='font-size:.85em'>A acquis · P partiellement · N non acquis · – non observable "
        "(verdicts du formateur quand il a revu la séance).</p>"
    )
