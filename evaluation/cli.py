"""Sub-command `grade`: batch grading of recorded transcripts."""

from __future__ import annotations

import argparse


def add_commands(sub: argparse._SubParsersAction) -> None:
    grade = sub.add_parser("grade", help="évaluer des transcriptions sur le référentiel")
    grade.add_argument("paths", nargs="+", help="fichiers ou dossiers de transcriptions")
    grade.add_argument("--out", required=True, help="dossier des résultats")
    grade.add_argument("--backend", choices=["embedded", "openai", "scripted"], help="modèle évaluateur")
    grade.add_argument("--jobs", type=int, default=1, help="évaluations en parallèle")
    grade.add_argument("--force", action="store_true", help="réévaluer les fichiers déjà évalués")
    grade.set_defaults(handler=_todo)


def _todo(args: argparse.Namespace) -> int:
    print("Cette commande n'est pas encore disponible.")
    return 1
