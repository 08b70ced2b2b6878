"""The trained fault classifier: training learns, the shipped weights load and read faults, the
semantic candidates use it."""

from __future__ import annotations

import numpy as np

from domain.transcript import Speaker, Transcript, Turn
from evaluation.fault_classifier import FaultClassifier, load_classifier, train_softmax
from evaluation.semantic import SemanticCandidates
from rubrics.loader import load_rubric


def test_training_separates_classes_it_has_never_seen_points_of():
    rng = np.random.default_rng(0)
    centres = np.eye(3, 8) * 3
    labels = np.repeat(np.arange(3), 40)
    vectors = centres[labels] + rng.normal(scale=0.5, size=(120, 8))
    weights, biases = train_softmax(vectors, labels, 3, epochs=500, rate=0.5)
    fresh = centres[[0, 1, 2]] + rng.normal(scale=0.5, size=(3, 8))
    model = FaultClassifier(("none", "a", "b"), weights, biases, {"a": 0.5, "b": 0.5})
    assert list(model.probabilities(fresh).argmax(axis=1)) == [0, 1, 2]
    assert list(model.flags(fresh, "a")) == [False, True, False]


def test_saved_weights_read_back_identically(tmp_path):
    weights, biases = np.arange(12, dtype=float).reshape(4, 3) / 10, np.array([0.1, -0.2, 0.3])
    original = FaultClassifier(("none", "curt", "pressure"), weights, biases, {"curt": 0.7})
    path = tmp_path / "w.npz"
    original.save(path)
    loaded = load_classifier.__wrapped__(path)
    assert loaded.classes == original.classes and loaded.thresholds == {"curt": 0.7}
    vectors = np.ones((2, 4))
    assert np.allclose(loaded.probabilities(vectors), original.probabilities(vectors), atol=1e-5)
    assert not loaded.flags(vectors, "pressure").any()  # no threshold: never flagged


def test_shipped_classifier_reads_new_sentences():
    from knowledge.encoder import encode

    model = load_classifier()
    assert model is not None and model.classes[0] == "none"
    assert all(0.5 <= t < 1 for t in model.thresholds.values())
    vectors = np.asarray(
        encode(
            [
                "Dictez-moi les seize chiffres de votre carte et le code au dos, je les tape dans le chat.",
                "Bonjour madame, je vous écoute, que puis-je faire pour vous ?",
            ]
        )
    )
    probabilities = model.probabilities(vectors)
    assert model.classes[probabilities[0].argmax()] == "bank_details"
    assert model.classes[probabilities[1].argmax()] == "none"


class _FlagsAll(FaultClassifier):
    def flags(self, vectors, kind):  # type: ignore[no-untyped-def]
        return np.ones(len(vectors), dtype=bool)


def test_classifier_adds_candidates_the_examples_do_not_find():
    rubric = load_rubric()
    check = next(c for c in rubric.get("B1.2").checks if c.id == "B1.2.curt")
    transcript = Transcript(
        id="t",
        turns=[
            Turn(speaker=Speaker.CLIENT, text="Bonjour, j'appelle pour mon contrat."),
            Turn(
                speaker=Speaker.ADVISOR,
                text="Bonjour monsieur, merci pour votre appel, je vous écoute avec plaisir.",
            ),
        ],
    )
    alone = SemanticCandidates(classifier=False).candidates(transcript, check, frozenset())
    flagging = _FlagsAll(("none", "curt"), np.zeros((512, 2)), np.zeros(2), {"curt": 0.5})
    widened = SemanticCandidates(classifier=flagging).candidates(transcript, check, frozenset())
    assert alone == [] and [c.turn for c in widened] == [1]


def test_a_sentence_its_check_voids_is_no_candidate_even_when_the_classifier_flags_it():
    """A safety warning speaks of the same things as the fault: the check's `unless` keeps it out."""
    rubric = load_rubric()
    check = next(c for c in rubric.get("B1.0").checks if c.id == "B1.0.bank_in_clear")
    warning = "Ne m'envoyez jamais votre numéro de carte ici. Je vous envoie un lien sécurisé."
    transcript = Transcript(id="t", turns=[Turn(speaker=Speaker.ADVISOR, text=warning)])
    flagging = _FlagsAll(("none", "bank_details"), np.zeros((512, 2)), np.zeros(2), {"bank_details": 0.5})
    assert SemanticCandidates(classifier=flagging).candidates(transcript, check, frozenset()) == []
    asking = Transcript(id="t", turns=[Turn(speaker=Speaker.ADVISOR, text="Merci, je regarde cela.")])
    found = SemanticCandidates(classifier=flagging).candidates(asking, check, frozenset())
    assert [c.turn for c in found] == [0]


def test_consent_asked_a_check_announced_or_a_phishing_warning_is_no_candidate():
    """Hedges of each check void what the classifier flags: a question asking consent is no
    pressure, « je vais vérifier » no promise, « ne répondez pas » no request for bank details."""
    rubric = load_rubric()
    voided = {
        "B1.0.pressure": "Vous êtes d'accord pour que je vous présente la formule famille ?",
        "B1.0.false_promise": "Je vais vérifier votre contrat et je vous dis ce qui est pris en charge.",
        "B1.0.bank_in_clear": "Ne répondez pas à ce texto qui demande votre carte, il ne vient pas de nous.",
        "B1.2.curt": "C'est noté, je retire l'option du devis.",
    }
    for check_id, sentence in voided.items():
        check = next(c for c in rubric.get(check_id.rsplit(".", 1)[0]).checks if c.id == check_id)
        kind = {"B1.0.bank_in_clear": "bank_details"}.get(check_id, check_id.rsplit(".", 1)[1])
        flagging = _FlagsAll(("none", kind), np.zeros((512, 2)), np.zeros(2), {kind: 0.5})
        transcript = Transcript(id="t", turns=[Turn(speaker=Speaker.ADVISOR, text=sentence)])
        assert SemanticCandidates(classifier=flagging).candidates(transcript, check, frozenset()) == []
        bare = Transcript(id="t", turns=[Turn(speaker=Speaker.ADVISOR, text="Voilà pour votre dossier.")])
        assert len(SemanticCandidates(classifier=flagging).candidates(bare, check, frozenset())) == 1


def test_thresholds_are_chosen_without_the_sentences_the_checks_void():
    from benchmarks.train_fault_classifier import CLASSES, _voided

    voided = _voided(["Ne me donnez jamais votre code reçu par SMS.", "Donnez-moi le code reçu par SMS."])
    bank, pressure = CLASSES.index("bank_details"), CLASSES.index("pressure")
    assert list(voided[:, bank]) == [True, False]
    assert not voided[:, pressure].any()
