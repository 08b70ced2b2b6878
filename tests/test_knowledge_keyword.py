"""BM25 side of the search: French tokens and what of an article is indexed."""

from __future__ import annotations

from knowledge.corpus import Article
from knowledge.keyword import KeywordIndex, article_tokens
from knowledge.text import tokenize

FILLER = "Le contrat d'assurance prévoit ce cas dans les conditions générales remises au client."


def test_plural_and_singular_give_the_same_tokens():
    assert tokenize("Les franchises") == tokenize("la franchise")
    assert tokenize("des cotisations impayées") == tokenize("une cotisation impayée")
    assert tokenize("chevaux") == tokenize("cheval")


def test_derived_forms_and_accents_share_a_stem():
    assert tokenize("résilier") == tokenize("résiliation") == tokenize("RESILIATION")
    assert tokenize("l'indemnisation") == tokenize("indemniser")


def test_aliases_are_indexed_and_found():
    drunk = Article(
        id="AUTO-EXCL-01",
        title="Exclusions",
        keywords=["alcoolémie"],
        aliases=["avait bu", "ivresse"],
        text=f"Sont exclus les sinistres survenus sous l'empire d'un état alcoolique. {FILLER}",
    )
    other = Article(id="AUTO-VOL-01", title="Vol", keywords=["vol"], text=f"Le vol est garanti. {FILLER}")
    assert set(tokenize("avait bu ivresse")) <= set(article_tokens(drunk))
    scores = KeywordIndex([other, drunk]).scores("le conducteur avait bu")
    assert scores[1] > 0 and scores[0] == 0
    without = drunk.model_copy(update={"aliases": []})
    assert KeywordIndex([other, without]).scores("le conducteur avait bu").max() == 0
