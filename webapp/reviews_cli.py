"""Sub-command `reviews`: the trainers' reviews out of the app (`crca reviews export`)."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, time
from pathlib import Path


def add_commands(sub: argparse._SubParsersAction) -> None:
    reviews = sub.add_parser("reviews", help="relectures des formateurs (export en jeu étiqueté)")
    actions = reviews.add_subparsers(dest="reviews_command", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export", help="écrire les transcriptions relues et les verdicts des formateurs (jeu étiqueté)"
    )
    export.add_argument("--out", type=Path, required=True, help="dossier à créer (nouveau ou vide)")
    export.add_argument("--cohort", help="seulement les stagiaires de cette cohorte")
    export.add_argument("--scenario", help="seulement ce scénario (identifiant)")
    export.add_argument("--since", type=_day, help="sessions créées depuis ce jour (AAAA-MM-JJ)")
    export.set_defaults(handler=_export)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"date invalide : {text} (format AAAA-MM-JJ)") from exc


def _export(args: argparse.Namespace) -> int:
    from webapp.admin_cli import open_repository
    from webapp.review_export import export_reviews

    since = datetime.combine(args.since, time.min, UTC) if args.since else None
    done = export_reviews(
        open_repository(), args.out, cohort=args.cohort, scenario_id=args.scenario, since=since
    )
    print(
        f"{done.sessions} session(s) relue(s), {done.labels} verdict(s) de formateur ({done.confirmed} "
        f"confirmé(s), {done.changed} modifié(s)) écrits dans {done.folder}"
    )
    if not done.sessions:
        print("Aucune session relue pour ces filtres : le jeu est vide.")
    return 0
