"""`crca index` and `crca search` on the real corpus, in an isolated data directory."""

from __future__ import annotations

import json

from webapp.cli import main


def test_index_then_search(crca_home, capsys):
    assert main(["index"]) == 0
    built = capsys.readouterr().out
    assert "Index construit" in built and str(crca_home / "chroma") in built

    assert main(["index"]) == 0
    assert "déjà à jour" in capsys.readouterr().out  # --force is covered on the fixture corpus

    assert main(["search", "franchise dégât des eaux", "--product", "habitation", "-k", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    ranked = [line for line in lines if line[:2] in {"1.", "2.", "3."}]
    assert len(ranked) == 3
    assert ranked[0].startswith("1. [")
    assert all("(habitation," in line or "(commun," in line for line in ranked)

    assert main(["search", "pare-brise fendu", "--json", "-k", "2"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 2
    assert set(hits[0]) == {"article_id", "title", "product", "document", "text", "score", "passage"}
    assert hits[0]["passage"] and hits[0]["passage"] in hits[0]["text"]


def test_unknown_product_is_a_usage_error(crca_home, capsys):
    assert main(["search", "vol", "--product", "bateau"]) == 2
    err = capsys.readouterr().err
    assert "produit inconnu" in err and "habitation" in err
