"""The advisor-intent classifier against its development examples (a regression floor, not a figure)."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.intents import INTENTS, IntentClassifier, load_examples

EXAMPLES = load_examples()
CLASSIFIER = IntentClassifier(examples=EXAMPLES)


def test_examples_cover_every_intent() -> None:
    counts = Counter(e.intent for e in EXAMPLES)
    assert set(counts) == set(INTENTS) and min(counts.values()) >= 5


def test_accuracy_floor_overall_and_per_intent() -> None:
    right, seen = Counter(), Counter()
    for e in EXAMPLES:
        seen[e.intent] += 1
        right[e.intent] += CLASSIFIER.classify(e.advisor).intent == e.intent
    assert sum(right.values()) / len(EXAMPLES) >= 0.95
    for intent in seen:
        assert right[intent] / seen[intent] >= 0.6, intent


def test_identification_names_what_is_asked() -> None:
    asks = [(set(e.asks), set(CLASSIFIER.classify(e.advisor).asks)) for e in EXAMPLES if e.asks]
    assert sum(want <= got for want, got in asks) / len(asks) >= 0.9


@pytest.mark.parametrize(
    ("turn", "intent"),
    [
        ("pouvez-vous me donner votre nom et votre numéro de contrat ?", "identification"),
        ("que s'est-il passé ?", "situation_question"),
        ("Je vous propose un échéancier. Ça vous va ?", "proposal"),
        ("Je vérifie : vous avez bien la formule Confort ?", "reformulation"),
        ("Avez-vous d'autres questions ? Sinon, bonne journée.", "anything_else"),
    ],
)
def test_the_turn_answers_its_question_not_its_preamble(turn: str, intent: str) -> None:
    assert CLASSIFIER.classify(turn).intent == intent
