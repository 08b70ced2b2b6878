"""The one text module: folding, whole-word cues and sentences, as every package reads French."""

from __future__ import annotations

from crca.text import (
    any_cue,
    fold,
    fold_aligned,
    has_cue,
    sentence_around,
    sentence_spans,
    sentences,
    stream_sentences,
    words,
)


def test_fold_removes_case_accents_ligatures_and_typographic_spaces() -> None:
    assert fold("Œuvre d’Été\u00a0à 150\u202f€") == "oeuvre d'ete a 150 €"


def test_aligned_fold_keeps_the_length_so_spans_map_back() -> None:
    text = "Cœur À l’écoute"
    folded = fold_aligned(text)
    assert len(folded) == len(text)
    assert folded == "cœur a l'ecoute"
    start = folded.index("ecoute")
    assert text[start : start + 6] == "écoute"


def test_cues_match_whole_words_only_with_plurals() -> None:
    assert has_cue("Je comprends vos inquiétudes.", "inquietude")
    assert not has_cue("Un prélèvement automatique", "vement")
    assert not has_cue("n'importe quoi", "")
    assert any_cue("Bonne journée !", ["au revoir", "bonne journee"])
    assert words("L'Été, déjà !") == " l'ete deja "


def test_sentences_skip_abbreviations_and_decimal_points() -> None:
    text = "M. Roux a payé 3.5 €. Il est absent ! Et alors"
    assert sentences(text) == ["M. Roux a payé 3.5 €.", "Il est absent !", "Et alors"]


def test_line_breaks_and_semicolons_end_sentences_only_when_asked() -> None:
    text = "Bonjour Monsieur,\nLa franchise est de 150 €; le délai est de 5 jours."
    assert len(sentences(text)) == 1
    assert sentences(text, lines=True) == [
        "Bonjour Monsieur,",
        "La franchise est de 150 €; le délai est de 5 jours.",
    ]
    assert sentences(text, lines=True, semicolons=True)[1:] == [
        "La franchise est de 150 €;",
        "le délai est de 5 jours.",
    ]


def test_spans_are_verbatim_and_the_quote_around_a_match_is_its_sentence() -> None:
    text = "  Bonjour.  Je vous propose un devis ? Merci. "
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Bonjour.",
        "Je vous propose un devis ?",
        "Merci.",
    ]
    start = text.index("devis")
    assert sentence_around(text, start, start + 5) == "Je vous propose un devis ?"


def test_streamed_sentences_come_out_as_soon_as_they_end() -> None:
    pieces = ["Bonjour M.", " Roux est mon ", "voisin. Il est", " absent ! Et alors"]
    out = []
    for sentence in stream_sentences(pieces):
        out.append(sentence)
    assert out == ["Bonjour M. Roux est mon voisin.", "Il est absent !", "Et alors"]
