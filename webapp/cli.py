"""`crca` command line: each package registers its own sub-commands.

Sub-command modules import their heavy dependencies (chromadb, gradio, the model)
inside the handler, so `crca --help` and `crca grade` stay fast.
"""

from __future__ import annotations

import argparse
import sys

from crca.environment import apply_offline_defaults


def build_parser() -> argparse.ArgumentParser:
    from bot import cli as bot_cli
    from evaluation import cli as evaluation_cli
    from knowledge import cli as knowledge_cli
    from webapp import admin_cli, db_cli

    parser = argparse.ArgumentParser(
        prog="crca",
        description="Entraînement au CQP Chargé(e) de Relation Clientèle Assurance : "
        "client simulé, base de conditions contractuelles et évaluation sur le référentiel.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", required=True)
    admin_cli.add_commands(sub)
    db_cli.add_commands(sub)
    bot_cli.add_commands(sub)
    knowledge_cli.add_commands(sub)
    evaluation_cli.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    apply_offline_defaults()
    parser = build_parser()
    args = parser.parse_args(argv)
    from crca.llm.errors import LLMError  # imports openai: not before the command needs it
    from webapp.storage.errors import StorageError

    try:
        return int(args.handler(args) or 0)
    except (LLMError, StorageError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrompu.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
