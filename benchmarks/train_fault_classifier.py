"""Train the fault classifier on the labelled development sentences and choose its thresholds.

    .venv/bin/python benchmarks/train_fault_classifier.py [--sets faults faults-2 faults-3]
        [--false-alarms 0.004] [--dry-run] [--out weights.npz]

Each labelled set was written by a different person: leaving one set out at a time, training on
the others and scoring the held-out one as the grader does (each sentence of the text, the highest
probability) gives held-out probabilities for every sentence. Per fault kind, the threshold is the
lowest one whose held-out false-alarm rate on correct sentences stays under `--false-alarms`
(a sentence the kind's check voids, `unless`, is no false alarm: the grader never asks about it);
only kinds whose check takes semantic candidates (`fault_examples.yaml`) get one.
Prints the held-out detection and false alarms those thresholds give (the honest estimate: the
final weights are trained on every set), then writes `evaluation/fault_classifier.npz`.
Never pass a blind set you intend to measure on.
"""

from __future__ import annotations

import argparse
import re
import sys
from functools import cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluation.fault_classifier import NONE, WEIGHTS_FILE, FaultClassifier, train_softmax  # noqa: E402
from evaluation.grader_sets import SETS_DIR, load_faults  # noqa: E402
from evaluation.semantic import load_fault_examples, sentence_spans  # noqa: E402
from evaluation.sentence_faults import FAULT_CHECKS  # noqa: E402

CLASSES = (NONE, *FAULT_CHECKS)
DEFAULT_SETS = ("faults", "faults-2", "faults-3")


def _encode(texts: list[str]) -> np.ndarray:
    from knowledge.encoder import encode

    return np.asarray(encode(texts), dtype=float)


def _examples() -> tuple[list[str], list[int]]:
    """The hand-written examples of `fault_examples.yaml`, as extra training sentences."""
    examples = load_fault_examples()
    texts = list(examples.correct)
    labels = [0] * len(texts)
    for name, kind in examples.kinds.items():
        if name in CLASSES:
            texts += kind.examples
            labels += [CLASSES.index(name)] * len(kind.examples)
    return texts, labels


@cache
def _voiding() -> dict[str, list[re.Pattern[str]]]:
    """Each fault kind's `unless` patterns (a hedge, a safety warning), as the grader applies them."""
    from evaluation.candidates import compile_cue
    from rubrics.loader import load_rubric

    rubric = load_rubric()
    out = {}
    for kind, check_id in FAULT_CHECKS.items():
        check = next(c for c in rubric.get(check_id.rsplit(".", 1)[0]).checks if c.id == check_id)
        out[kind] = [compile_cue(c) for c in check.unless]
    return out


def _voided(parts: list[str]) -> np.ndarray:
    """Per sentence and class, whether the class's check voids it: the grader never makes such a
    sentence a candidate, so it cannot be a false alarm there."""
    from crca.text import fold_aligned

    out = np.zeros((len(parts), len(CLASSES)), dtype=bool)
    for index, kind in enumerate(CLASSES[1:], start=1):
        out[:, index] = [any(v.search(fold_aligned(p)) for v in _voiding()[kind]) for p in parts]
    return out


def held_out_scores(texts: list[str], vectors: np.ndarray, weights, biases) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Per text, the highest probability of each class over its sentences (as the grader reads),
    a sentence its check voids counting 0 for that class."""
    from evaluation.fault_classifier import softmax

    out = np.zeros((len(texts), len(CLASSES)))
    for i, text in enumerate(texts):
        parts = [text[a:b].strip() for a, b in sentence_spans(text)] or [text]
        probs = (
            softmax(_encode(parts) @ weights + biases)
            if len(parts) > 1
            else softmax(vectors[i : i + 1] @ weights + biases)
        )
        out[i] = np.where(_voided(parts), 0.0, probs).max(axis=0)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(DEFAULT_SETS))
    parser.add_argument("--false-alarms", type=float, default=0.004, help="par faute, sur phrases correctes")
    parser.add_argument("--l2", type=float, default=1e-4)
    parser.add_argument("--dry-run", action="store_true", help="sans écrire les poids")
    parser.add_argument("--out", type=Path, default=WEIGHTS_FILE, help="fichier des poids (essais hors jeu)")
    args = parser.parse_args(argv)

    data = {}
    for name in args.sets:
        items = load_faults(SETS_DIR / name / "sentences.yaml")
        texts = [i.text for i in items]
        data[name] = (texts, _encode(texts), np.array([CLASSES.index(i.fault) for i in items]))
    extra_texts, extra_labels = _examples()
    extra = (_encode(extra_texts), np.array(extra_labels))

    scores, truth = [], []
    for held in args.sets:
        train = [n for n in args.sets if n != held]
        x = np.vstack([extra[0], *(data[n][1] for n in train)])
        y = np.concatenate([extra[1], *(data[n][2] for n in train)])
        weights, biases = train_softmax(x, y, len(CLASSES), l2=args.l2)
        scores.append(held_out_scores(data[held][0], data[held][1], weights, biases))
        truth.append(data[held][2])
    held_scores, held_truth = np.vstack(scores), np.concatenate(truth)
    correct = held_truth == 0

    thresholds: dict[str, float] = {}
    flagged = np.zeros(len(held_truth), dtype=bool)
    print(f"Sentences : {len(held_truth)} ({int((~correct).sum())} fautives), jeux : {', '.join(args.sets)}")
    fed = load_fault_examples().kinds  # the kinds whose checks take semantic candidates
    for index, kind in enumerate(CLASSES[1:], start=1):
        if kind not in fed:
            print(f"  {kind:14} appris comme classe, sans seuil (sa vérification ne prend pas de candidats)")
            continue
        column = held_scores[:, index]
        threshold = float(np.quantile(column[correct], 1 - args.false_alarms))
        threshold = max(threshold, 0.5)
        thresholds[kind] = threshold
        hits = column >= threshold
        flagged |= hits
        own = held_truth == index
        print(
            f"  {kind:14} seuil {threshold:.3f} : détection {hits[own].mean():.0%}, "
            f"fausses alertes {hits[correct].mean():.1%}"
        )
    print(
        f"Hors entraînement (un jeu laissé de côté à la fois) : détection {flagged[~correct].mean():.1%}, "
        f"fausses alertes {flagged[correct].mean():.1%}"
    )
    if args.dry_run:
        return 0
    x = np.vstack([extra[0], *(data[n][1] for n in args.sets)])
    y = np.concatenate([extra[1], *(data[n][2] for n in args.sets)])
    weights, biases = train_softmax(x, y, len(CLASSES), l2=args.l2)
    FaultClassifier(CLASSES, weights, biases, thresholds).save(args.out)
    print(f"Poids écrits : {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
