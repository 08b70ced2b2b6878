"""Sub-commands `scenarios` and `chat`."""

from __future__ import annotations

import argparse
from pathlib import Path

from domain.transcript import Channel
from scenarios.models import CustomerPath, Product


def add_commands(sub: argparse._SubParsersAction) -> None:
    scenarios = sub.add_parser("scenarios", help="lister ou valider les scénarios")
    scen_sub = scenarios.add_subparsers(dest="scenarios_command", metavar="ACTION", required=True)
    scen_list = scen_sub.add_parser("list", help="lister les scénarios disponibles")
    scen_list.add_argument("--product", choices=[p.value for p in Product], help="filtrer par produit")
    scen_list.add_argument("--path", choices=[p.value for p in CustomerPath], help="filtrer par parcours")
    scen_list.add_argument("--channel", choices=[c.value for c in Channel], help="filtrer par canal")
    scen_list.add_argument("--difficulty", type=int, choices=[1, 2, 3], help="filtrer par difficulté")
    scen_list.set_defaults(handler=_list_scenarios)
    validate = scen_sub.add_parser("validate", help="valider des fichiers de scénario")
    validate.add_argument("files", nargs="*", help="fichiers YAML (défaut : tous)")
    validate.set_defaults(handler=_validate_scenarios)

    chat = sub.add_parser("chat", help="dialoguer avec le client simulé dans le terminal")
    chat.add_argument("--scenario", required=True, help="identifiant du scénario")
    chat.add_argument("--out", help="fichier JSON où enregistrer la transcription")
    chat.set_defaults(handler=_run_chat)


def _run_chat(args: argparse.Namespace) -> int:
    from bot.chat_cli import run_chat  # owned by the client simulator

    return run_chat(args)


def _list_scenarios(args: argparse.Namespace) -> int:
    """Print the matching scenarios as an aligned French table."""
    from scenarios.library import ScenarioError, load_scenarios

    try:
        scenarios = load_scenarios()
    except ScenarioError as exc:
        print(f"Erreur : {exc}")
        return 1
    rows = [
        (s.id, s.product.value, s.path.value, s.channel.value, str(s.difficulty), s.title)
        for s in scenarios.values()
        if (args.product is None or s.product == args.product)
        and (args.path is None or s.path == args.path)
        and (args.channel is None or s.channel == args.channel)
        and (args.difficulty is None or s.difficulty == args.difficulty)
    ]
    if not rows:
        print("Aucun scénario ne correspond à ces filtres.")
        return 0
    header = ("identifiant", "produit", "parcours", "canal", "diff.", "titre")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1])
    print(f"\n{len(rows)} scénario(s).")
    return 0


def _validate_scenarios(args: argparse.Namespace) -> int:
    """Print OK or one `file: field: reason` line per problem; exit 1 on problems."""
    from scenarios.library import scenario_files, validate_files

    files = args.files or [_relative(p) for p in scenario_files()]
    if not files:
        print("Aucun fichier de scénario à valider.")
        return 1
    from bot.client_content import known_fact_problems

    problems = validate_files(files, checks=[known_fact_problems])
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n{len(problems)} problème(s) dans {len({p.file for p in problems})} fichier(s).")
        return 1
    print(f"OK : {len(files)} scénario(s) valide(s).")
    return 0


def _relative(path: Path) -> str:
    """Short file names in messages when run from the repository."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
