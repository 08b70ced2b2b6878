"""Semantic candidates for fault checks: advisor sentences that read like a fault's examples.

Why: regex cues match textbook forms; an advisor who says « vous aurez rien à sortir de votre
poche » promises as surely as « tout est pris en charge ». The offline sentence encoder the
retrieval ships compares each advisor sentence with example sentences of each fault (data:
`fault_examples.yaml`); a sentence nearer to a fault's examples than its threshold, and nearer to
them than to any correct example, becomes a candidate; so does a sentence the trained fault
classifier (`fault_classifier.py`) reads as that kind. The model still confirms it. A sentence
holding one of the check's `unless` patterns (a hedge, a safety warning) is no candidate, as for
the cues: it reads like the fault because it speaks of the same things.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from crca.text import fold_aligned as fold
from domain.transcript import Transcript
from evaluation.candidates import Candidate, compile_cue, scope_turns
from evaluation.fault_classifier import FaultClassifier, load_classifier
from rubrics.models import Check

EXAMPLES_FILE = Path(__file__).with_name("fault_examples.yaml")
Encoder = Callable[[list[str]], Any]
_SENTENCE = re.compile(r"[^.!?…\n]+[.!?…]*")


class FaultKind(BaseModel):
    model_config = ConfigDict(extra="forbid")

    checks: list[str] = Field(min_length=1, description="Rubric check ids this fault kind feeds.")
    threshold: float = Field(gt=0, lt=1, description="Least cosine similarity to an example.")
    margin: float = Field(
        default=0.0, ge=0, description="How much nearer to a fault than to a correct example."
    )
    examples: list[str] = Field(min_length=3)


class FaultExamples(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kinds: dict[str, FaultKind]
    correct: list[str] = Field(
        min_length=3, description="Correct sentences a candidate must be farther from."
    )

    def kind_of(self, check_id: str) -> str | None:
        return next((name for name, k in self.kinds.items() if check_id in k.checks), None)


@cache
def load_fault_examples(path: Path = EXAMPLES_FILE) -> FaultExamples:
    return FaultExamples.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank sentence of `text`."""
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]


def _default_encoder(texts: list[str]) -> Any:
    from knowledge.embedding import encode  # loads the encoder once per process

    return encode(texts)


class SemanticCandidates:
    """Finds sentences semantically close to a fault kind's examples."""

    def __init__(
        self,
        examples: FaultExamples | None = None,
        encoder: Encoder | None = None,
        classifier: FaultClassifier | None | bool = True,
    ) -> None:
        """`classifier`: the trained one by default (True), a given one, or none (False/None)."""
        self.examples = examples or load_fault_examples()
        self.encode = encoder or _default_encoder
        self.classifier = load_classifier() if classifier is True else (classifier or None)
        self._vectors: dict[str, Any] = {}
        self._sentences: dict[str, Any] = {}

    def _examples(self, name: str) -> Any:
        if name not in self._vectors:
            texts = self.examples.correct if name == "" else self.examples.kinds[name].examples
            self._vectors[name] = self.encode(texts)
        return self._vectors[name]

    def _matrix(self, sentences: list[str]) -> Any:
        import numpy as np

        missing = [s for s in sentences if s not in self._sentences]
        if missing:
            self._sentences.update(zip(missing, self.encode(missing), strict=True))
        return np.stack([self._sentences[s] for s in sentences])

    def closeness(self, sentences: list[str], kind: str) -> list[tuple[float, float]]:
        """(best similarity to the kind's examples, best similarity to a correct example) per sentence."""
        if not sentences:
            return []
        import numpy as np

        matrix = self._matrix(sentences)
        faults = (matrix @ np.asarray(self._examples(kind)).T).max(axis=1)
        correct = (matrix @ np.asarray(self._examples("")).T).max(axis=1)
        return [(float(f), float(c)) for f, c in zip(faults, correct, strict=True)]

    def scored(self, sentences: list[str], kind: str) -> list[tuple[float, bool]]:
        """(best similarity to the kind's examples, whether it reads like `kind`: near its examples,
        or flagged by the classifier) per sentence, from one similarity computation."""
        if not sentences:
            return []
        rule = self.examples.kinds[kind]
        scores = self.closeness(sentences, kind)
        near = [f >= rule.threshold and f >= c + rule.margin for f, c in scores]
        if self.classifier is not None:
            flagged = self.classifier.flags(self._matrix(sentences), kind)
            near = [bool(a or b) for a, b in zip(near, flagged, strict=True)]
        return [(f, hit) for (f, _), hit in zip(scores, near, strict=True)]

    def candidates(self, transcript: Transcript, check: Check, excluded: frozenset[int]) -> list[Candidate]:
        """Turns in the check's scope holding a sentence close to its fault kind (none if no kind)."""
        kind = self.examples.kind_of(check.id)
        if kind is None:
            return []
        turns = scope_turns(transcript, check.scope, excluded)
        every = [
            transcript.turns[i].text[a:b].strip()
            for i in turns
            for a, b in sentence_spans(transcript.turns[i].text)
        ]
        if every:
            self._matrix(every)  # one encoder call for the whole transcript, then cached
        voiding = [compile_cue(c) for c in check.unless]
        found: list[Candidate] = []
        for i in turns:
            text = transcript.turns[i].text
            spans = sentence_spans(text)
            sentences = [text[a:b].strip() for a, b in spans]
            close = [
                (f, span)
                for (f, hit), span, sentence in zip(
                    self.scored(sentences, kind), spans, sentences, strict=True
                )
                if hit and not any(v.search(fold(sentence)) for v in voiding)
            ]
            if close:
                start = max(close)[1][0]  # one character: the quote is that sentence alone
                found.append(Candidate(turn=i, score=1, span=(start, start + 1)))
        return found
