"""The French dictionary that tells a slip from a word the corpus merely lacks."""

from __future__ import annotations

import pickle

import pytest

from knowledge import lexicon


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lexicon.french_words.cache_clear()
    yield tmp_path
    lexicon.french_words.cache_clear()


def test_plain_french_is_known_and_slips_are_not(fresh_cache):
    for word in ("autoroute", "courroie", "chaussee", "regarder", "deplacer"):  # folded, as search sees them
        assert lexicon.is_french_word(word), word
    for slip in ("fransise", "resilation", "remboursment", "appartemment"):
        assert not lexicon.is_french_word(slip), slip


def test_the_folded_list_is_kept_in_the_cache_and_read_back(fresh_cache):
    assert lexicon.is_french_word("courroie")
    path = lexicon.lexicon_cache()
    assert path.is_relative_to(fresh_cache) and path.is_file()
    path.write_bytes(pickle.dumps(frozenset({"motinvente"})))
    lexicon.french_words.cache_clear()
    assert lexicon.is_french_word("motinvente") and not lexicon.is_french_word("courroie")


def test_an_unreadable_cache_falls_back_to_the_package(fresh_cache):
    path = lexicon.lexicon_cache()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a pickle")
    assert lexicon.is_french_word("courroie")
