"""Query understanding: everyday words, situations and spelling slips mapped to the corpus's words."""

from __future__ import annotations

import itertools

import pytest

from knowledge.corpus import load_corpus
from knowledge.text import inflections, words
from knowledge.understanding import (
    QueryUnderstanding,
    SpellingIndex,
    Vocabulary,
    edit_distance,
    load_vocabulary,
)

SMALL = Vocabulary.model_validate(
    {
        "words": [
            {"say": ["bagnole", "ma caisse"], "mean": "voiture"},
            {"say": ["le petit"], "mean": "enfant"},
            {"say": ["piqué"], "mean": "vol"},
        ],
        "situations": [{"when": [["fuite", "tuyau"], ["voisin", "du dessus"]], "mean": "convention IRSI"}],
    }
)
CORPUS_WORDS = words(
    "la franchise de résiliation du contrat, la garantie vol et la franchise du véhicule, l'autorité"
)


@pytest.fixture(scope="module")
def small() -> QueryUnderstanding:
    return QueryUnderstanding(CORPUS_WORDS, SMALL)


def test_everyday_words_add_their_insurance_meaning_whatever_the_inflection(small):
    understood = small.understand("Ma caisse s'est fait PIQUER cette nuit")
    assert understood.meanings == ["voiture", "vol"]
    assert understood.expanded.startswith("Ma caisse s'est fait PIQUER cette nuit")
    assert understood.expanded.endswith("voiture vol")


def test_articles_are_part_of_a_cue(small):
    assert "enfant" in small.understand("le petit a cassé la télé").meanings
    assert "enfant" not in small.understand("une petite voiture").meanings
    assert "voiture" not in small.understand("la caisse d'assurance maladie").meanings


def test_a_situation_needs_one_cue_of_every_group(small):
    assert small.understand("un tuyau a fui chez le voisin du dessus").situations == ["convention IRSI"]
    assert small.understand("un tuyau fuit dans ma cuisine").situations == []
    assert small.understand("mon voisin du dessus est bruyant").situations == []


def test_spelling_slips_are_corrected_to_corpus_words(small):
    understood = small.understand("fransise de resilation de la garentie")
    assert understood.corrections == {
        "fransise": "franchise",
        "resilation": "resiliation",
        "garentie": "garantie",
    }
    assert "franchise" in understood.additions and "resiliation" in understood.additions


def test_known_words_inflections_and_short_words_are_left_alone(small):
    assert small.understand("les franchises du vehicule").corrections == {}
    assert small.understand("la garanties").corrections == {}  # a stem the corpus knows
    assert small.understand("volé").corrections == {}  # too short to guess
    assert small.understand("xylophone").corrections == {}  # nothing near


def test_a_french_word_the_corpus_lacks_is_no_slip():
    # « autoroute » is one letter from the corpus's « autorité », but it is French: left alone.
    assert SpellingIndex(CORPUS_WORDS).correct("autoroute") is None
    assert SpellingIndex(CORPUS_WORDS, french=lambda word: False).correct("autoroute") == "autorite"
    assert SpellingIndex(CORPUS_WORDS).correct("autoritte") == "autorite"  # a slip: not French


def test_cues_match_inflections_not_derived_words():
    vocabulary = Vocabulary.model_validate(
        {
            "words": [{"say": ["partir"], "mean": "résilier"}, {"say": ["chauffeur"], "mean": "usage"}],
            "situations": [],
        }
    )
    understanding = QueryUnderstanding(CORPUS_WORDS, vocabulary)
    assert understanding.understand("je veux partir").meanings == ["résilier"]
    assert understanding.understand("on partirait bien").meanings == []
    assert understanding.understand("de votre part").meanings == []
    assert understanding.understand("les chauffeurs de taxi").meanings == ["usage"]
    assert understanding.understand("le chauffage a lâché").meanings == []


def test_a_slip_on_the_first_letters_is_not_guessed():
    assert SpellingIndex(["franchise"]).correct("granchise") is None
    assert SpellingIndex(["franchise"]).correct("rfanchise") is None
    assert SpellingIndex(["franchise"]).correct("frenchise") == "franchise"


@pytest.mark.parametrize("a, b", [("", ""), ("chat", "chats"), ("resilation", "resiliation"), ("abc", "xyz")])
def test_edit_distance_matches_a_brute_force_count(a, b):
    # Brute force: the shortest edit script found by breadth-first search over single edits.
    frontier, seen, steps = {a}, {a}, 0
    letters = set(a + b)
    while b not in frontier:
        steps += 1
        following = set()
        for word in frontier:
            for i in range(len(word) + 1):
                following.update(word[:i] + c + word[i:] for c in letters)
                if i < len(word):
                    following.add(word[:i] + word[i + 1 :])
                    following.update(word[:i] + c + word[i + 1 :] for c in letters)
        frontier = following - seen
        seen |= frontier
    assert edit_distance(a, b, limit=10) == steps
    assert edit_distance(a, b, limit=steps - 1) > steps - 1 if steps else True


def test_the_vocabulary_file_is_valid_and_every_cue_has_words():
    vocabulary = load_vocabulary()
    phrases = [p for w in vocabulary.words for p in w.say]
    phrases += [c for s in vocabulary.situations for g in s.when for c in g]
    assert len(vocabulary.words) >= 50 and len(vocabulary.situations) >= 20
    assert all(inflections(p) for p in phrases)
    meanings = [w.mean for w in vocabulary.words] + [s.mean for s in vocabulary.situations]
    corpus = {
        w for a in load_corpus() for w in words(f"{a.title} {a.text} {' '.join(a.keywords + a.aliases)}")
    }
    # Every meaning speaks the corpus's language: at least one of its words is in an article.
    assert all(set(words(m)) & corpus for m in meanings), [m for m in meanings if not set(words(m)) & corpus]


def test_no_everyday_cue_is_listed_twice_for_the_same_meaning():
    vocabulary = load_vocabulary()
    for entry in vocabulary.words:
        cues = [tuple(inflections(p)) for p in entry.say]
        assert len(cues) == len(set(cues)), entry.say
    for a, b in itertools.combinations(vocabulary.situations, 2):
        assert a.when != b.when


def test_a_cue_inside_a_longer_cue_does_not_count():
    vocabulary = Vocabulary.model_validate(
        {
            "words": [
                {"say": ["joint"], "mean": "stupéfiants"},
                {"say": ["joint de culasse"], "mean": "usure"},
            ],
            "situations": [],
        }
    )
    understanding = QueryUnderstanding(CORPUS_WORDS, vocabulary)
    assert understanding.understand("le joint de culasse a lâché").meanings == ["usure"]
    assert understanding.understand("il fumait un joint").meanings == ["stupéfiants"]
    both = understanding.understand("un joint au volant, puis le joint de culasse")
    assert both.meanings == ["stupéfiants", "usure"]
