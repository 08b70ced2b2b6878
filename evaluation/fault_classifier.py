"""A linear classifier over the sentence encoder's vectors: which fault, if any, a sentence reads like.

Why: the regex cues and the nearest-example rule found 97 % of the fault sentences they were tuned
on and 55 % of a blind set: they learn wordings. A softmax over the encoder's dimensions, trained
on every labelled development sentence (several writers, ~1,300 sentences), learns what the
wordings share. Its candidates are added to the cues' and go to the same one-word confirmation,
so it only widens what the model is asked about.

Weights and per-kind thresholds are data (`fault_classifier.npz`), written by
`benchmarks/train_fault_classifier.py` from the labelled sets; the thresholds are chosen there on
sentences held out of training (leave one set out), for a target false-alarm rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

WEIGHTS_FILE = Path(__file__).with_name("fault_classifier.npz")
NONE = "none"


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def train_softmax(
    vectors: np.ndarray,
    labels: np.ndarray,
    classes: int,
    *,
    l2: float = 1e-4,
    epochs: int = 3000,
    rate: float = 4.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Weights and biases of a class-balanced, L2-regularised softmax regression (full-batch gradient
    descent: the data is small and the result deterministic)."""
    count, dims = vectors.shape
    weights, biases = np.zeros((dims, classes)), np.zeros(classes)
    onehot = np.eye(classes)[labels]
    frequency = np.bincount(labels, minlength=classes).astype(float)
    balance = (count / (classes * np.maximum(frequency, 1.0)))[labels][:, None]
    for _ in range(epochs):
        gradient = (softmax(vectors @ weights + biases) - onehot) * balance
        weights -= rate * (vectors.T @ gradient / count + l2 * weights)
        biases -= rate * gradient.mean(axis=0)
    return weights, biases


@dataclass(frozen=True)
class FaultClassifier:
    """Class probabilities of sentence vectors; `classes[0]` is `none`."""

    classes: tuple[str, ...]
    weights: np.ndarray
    biases: np.ndarray
    thresholds: dict[str, float]

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        return softmax(np.asarray(vectors, dtype=float) @ self.weights + self.biases)

    def probability(self, vectors: np.ndarray, kind: str) -> np.ndarray:
        """Probability of `kind` for each vector (0 for a kind it was not trained on)."""
        if kind not in self.classes:
            return np.zeros(len(vectors))
        return self.probabilities(vectors)[:, self.classes.index(kind)]

    def flags(self, vectors: np.ndarray, kind: str) -> np.ndarray:
        """Which vectors read like `kind` beyond its threshold."""
        threshold = self.thresholds.get(kind)
        if threshold is None:
            return np.zeros(len(vectors), dtype=bool)
        return self.probability(vectors, kind) >= threshold

    def save(self, path: Path = WEIGHTS_FILE) -> None:
        kinds = [k for k in self.classes if k in self.thresholds]
        np.savez_compressed(
            path, classes=np.array(self.classes), weights=self.weights.astype(np.float32),
            biases=self.biases.astype(np.float32), threshold_kinds=np.array(kinds),
            threshold_values=np.array([self.thresholds[k] for k in kinds], dtype=float),
        )  # fmt: skip


@cache
def load_classifier(path: Path = WEIGHTS_FILE) -> FaultClassifier | None:
    """The trained classifier, or None when no weights were written (the cues then work alone)."""
    if not path.is_file():
        return None
    with np.load(path) as data:
        kinds = [str(k) for k in data["threshold_kinds"]]
        return FaultClassifier(
            classes=tuple(str(c) for c in data["classes"]),
            weights=data["weights"].astype(float),
            biases=data["biases"].astype(float),
            thresholds=dict(zip(kinds, (float(v) for v in data["threshold_values"]), strict=True)),
        )
