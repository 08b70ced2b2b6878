"""Sub-commands `index` and `search`."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap

EXCERPT_CHARS = 220


def add_commands(sub: argparse._SubParsersAction) -> None:
    index = sub.add_parser("index", help="construire l'index des conditions contractuelles")
    index.add_argument("--force", action="store_true", help="reconstruire même si à jour")
    index.set_defaults(handler=run_index)

    search = sub.add_parser("search", help="chercher dans les conditions contractuelles")
    search.add_argument("query", help="la question, en français")
    search.add_argument("--product", help="filtrer par produit (auto, habitation, sante, ...)")
    search.add_argument("-k", type=int, default=5, help="nombre de résultats (défaut 5)")
    search.add_argument("--json", action="store_true", help="sortie JSON")
    search.set_defaults(handler=run_search)


def run_index(args: argparse.Namespace) -> int:
    from knowledge.retriever import ConditionRetriever

    report = ConditionRetriever.open(force=args.force).report
    done = {
        "built": "Index construit",
        "rebuilt": "Index reconstruit",
        "unchanged": "Index déjà à jour (rien à faire)",
    }[report.action]
    print(f"{done} : {report.count} articles, empreinte {report.fingerprint}, {report.seconds:.1f} s.")
    print(f"Emplacement : {report.path}")
    return 0


def run_search(args: argparse.Namespace) -> int:
    from knowledge.retriever import PRODUCTS, ConditionRetriever

    if args.product is not None and args.product not in PRODUCTS:
        print(
            f"Erreur : produit inconnu « {args.product} ». Produits possibles : {', '.join(PRODUCTS)}.",
            file=sys.stderr,
        )
        return 2
    if args.k <= 0:
        print("Erreur : -k doit être un entier positif.", file=sys.stderr)
        return 2
    hits = ConditionRetriever.open().search(args.query, product=args.product, k=args.k)
    if args.json:
        print(json.dumps([h.model_dump() for h in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("Aucun article trouvé.")
        return 0
    for rank, hit in enumerate(hits, start=1):
        print(f"{rank}. [{hit.article_id}] {hit.title} ({hit.product}, {hit.document}) score {hit.score:.4f}")
        answer = hit.passage or textwrap.shorten(hit.text, EXCERPT_CHARS, placeholder=" […]")
        print(textwrap.fill(answer, 100, initial_indent="   » ", subsequent_indent="     "))
    return 0
