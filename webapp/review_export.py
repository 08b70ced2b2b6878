"""`crca reviews export`: the trainer-reviewed transcripts as a labelled set (real labels out).

The folder has the form `evaluation.sets.loader` reads and `benchmarks/grader_agreement.py`
grades: one `<session_id>.json` transcript per reviewed session, `labels.yaml` with the trainers'
final verdicts on the **reviewed criteria only** (an unreviewed verdict is the grader's, not a
label), and a README saying where the labels come from.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml
from pydantic import BaseModel

from domain.grades import Verdict
from domain.review import Review, latest_reviews
from evaluation.reports import id_order
from webapp.reviewed import ReviewedSession, reviewed_sessions
from webapp.storage import Repository, StorageError


class ExportSummary(BaseModel):
    folder: Path
    sessions: int
    labels: int
    confirmed: int
    changed: int


def _rationale(review: Review) -> str:
    """The trainer's comment for a change; « confirmé par <trainer> » for a confirmation."""
    if review.confirms:
        return f"confirmé par {review.author}" + (f" : {review.comment}" if review.comment else "")
    if review.comment:
        return review.comment
    if review.original_verdict == Verdict.COULD_NOT_GRADE:
        return f"noté par {review.author} (l'évaluateur n'avait pas pu noter)"
    return f"modifié par {review.author}"


def _entry(found: ReviewedSession) -> dict[str, object]:
    latest = latest_reviews(found.grade.reviews)
    verdicts = {
        cid: {"verdict": latest[cid].verdict.value, "rationale": _rationale(latest[cid])}
        for cid in sorted(latest, key=id_order)
    }
    return {
        "scenario_id": found.session.scenario_id,
        "cohort": found.session.cohort,
        "rubric_version": found.grade.report.rubric_version,
        "graded_by": f"{found.grade.backend}:{found.grade.model}",
        "verdicts": verdicts,
    }


README = """# Étiquettes des formateurs (export de l'application)

Exporté le {date} par `crca reviews export`{filters}.

- {sessions} session(s) relue(s) : une transcription `<session>.json` chacune (son identifiant est
  celui de la session) ;
- `labels.yaml` : {labels} verdict(s) de formateur ({confirmed} confirmation(s) du verdict de
  l'évaluateur, {changed} modification(s)), **seulement sur les critères relus** ; la justification
  est le commentaire du formateur, ou « confirmé par <formateur> » ;
- chaque entrée dit aussi le scénario, la cohorte, la version du référentiel et l'évaluateur qui
  avait noté la session.

Ces étiquettes ont été posées en relisant la note de l'évaluateur automatique : elles ne sont pas
à l'aveugle. Mesurer l'évaluateur dessus :

    .venv/bin/python benchmarks/grader_agreement.py --set {folder} --no-baseline
"""


def export_reviews(
    repo: Repository, out: Path, *, cohort: str | None = None, scenario_id: str | None = None,
    since: datetime | None = None,
) -> ExportSummary:  # fmt: skip
    """Write the folder (refused when it exists and is not empty: no stale transcript mixes in)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise StorageError(f"Le dossier {out} existe et n'est pas vide : choisissez un nouveau dossier.")
    found = reviewed_sessions(repo, cohort=cohort, scenario_id=scenario_id, since=since)
    out.mkdir(parents=True, exist_ok=True)
    labels: dict[str, object] = {}
    for item in found:
        transcript = item.session.transcript.model_copy(update={"id": item.session.id})
        (out / f"{item.session.id}.json").write_text(
            transcript.model_dump_json(indent=2) + "\n", encoding="utf-8"
        )
        labels[item.session.id] = _entry(item)
    header = "# Verdicts des formateurs sur les critères relus (crca reviews export).\n"
    body = yaml.safe_dump(labels, allow_unicode=True, sort_keys=False, width=110)
    (out / "labels.yaml").write_text(header + body, encoding="utf-8")
    decided = [r for item in found for r in latest_reviews(item.grade.reviews).values()]
    summary = ExportSummary(folder=out, sessions=len(found), labels=len(decided),
                            confirmed=sum(r.confirms for r in decided),
                            changed=sum(not r.confirms for r in decided))  # fmt: skip
    shown = [f"{k} {v}" for k, v in (("--cohort", cohort), ("--scenario", scenario_id)) if v]
    shown += [f"--since {since:%Y-%m-%d}"] if since else []
    (out / "README.md").write_text(
        README.format(date=f"{datetime.now(UTC):%d/%m/%Y}", filters=f" ({' '.join(shown)})" if shown else "",
                      folder=out, **summary.model_dump(exclude={"folder"})),
        encoding="utf-8",
    )  # fmt: skip
    return summary
