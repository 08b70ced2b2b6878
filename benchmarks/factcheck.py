"""Fact-check precision: « contradicts » on the blind statement set, precision first.

    .venv/bin/python benchmarks/factcheck.py [--file evaluation/sets/factcheck-statements/statements.yaml]

Each advisor statement (≥ 200, labelled true / contradicts / unverifiable by people who never
read the checker) is checked as the grader checks it: the scenario's insurer applies when a
scenario is given or the context names the corpus insurer; otherwise, when the context names
another insurer, only general rules are checked. Prints precision and recall of « contradicts »
(target: precision ≥ 95 %), how many were only « à vérifier », and the confusion table.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluation.grader_sets import STATEMENTS_FILE, LabelledSetError, load_statements  # noqa: E402


def insurer_applies(item) -> bool:  # type: ignore[no-untyped-def]
    """The corpus insurer's terms apply: a scenario was played, or no other insurer is in view."""
    from knowledge.fact_scope import about_other_insurer, names_corpus_insurer

    if item.scenario or names_corpus_insurer(item.context):
        return True
    return not about_other_insurer(item.context)


def product_of(item) -> str | None:  # type: ignore[no-untyped-def]
    if not item.scenario:
        return None
    from scenarios.library import load_scenario

    try:
        return load_scenario(item.scenario).product.value
    except LookupError:
        return None


def formulas_of(item) -> frozenset[str]:  # type: ignore[no-untyped-def]
    """The client's formula for the scenario's product, as the grader reads it from the file."""
    from knowledge.fact_scope import case_formulas
    from scenarios.library import load_scenario

    if not item.scenario:
        return frozenset()
    try:
        scenario = load_scenario(item.scenario)
    except LookupError:
        return frozenset()
    return case_formulas("; ".join(scenario.client_file.contracts), scenario.product.value)


def measure(items, checker) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Confusion counts (label, status) and the precision/recall of « contradicts »."""
    confusion: Counter[tuple[str, str]] = Counter()
    for item in items:
        result = checker.check(
            item.statement, product=product_of(item), insurer_applies=insurer_applies(item),
            previous_client=item.previous_client, formulas=formulas_of(item),
        )  # fmt: skip
        label = "true" if item.label is True else str(item.label)
        confusion[(label, result.status)] += 1
    said = sum(n for (_, s), n in confusion.items() if s == "contradicts")
    right = confusion[("contradicts", "contradicts")]
    actual = sum(n for (label, _), n in confusion.items() if label == "contradicts")
    return {
        "confusion": confusion,
        "precision": right / said if said else None,
        "recall": right / actual if actual else None,
        "to_verify": sum(n for (_, s), n in confusion.items() if s == "to_verify"),
        "said": said,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=STATEMENTS_FILE)
    args = parser.parse_args(argv)
    try:
        items = load_statements(args.file)
    except LabelledSetError as exc:
        print(f"Jeu d'affirmations indisponible : {exc}", file=sys.stderr)
        return 2
    from crca.settings import load_settings
    from knowledge.factcheck import FactChecker
    from knowledge.retriever import ConditionRetriever

    checker = FactChecker(ConditionRetriever.open(load_settings()))
    figures = measure(items, checker)
    precision, recall = figures["precision"], figures["recall"]
    print(f"Affirmations : {len(items)} ({args.file})")
    print(f"« Contredit » prononcé : {figures['said']} fois")
    print(
        "Précision de « contredit » : "
        + ("-" if precision is None else f"{precision:.1%}")
        + " (objectif ≥ 95 %)"
    )
    print("Rappel de « contredit »    : " + ("-" if recall is None else f"{recall:.1%}"))
    print(f"Montrés « à vérifier » (non comptés) : {figures['to_verify']}")
    print("Étiquette → statut :")
    for (label, status), n in sorted(figures["confusion"].items()):  # type: ignore[union-attr]
        print(f"  {label:13} → {status:12} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
