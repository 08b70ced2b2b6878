"""Sub-command `grade`: batch grading of recorded transcripts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_commands(sub: argparse._SubParsersAction) -> None:
    grade = sub.add_parser(
        "grade",
        help="évaluer des transcriptions sur le référentiel",
        description="Évalue des transcriptions (JSON, texte, messages OpenAI) sur les blocs 1 et 2 du "
        "référentiel et écrit DIR/<id>.json, DIR/<id>.md et DIR/summary.csv. Les transcriptions déjà "
        "évaluées sont ignorées (reprise) sauf avec --force.",
    )
    grade.add_argument("paths", nargs="+", help="fichiers ou dossiers de transcriptions")
    grade.add_argument("--out", required=True, help="dossier des résultats")
    grade.add_argument("--backend", choices=["embedded", "openai", "scripted"], help="modèle évaluateur")
    grade.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="évaluations en parallèle (utile avec un serveur distant ; le modèle embarqué les traite "
        "une à une)",
    )
    grade.add_argument("--force", action="store_true", help="réévaluer les fichiers déjà évalués")
    grade.add_argument(
        "--case",
        metavar="FICHIER",
        help="corrigé du cas (YAML : hidden_facts, solution, articles, criteria, expected_actions) pour "
        "des jeux de rôle enregistrés ; sans lui, une transcription liée à un scénario utilise le sien",
    )
    grade.set_defaults(handler=_grade)


def _grade(args: argparse.Namespace) -> int:
    """Exit code 0 when every file was graded or already graded, 1 when some failed."""
    from crca.settings import load_settings
    from evaluation.batch import build_grader, run_batch
    from evaluation.case_key import CaseKeyError, load_case_file

    if args.jobs < 1:
        print("Erreur : --jobs doit valoir au moins 1.", file=sys.stderr)
        return 2
    try:
        case_file = load_case_file(args.case) if args.case else None
    except CaseKeyError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    settings = load_settings()
    grader, rubric = build_grader(settings, args.backend)
    out_dir = Path(args.out)
    outcome = run_batch(
        args.paths,
        out_dir,
        grader,
        rubric,
        jobs=args.jobs,
        force=args.force,
        case_file=case_file,
        limits=settings.limits,
    )
    print(
        f"{len(outcome.graded)} évaluée(s), {len(outcome.skipped)} déjà évaluée(s) (ignorée(s)), "
        f"{len(outcome.failed)} en échec. Résultats : {out_dir}",
        file=sys.stderr,
    )
    for failure in outcome.failed:
        print(f"  - {failure.reason}", file=sys.stderr)
    return 1 if outcome.failed else 0
