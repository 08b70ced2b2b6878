"""Retrieval benchmark on the labelled query sets: vector-only, keyword-only and hybrid.

Prints recall@1, recall@5 and MRR@10 per mode for each query set side by side (by default
knowledge/queries.yaml, the tuning set; knowledge/queries-heldout.yaml, the held-out set;
knowledge/queries-everyday-dev.yaml and evaluation/sets/retrieval-everyday/, the everyday-language
development sets; and the blind everyday-language set evaluation/sets/retrieval-everyday-2/
when it is there), the
index build time (fresh store), the hybrid query latency p50/p95 over all queries, the time a
new `crca search` process takes to answer, and the peak resident memory. `--tune` also
grid-searches the fusion constants (RRF k and the keyword weight); figures tuned on the set
they are measured on are optimistic, which is why the
defaults are kept round and the held-out set is printed beside the tuning set.

    .venv/bin/python benchmarks/retrieval.py [--queries FILE ...] [--tune]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crca.settings import Settings
from knowledge import retriever as retriever_module
from knowledge.queries import EVERYDAY_DEV_FILE, HELDOUT_FILE, QUERIES_FILE, LabelledQuery, load_queries
from knowledge.retriever import ConditionRetriever, SearchMode

MODES: tuple[SearchMode, ...] = ("vector", "keyword", "hybrid")
SETS_DIR = Path(__file__).resolve().parents[1] / "evaluation/sets"
# Written blind by someone who wrote neither the vocabulary nor the aliases. The first was measured
# once, then became a development set (the vocabulary was grown on its misses); the second was
# frozen before that work and is the figure to cite.
EVERYDAY_FILE = SETS_DIR / "retrieval-everyday/queries.yaml"
EVERYDAY_BLIND_FILE = SETS_DIR / "retrieval-everyday-2/queries.yaml"
DEFAULT_SETS = [QUERIES_FILE, HELDOUT_FILE, EVERYDAY_DEV_FILE, EVERYDAY_FILE, EVERYDAY_BLIND_FILE]


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
    for i, (name, qs) in enumerate(sets.items(), start=1):
        print(f"  [{i}] {name} ({len(qs)} requêtes)")
    print(f"{'':<9}" + "".join(f"{f'[{i}]':<24}" for i in range(1, len(sets) + 1)))
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


def _set_name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}" if path.parent.name != "knowledge" else path.name


def new_process_seconds(home: Path, runs: int = 3) -> float:
    """Wall time of `crca search` in a new process on an index already built (median)."""
    env = {**os.environ, "CRCA_HOME": str(home)}
    command = [sys.executable, "-m", "webapp.cli", "search", "ma caisse s'est fait piquer", "-k", "3"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--queries",
        type=Path,
        action="append",
        help="labelled query file, repeatable (default: the tuning, held-out and everyday sets)",
    )
    parser.add_argument("--tune", action="store_true", help="grid-search the fusion constants")
    args = parser.parse_args(argv)
    paths = args.queries or [p for p in DEFAULT_SETS if p.is_file()]
    sets = {_set_name(path): load_queries(path) for path in paths}
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
        print(f"crca search, nouveau processus (médiane de 3) : {new_process_seconds(Path(home)):.2f} s")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"Mémoire résidente maximale : {peak:.0f} Mo")
        # The blind set's figures only: its misses are not listed nor tuned on.
        blind = {name for name, p in zip(sets, paths, strict=True) if p.resolve() == EVERYDAY_BLIND_FILE}
        for name, queries in sets.items():
            missed = misses(retriever, queries)
            shown = ["  (jeu aveugle : non listées)"] if name in blind else missed
            print(f"{name} : requêtes hors du top 5 (hybride) : {len(missed)}", *shown, sep="\n")
        if args.tune:
            tune(retriever, {name: queries for name, queries in sets.items() if name not in blind})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
