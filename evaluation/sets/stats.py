"""Verdict distribution of a labelled set (the table pasted into its README.md).

Usage : ``python -m evaluation.sets.stats [dossier]`` prints the Markdown table of the devset,
or of another labelled folder with the same layout (e.g. ``evaluation/sets/heldout``).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from domain.grades import Verdict
from evaluation.sets.loader import Labels, load_labels, set_dir
from rubrics.loader import load_rubric

VERDICTS: tuple[Verdict, ...] = (
    Verdict.ACQUIRED,
    Verdict.PARTIAL,
    Verdict.NOT_ACQUIRED,
    Verdict.NOT_OBSERVED,
)
"""The verdicts an assessor gives (could_not_grade is the grader's alone)."""
TABLE_BEGIN = "<!-- distribution:begin -->"
TABLE_END = "<!-- distribution:end -->"


def criteria() -> tuple[str, ...]:
    """The rubric's criterion ids, in its order: the rows of the table."""
    return tuple(c.id for c in load_rubric().criteria)


def distribution(labels: Labels) -> dict[str, Counter[Verdict]]:
    counts: dict[str, Counter[Verdict]] = {c: Counter() for c in criteria()}
    for per_criterion in labels.values():
        for criterion, label in per_criterion.items():
            counts[criterion][label.verdict] += 1
    return counts


def distribution_table(labels: Labels) -> str:
    counts = distribution(labels)
    lines = [
        f"Transcriptions : {len(labels)}",
        "",
        "| Critère | acquired | partial | not_acquired | not_observed |",
        "|---|---:|---:|---:|---:|",
    ]
    for criterion in criteria():
        cells = " | ".join(str(counts[criterion][v]) for v in VERDICTS)
        lines.append(f"| {criterion} | {cells} |")
    totals: Counter[Verdict] = Counter()
    for c in counts.values():
        totals.update(c)
    lines.append("| **Total** | " + " | ".join(f"**{totals[v]}**" for v in VERDICTS) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else set_dir("devset")
    print(distribution_table(load_labels(folder)))
