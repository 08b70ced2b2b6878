"""Trainer reviews end to end on a labelled set: its labels played as a trainer's decisions.

    .venv/bin/python benchmarks/review_roundtrip.py [--set testset3] [--backend embedded] [--limit N]

Each transcript is graded, stored as a session in a throwaway database, then the set's labels are
recorded as a trainer's reviews (a confirmation where the grader agreed, a change with the label's
rationale otherwise). Prints what the app would show: the agreement dashboard (the same figures as
`grader_agreement.py` on the same verdicts, or the two code paths disagree), the scores before and
after review under the session-score rule (« non évalué » counted) and the former one, then
exports the reviews with `crca reviews export` and checks they read back as the set's labels.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from domain.grades import Verdict  # noqa: E402
from evaluation.agreement import summarise  # noqa: E402
from evaluation.sets import load_labels, load_set, set_dir  # noqa: E402

FORMER_CREDIT = {Verdict.ACQUIRED: 1.0, Verdict.PARTIAL: 0.5, Verdict.NOT_ACQUIRED: 0.0}


def former_score(verdicts: list[Verdict]) -> float | None:
    """The rule before #13: grader errors left out of the denominator."""
    kept = [FORMER_CREDIT[v] for v in verdicts if v in FORMER_CREDIT]
    return round(sum(kept) / len(kept), 4) if kept else None


def _mean(values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    return f"{mean(known):.1%}" if known else "–"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set", type=set_dir, default=set_dir("testset3"), help="jeu étiqueté (nom ou dossier)"
    )
    parser.add_argument("--backend", choices=["embedded", "openai", "scripted"], help="modèle évaluateur")
    parser.add_argument("--limit", type=int, help="n'évaluer que les N premières transcriptions")
    args = parser.parse_args(argv)

    from crca.settings import load_settings
    from domain.score import score_verdicts
    from evaluation.batch import build_grader
    from evaluation.review_agreement import agreement_dashboard
    from webapp.review_export import export_reviews
    from webapp.reviewed import reviewed_sessions
    from webapp.storage import Repository

    items = load_set(args.set)[: args.limit]
    labels = load_labels(args.set)
    grader, _rubric = build_grader(load_settings(), args.backend)
    work = Path(tempfile.mkdtemp(prefix="crca-review-roundtrip-"))
    repo = Repository.open(f"sqlite:///{work / 'db.sqlite3'}")
    trainee = repo.create_user("stagiaire", "motdepasse-roundtrip", "trainee", cohort=args.set.name)
    before: list[list[Verdict]] = []
    predicted: dict[str, dict[str, str]] = {}
    for n, item in enumerate(items, start=1):
        report = grader.grade(item.transcript)
        session = repo.create_session(trainee.id, item.transcript, source="import")
        grade = repo.save_grade(session.id, report)
        before.append([g.verdict for g in report.criteria])
        predicted[session.id] = {g.criterion_id: g.verdict.value for g in report.criteria}
        for cid, label in labels[item.transcript.id].items():
            repo.add_review(grade.id, cid, label.verdict, label.rationale or "étiquette du jeu", "formateur")
        print(f"  {n}/{len(items)} {item.transcript.id}", flush=True)

    found = reviewed_sessions(repo)
    board = agreement_dashboard([f.reviewed_grade() for f in found])
    gold = {f.session.id: {c: lab.verdict.value for c, lab in labels[f.grade.report.transcript_id].items()}
            for f in found}  # fmt: skip
    bench = summarise(gold, predicted)
    print(f"\nJeu {args.set.name} : {len(items)} transcriptions, {board.items} verdicts relus")
    print(f"Tableau d'accord : accord exact {board.exact:.1%}, κ {board.kappa:.3f}")
    print(f"grader_agreement : accord exact {bench.exact:.1%}, κ {bench.kappa:.3f} (mêmes verdicts)")
    print(
        "Critères les plus corrigés : "
        + ", ".join(f"{c.criterion_id} ({c.corrections})" for c in board.most_corrected)
    )

    after = [list(f.grade.effective_verdicts().values()) for f in found]
    errors = sum(v == Verdict.COULD_NOT_GRADE for verdicts in before for v in verdicts)
    moved = sum(score_verdicts(v).value != former_score(v) for v in before)
    print(f"Score moyen de l'évaluateur : {_mean([score_verdicts(v).value for v in before])} "
          f"(règle antérieure : {_mean([former_score(v) for v in before])}) ; {errors} critère(s) non "
          f"évalué(s), {moved} session(s) dont le score change avec la règle")  # fmt: skip
    print(f"Score moyen après relecture : {_mean([score_verdicts(v).value for v in after])}")

    exported = export_reviews(repo, work / "export")
    back = {i.transcript.id: i.verdicts for i in load_set(exported.folder)}
    same = back == gold
    print(f"Export : {exported.sessions} sessions, {exported.labels} étiquettes ({exported.confirmed} "
          f"confirmées, {exported.changed} modifiées) ; relues à l'identique : "
          f"{'oui' if same else 'NON'}")  # fmt: skip
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
