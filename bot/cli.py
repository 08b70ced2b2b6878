"""Sub-commands `scenarios` and `chat`."""

from __future__ import annotations

import argparse


def add_commands(sub: argparse._SubParsersAction) -> None:
    scenarios = sub.add_parser("scenarios", help="lister ou valider les scénarios")
    scen_sub = scenarios.add_subparsers(dest="scenarios_command", metavar="ACTION", required=True)
    scen_list = scen_sub.add_parser("list", help="lister les scénarios disponibles")
    scen_list.set_defaults(handler=_todo)
    validate = scen_sub.add_parser("validate", help="valider des fichiers de scénario")
    validate.add_argument("files", nargs="*", help="fichiers YAML (défaut : tous)")
    validate.set_defaults(handler=_todo)

    chat = sub.add_parser("chat", help="dialoguer avec le client simulé dans le terminal")
    chat.add_argument("--scenario", required=True, help="identifiant du scénario")
    chat.add_argument("--out", help="fichier JSON où enregistrer la transcription")
    chat.set_defaults(handler=_run_chat)


def _run_chat(args: argparse.Namespace) -> int:
    from bot.chat_cli import run_chat  # owned by the client simulator

    return run_chat(args)


def _todo(args: argparse.Namespace) -> int:
    print("Cette commande n'est pas encore disponible.")
    return 1
