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
    from webapp import admin_cli, db_cli, reviews_cli

    parser = argparse.ArgumentParser(
        prog="crca",
        description="Entraînement au CQP Chargé(e) de Relation Clientèle Assurance : "
        "client simulé, base de conditions contractuelles et évaluation sur le référentiel.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", required=True)
    admin_cli.add_commands(sub)
    db_cli.add_commands(sub)
    reviews_cli.add_commands(sub)
    bot_cli.add_commands(sub)
    knowledge_cli.add_commands(sub)
    evaluation_cli.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    apply_offline_defaults()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except Exception as exc:
        if not _reported_in_french(exc):
            raise
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrompu.", file=sys.stderr)
        return 130


def _reported_in_french(exc: Exception) -> bool:
    """A model or storage failure, whose message is meant for the user.

    Looked up among the modules already imported: only a command that used the models
    (openai, ~1 s to import) or the database can raise them, and the others start faster.
    """
    kinds = [getattr(sys.modules.get(m), n, None) for m, n in _FRENCH_ERRORS]
    return any(isinstance(exc, kind) for kind in kinds if isinstance(kind, type))


_FRENCH_ERRORS = [("crca.llm.errors", "LLMError"), ("webapp.storage.errors", "StorageError")]


if __name__ == "__main__":
    sys.exit(main())
