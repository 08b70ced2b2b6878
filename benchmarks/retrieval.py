"""Retrieval benchmark on the labelled query sets: vector-only, keyword-only and hybrid.

Prints recall@1, recall@5 and MRR@10 per mode for each query set side by side (by default
knowledge/queries.yaml, the tuning set, and knowledge/queries-heldout.yaml, the held-out set),
the index build time (fresh store), the hybrid query latency p50/p95 over all queries and the
peak resident memory. `--tune` also grid-searches the fusion constants (RRF k and the keyword
weight); figures tuned on the set they are measured on are optimistic, which is why the
defaults are kept round and the held-out set is printed beside the tuning set.

    .venv/bin/python benchmarks/retrieval.py [--queries FILE ...] [--tune]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from crca.settings import Settings
from knowledge import retriever as retriever_module
from knowledge.queries import HELDOUT_FILE, QUERIES_FILE, LabelledQuery, load_queries
from knowledge.retriever import ConditionRetriever, SearchMode

MODES: tuple[SearchMode, ...] = ("vector", "keyword", "hybrid")


def rank_of_first(retriever: ConditionRetriever, query: LabelledQuery, mode: SearchMode) -> int | None:
    """1-based rank of the first expected article in the top 10, None if absent."""
    hits = retriever.search(query.query, k=10, mode=mode)
    for rank, hit in enumerate(hits, start=1):
        if hit.article_id in query.expected:
            return rank
    return None


def scores(retriever: ConditionRetriever, queries: list[LabelledQuery], mode: SearchMode) -> dict[str, float]:
    ranks = [rank_of_first(retriever, q, mode) for q in queries]
    n = len(ranks)
    return {
        "recall@1": sum(r == 1 for r in ranks) / n,
        "recall@5": sum(r is not None and r <= 5 for r in ranks) / n,
        "mrr@10": sum(1 / r for r in ranks if r) / n,
    }


def misses(retriever: ConditionRetriever, queries: list[LabelledQuery]) -> list[str]:
    out = []
    for q in queries:
        rank = rank_of_first(retriever, q, "hybrid")
        if rank is None or rank > 5:
            top = [h.article_id for h in retriever.search(q.query, k=3)]
            out.append(f"  {q.query!r}: attendu {q.expected}, obtenu {top}")
    return out


QuerySets = dict[str, list[LabelledQuery]]


def figures(s: dict[str, float]) -> str:
    return f"{s['recall@1']:>6.3f} {s['recall@5']:>6.3f} {s['mrr@10']:>7.3f}"


def print_table(retriever: ConditionRetriever, sets: QuerySets) -> None:
    """One row per mode, one column group (r@1, r@5, MRR@10) per query set."""
    print(f"{'':<9}" + "".join(f"{f'{name} ({len(qs)})':<24}" for name, qs in sets.items()))
    print(f"{'mode':<9}" + f"{'r@1':>6} {'r@5':>6} {'MRR@10':>7}   " * len(sets))
    for mode in MODES:
        print(f"{mode:<9}" + "".join(f"{figures(scores(retriever, qs, mode))}   " for qs in sets.values()))


def tune(retriever: ConditionRetriever, sets: QuerySets) -> None:
    print(f"\nRéglage de la fusion (k RRF × poids mots-clés) : r@1 r@5 MRR par jeu ({', '.join(sets)})")
    saved = retriever_module.RRF_K, retriever_module.KEYWORD_WEIGHT
    for k in (5, 10, 20, 40, 60):
        for weight in (0.5, 0.75, 1.0, 1.5):
            retriever_module.RRF_K, retriever_module.KEYWORD_WEIGHT = k, weight
            row = "   ".join(figures(scores(retriever, qs, "hybrid")) for qs in sets.values())
            print(f"  k={k:<3} poids={weight:<5} {row}")
    retriever_module.RRF_K, retriever_module.KEYWORD_WEIGHT = saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--queries",
        type=Path,
        action="append",
        help="labelled query file, repeatable (default: queries.yaml and queries-heldout.yaml)",
    )
    parser.add_argument("--tune", action="store_true", help="grid-search the fusion constants")
    args = parser.parse_args(argv)
    sets = {path.name: load_queries(path) for path in args.queries or [QUERIES_FILE, HELDOUT_FILE]}
    with tempfile.TemporaryDirectory() as home:
        from knowledge.embedding import encode

        started = time.perf_counter()
        encode(["chargement"])
        load_seconds = time.perf_counter() - started
        retriever = ConditionRetriever.open(Settings(home=Path(home)))
        build = retriever.report
        counts = ", ".join(f"{name} {len(qs)}" for name, qs in sets.items())
        print(f"Corpus : {build.count} articles ; requêtes : {counts}")
        print(
            f"Chargement du modèle : {load_seconds:.2f} s ; construction de l'index : {build.seconds:.2f} s"
        )
        # Timed first, on queries the encoder has not seen yet (its tokenizer memoises).
        latencies = []
        for q in (q for qs in sets.values() for q in qs):
            started = time.perf_counter()
            retriever.search(q.query, k=5)
            latencies.append((time.perf_counter() - started) * 1000)
        p95 = statistics.quantiles(latencies, n=20)[-1]
        print(f"Latence hybride (k=5) : p50 {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms")
        print_table(retriever, sets)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"Mémoire résidente maximale : {peak:.0f} Mo")
        for name, queries in sets.items():
            missed = misses(retriever, queries)
            print(f"{name} : requêtes hors du top 5 (hybride) : {len(missed)}", *missed, sep="\n")
        if args.tune:
            tune(retriever, sets)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
