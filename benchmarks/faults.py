"""Faults in everyday words: detection and false-alarm rates on the blind sentence set.

    .venv/bin/python benchmarks/faults.py [--file evaluation/sets/faults/sentences.yaml]
        [--backend embedded|scripted] [--no-semantic] [--classifier weights.npz]

Reads the labelled file (≥ 60 paraphrased fault sentences, ≥ 300 correct advisor sentences,
written by people who never read the grader's cues) and runs each sentence through the grader's
own fault checks. Prints: detection (a fault sentence flagged as some fault, and as its own
kind), false alarms (a correct sentence flagged), per kind, seconds per sentence.
Targets: detection ≥ 90 %, false alarms ≤ 3 %.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluation.grader_sets import FAULTS_FILE, LabelledSetError, load_faults  # noqa: E402


def measure(items, finder) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Rates over the items; `finder.faults(text, previous_client)` gives the kinds found."""
    faults = [i for i in items if i.fault != "none"]
    correct = [i for i in items if i.fault == "none"]
    any_hit = own_hit = alarms = 0
    per_kind: Counter[str] = Counter()
    per_kind_hit: Counter[str] = Counter()
    per_kind_alarm: Counter[str] = Counter()
    for item in items:
        found = finder.faults(item.text, item.previous_client)
        if item.fault == "none":
            alarms += bool(found)
            per_kind_alarm.update(set(found))
            continue
        per_kind[item.fault] += 1
        any_hit += bool(found)
        own_hit += item.fault in found
        per_kind_hit[item.fault] += item.fault in found
    out = {
        "faults": len(faults), "correct": len(correct),
        "detection": any_hit / max(1, len(faults)), "detection_own_kind": own_hit / max(1, len(faults)),
        "false_alarms": alarms / max(1, len(correct)),
    }  # fmt: skip
    out.update({f"kind:{k}": per_kind_hit[k] / n for k, n in per_kind.items()})
    out.update({f"alarm:{k}": per_kind_alarm[k] / max(1, len(correct)) for k in per_kind})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=FAULTS_FILE)
    parser.add_argument("--backend", choices=["embedded", "openai", "scripted"], help="modèle évaluateur")
    parser.add_argument(
        "--no-semantic", action="store_true", help="indices seuls, sans candidats sémantiques"
    )
    parser.add_argument(
        "--classifier", type=Path, help="poids du classifieur (ex. entraîné sans le jeu mesuré)"
    )
    args = parser.parse_args(argv)
    try:
        items = load_faults(args.file)
    except LabelledSetError as exc:
        print(f"Jeu de phrases fautives indisponible : {exc}", file=sys.stderr)
        return 2
    if args.classifier and not args.classifier.is_file():
        print(f"Poids du classifieur introuvables : {args.classifier}", file=sys.stderr)
        return 2
    from crca.llm import chat_model
    from crca.settings import load_settings
    from evaluation.fault_classifier import load_classifier
    from evaluation.semantic import SemanticCandidates
    from evaluation.sentence_faults import SentenceFaults

    settings = load_settings()
    if args.backend:
        settings.grader.backend = args.backend
    classifier = load_classifier(args.classifier) if args.classifier else True
    semantic = None if args.no_semantic else SemanticCandidates(classifier=classifier)
    finder = SentenceFaults(chat_model("grader", settings), semantic=semantic)
    started = time.perf_counter()
    figures = measure(items, finder)
    seconds = (time.perf_counter() - started) / len(items)
    print(f"Phrases : {figures['faults']} fautives, {figures['correct']} correctes ({args.file})")
    print(f"Détection (une faute relevée)        : {figures['detection']:.1%}  (objectif ≥ 90 %)")
    print(f"Détection (la bonne faute)           : {figures['detection_own_kind']:.1%}")
    print(f"Fausses alertes sur phrases correctes : {figures['false_alarms']:.1%}  (objectif ≤ 3 %)")
    print("Par faute : détection / fausses alertes (part des phrases correctes où elle est relevée)")
    for key in sorted(k for k in figures if k.startswith("kind:")):
        kind = key[5:]
        print(f"  {kind:16} {figures[key]:.0%} / {figures.get('alarm:' + kind, 0.0):.1%}")
    print(f"Secondes par phrase : {seconds:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
