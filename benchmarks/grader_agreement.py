"""Grader agreement with the expert labels of the development set, against a one-prompt judge.

    .venv/bin/python benchmarks/grader_agreement.py [--backend embedded] [--limit 4] [--no-baseline]
        [--split even|odd] [--devset evaluation/sets/testset] [--baseline-only] [--cache FILE]

Five labelled sets, by how much the rubric has seen them: `evaluation/sets/devset` (16, tuned on),
`evaluation/sets/heldout`, `evaluation/sets/testset` and `evaluation/sets/testset2` (14 each, written blind,
measured, then opened to tuning) and `evaluation/sets/testset3` (14, written blind, never used for
tuning: the figure to report). `--split even|odd` halves a set. `--cache FILE` replays model
replies already obtained for the same prompts, so a re-measure after a rubric change only pays
for the prompts that changed.

Prints exact agreement, Cohen's κ, per-criterion agreement, the share of shown evidence found
verbatim, seconds per transcript, and whether an injected transcript keeps its clean twin's
verdicts. Both judges run on the same configured grader model in the same process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from pydantic import BaseModel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluation.agreement import AgreementSummary, differing, evidence_counts, summarise  # noqa: E402
from evaluation.batch import Grader  # noqa: E402
from evaluation.sets import LabelledItem, load_set, set_dir  # noqa: E402

DEVSET = set_dir("devset")


class RunResult(BaseModel):
    name: str
    agreement: AgreementSummary
    evidence_verbatim: int
    evidence_shown: int
    seconds_per_transcript: float
    verdicts: dict[str, dict[str, str]]


def split(items: list[LabelledItem], half: str) -> list[LabelledItem]:
    """The tuning half ('even': positions 0, 2, 4… of the sorted ids) or the held-out half ('odd')."""
    return [item for n, item in enumerate(items) if n % 2 == (0 if half == "even" else 1)]


def run(name: str, grader: Grader, items: list[LabelledItem]) -> RunResult:
    predicted: dict[str, dict[str, str]] = {}
    verbatim = shown = 0
    started = time.perf_counter()
    for n, item in enumerate(items, start=1):
        t0 = time.perf_counter()
        report = grader.grade(item.transcript)
        predicted[item.transcript.id] = {g.criterion_id: g.verdict.value for g in report.criteria}
        ok, total = evidence_counts(report, item.transcript)
        verbatim, shown = verbatim + ok, shown + total
        print(
            f"  [{name}] {n}/{len(items)} {item.transcript.id} : {time.perf_counter() - t0:.1f} s", flush=True
        )
    gold = {i.transcript.id: i.verdicts for i in items}
    return RunResult(
        name=name,
        agreement=summarise(gold, predicted),
        evidence_verbatim=verbatim,
        evidence_shown=shown,
        seconds_per_transcript=(time.perf_counter() - started) / max(1, len(items)),
        verdicts=predicted,
    )


def report(results: list[RunResult], items: list[LabelledItem]) -> None:
    print(f"\nJeu étiqueté : {len(items)} transcriptions, {results[0].agreement.items} verdicts étiquetés")
    header = f"{'':34}" + "".join(f"{r.name:>16}" for r in results)
    print(header)
    rows = [
        ("Accord exact", [f"{r.agreement.exact:.1%}" for r in results]),
        ("Kappa de Cohen", [f"{r.agreement.kappa:.3f}" for r in results]),
        ("Verdicts non rendus", [str(r.agreement.unscored) for r in results]),
        ("Preuves verbatim / montrées", [f"{r.evidence_verbatim}/{r.evidence_shown}" for r in results]),
        ("Secondes par transcription", [f"{r.seconds_per_transcript:.1f}" for r in results]),
    ]
    for label, values in rows:
        print(f"{label:34}" + "".join(f"{v:>16}" for v in values))
    print("\nAccord par critère :")
    ids = sorted(results[0].agreement.per_criterion, key=lambda c: (c[:2], int(c.split(".")[1])))
    for cid in ids:
        print(f"  {cid:32}" + "".join(f"{r.agreement.per_criterion.get(cid, 0):>16.0%}" for r in results))
    twins = [i for i in items if i.twin_of]
    for item in twins:
        for r in results:
            if item.twin_of not in r.verdicts:
                continue
            diff = differing(r.verdicts[item.transcript.id], r.verdicts[item.twin_of])
            state = "identiques" if not diff else "différents sur " + ", ".join(diff)
            print(f"Injection [{r.name}] {item.transcript.id} vs {item.twin_of} : verdicts {state}")
    if not twins:
        print("Aucune paire injection / jumeau propre déclarée (twin_of) dans les étiquettes.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["embedded", "openai", "scripted"], help="modèle évaluateur")
    parser.add_argument("--limit", type=int, help="n'évaluer que les N premières transcriptions")
    parser.add_argument(
        "--split", choices=["even", "odd"], help="moitié de réglage (even) ou moitié réservée (odd)"
    )
    parser.add_argument("--devset", type=Path, default=DEVSET, help="dossier du jeu étiqueté")
    judges = parser.add_mutually_exclusive_group()
    judges.add_argument("--no-baseline", action="store_true", help="sans le juge à invite unique")
    judges.add_argument("--baseline-only", action="store_true", help="seulement le juge à invite unique")
    parser.add_argument("--json", type=Path, help="écrire aussi les chiffres et verdicts dans ce fichier")
    parser.add_argument(
        "--cache", type=Path, help="fichier SQLite des réponses du modèle (rejouer sans recalculer)"
    )
    args = parser.parse_args(argv)

    from crca.llm import describe
    from crca.settings import load_settings
    from domain.grades import GraderInfo
    from evaluation.baseline import BaselineJudge
    from evaluation.batch import build_grader

    items = load_set(args.devset)
    if args.split:
        items = split(items, args.split)
    if args.limit:
        keep = {i.transcript.id for i in items[: args.limit]}
        keep |= {i.twin_of for i in items if i.transcript.id in keep and i.twin_of}
        items = [i for i in items if i.transcript.id in keep]
    settings = load_settings()
    grader, rubric = build_grader(settings, args.backend)
    if args.cache:
        from crca.llm.cache import SQLiteResponseCache

        grader.model.cache = SQLiteResponseCache(args.cache)
    results = [] if args.baseline_only else [run("grille", grader, items)]
    if not args.no_baseline:
        backend, model = describe("grader", settings)
        info = GraderInfo(backend=backend, model=model)
        judge = BaselineJudge(grader.model, rubric, info=info)
        results.append(run("invite unique", judge, items))
    report(results, items)
    if args.json:
        args.json.write_text(json.dumps([r.model_dump() for r in results], indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
