"""Agreement between two assessors' labels of the same transcripts: the ceiling for the grader.

    .venv/bin/python benchmarks/assessor_agreement.py [A.yaml B.yaml]

Defaults to the test set's reference labels against its second assessor's. A grader cannot be
expected to agree with one assessor much more than a second careful assessor does.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluation.agreement import pairs, per_criterion, summarise  # noqa: E402
from evaluation.sets import load_labels, set_dir  # noqa: E402

TESTSET = set_dir("testset")
DEFAULTS = (TESTSET / "labels.yaml", TESTSET / "labels-second-assessor.yaml")


def verdicts(path: Path) -> dict[str, dict[str, str]]:
    labels = load_labels(path)
    return {tid: {cid: label.verdict.value for cid, label in crits.items()} for tid, crits in labels.items()}


def main(argv: list[str]) -> int:
    first, second = (Path(a) for a in argv) if len(argv) == 2 else DEFAULTS
    a, b = verdicts(first), verdicts(second)
    common = sorted(set(a) & set(b))
    if not common:
        print("Aucune transcription commune aux deux fichiers.")
        return 1
    a, b = {t: a[t] for t in common}, {t: b[t] for t in common}
    summary = summarise(a, b)
    print(f"Accord entre évaluateurs — {first.name} / {second.name}, {len(common)} transcriptions")
    print(f"  κ de Cohen {summary.kappa:.3f}, accord exact {summary.exact:.1%}, {summary.items} étiquettes")
    items = pairs(a, b)
    print("  par critère : " + ", ".join(f"{c} {v:.0%}" for c, v in per_criterion(items).items()))
    confusions = Counter((g, p) for _, g, p in items if g != p).most_common(5)
    print("  désaccords les plus fréquents : " + ", ".join(f"{g}→{p} ({n})" for (g, p), n in confusions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
