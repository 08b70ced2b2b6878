"""Verdict distribution of the labelled development set (table pasted into README.md).

Usage : ``python -m evaluation.devset.stats [dossier]`` prints the Markdown table of the devset,
or of another labelled folder with the same layout (e.g. ``evaluation/heldout``).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

DEVSET_DIR = Path(__file__).resolve().parent
LABELS_PATH = DEVSET_DIR / "labels.yaml"

CRITERIA: tuple[str, ...] = (
    *(f"B1.{i}" for i in range(17)),
    *(f"B2.{i}" for i in range(11)),
)
VERDICTS: tuple[str, ...] = ("acquired", "partial", "not_acquired", "not_observed")
TABLE_BEGIN = "<!-- distribution:begin -->"
TABLE_END = "<!-- distribution:end -->"


def load_labels(path: Path = LABELS_PATH) -> dict[str, dict[str, dict[str, str]]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def distribution(labels: dict[str, dict[str, dict[str, str]]]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {c: Counter() for c in CRITERIA}
    for per_criterion in labels.values():
        for criterion, label in per_criterion.items():
            counts[criterion][label["verdict"]] += 1
    return counts


def distribution_table(labels: dict[str, dict[str, dict[str, str]]] | None = None) -> str:
    labels = load_labels() if labels is None else labels
    counts = distribution(labels)
    lines = [
        f"Transcriptions : {len(labels)}",
        "",
        "| Critère | acquired | partial | not_acquired | not_observed |",
        "|---|---:|---:|---:|---:|",
    ]
    for criterion in CRITERIA:
        cells = " | ".join(str(counts[criterion][v]) for v in VERDICTS)
        lines.append(f"| {criterion} | {cells} |")
    totals = Counter()
    for c in counts.values():
        totals.update(c)
    lines.append("| **Total** | " + " | ".join(f"**{totals[v]}**" for v in VERDICTS) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEVSET_DIR
    print(distribution_table(load_labels(folder / "labels.yaml")))
