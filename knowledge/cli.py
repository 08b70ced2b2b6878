"""Sub-commands `index` and `search`."""

from __future__ import annotations

import argparse


def add_commands(sub: argparse._SubParsersAction) -> None:
    index = sub.add_parser("index", help="construire l'index des conditions contractuelles")
    index.add_argument("--force", action="store_true", help="reconstruire même si à jour")
    index.set_defaults(handler=_todo)

    search = sub.add_parser("search", help="chercher dans les conditions contractuelles")
    search.add_argument("query", help="la question, en français")
    search.add_argument("--product", help="filtrer par produit (auto, habitation, sante, ...)")
    search.add_argument("-k", type=int, default=5, help="nombre de résultats (défaut 5)")
    search.add_argument("--json", action="store_true", help="sortie JSON")
    search.set_defaults(handler=_todo)


def _todo(args: argparse.Namespace) -> int:
    print("Cette commande n'est pas encore disponible.")
    return 1
