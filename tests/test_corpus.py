"""Integrity and internal consistency of the sample contract conditions (knowledge/conditions)."""

from __future__ import annotations

import re
import typing
from decimal import ROUND_HALF_UP, Decimal

import pytest

from crca.text import fold
from knowledge.corpus import CONDITIONS_DIR, Article, load_corpus, load_document

ARTICLES = load_corpus(CONDITIONS_DIR)
BY_ID = {a.id: a for a in ARTICLES}
DOCUMENTS = [load_document(p) for p in sorted(CONDITIONS_DIR.glob("*.yaml"))]
PREFIXES = ("AUTO", "MRH", "SANTE", "PREV", "COM", "CONV", "TARIF", "REG", "CP")
# A citation of another article inside a passage, e.g. "voir AUTO-PRET-01".
CITATION = re.compile(rf"\b(?:{'|'.join(PREFIXES)})-[A-Z0-9-]*[A-Z0-9]\b")
# "Vol : 300 €" in the franchise tables and in the example conditions particulières.
TABLE_ROW = re.compile(r"([A-Za-zÀ-ÿ' ]+?) : (\d{1,3}(?: \d{3})*) €")


def text(article_id: str) -> str:
    return BY_ID[article_id].text


def euros(raw: str) -> Decimal:
    """'1 520' -> 1520, '3,40' -> 3.40 (French number formatting)."""
    return Decimal(raw.replace(" ", "").replace(",", "."))


def money(value: Decimal) -> str:
    """Decimal -> French display with two decimals, e.g. 592.8 -> '592,80 €'."""
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP)} €".replace(".", ",")


def find(pattern: str, article_id: str) -> Decimal:
    match = re.search(pattern, text(article_id))
    assert match, f"motif {pattern!r} absent de {article_id}"
    return euros(match.group(1))


def table(article_id: str) -> dict[str, Decimal]:
    return {label.strip().lower(): euros(n) for label, n in TABLE_ROW.findall(text(article_id))}


# --- integrity --------------------------------------------------------------------------------


def test_corpus_is_large_enough_and_ids_unique() -> None:
    assert len(ARTICLES) >= 150
    assert len(BY_ID) == len(ARTICLES)


def test_every_product_and_document_kind_is_covered() -> None:
    assert {a.product for a in ARTICLES} == set(typing.get_args(Article.model_fields["product"].annotation))
    kinds = {d.kind for d in DOCUMENTS}
    assert kinds == {
        "conditions_generales",
        "conditions_particulieres",
        "convention",
        "tarif",
        "reglementation",
    }


def test_document_ids_are_unique() -> None:
    ids = [d.id for d in DOCUMENTS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_article_is_a_self_contained_passage(article: Article) -> None:
    words = len(article.text.split())
    assert 50 <= words <= 180, f"{article.id}: {words} mots"
    assert article.title.strip()
    assert 3 <= len(article.keywords) <= 6, article.id
    assert all(isinstance(k, str) and k.strip() for k in article.keywords), article.id
    assert article.id.split("-")[0] in PREFIXES, article.id
    # Self-contained: the passage names the product or the insurer it belongs to.
    assert re.search(r"Horizon|convention|Code|loi|client|assur", article.text), article.id


def test_cited_article_ids_exist() -> None:
    citations = {(a.id, cited) for a in ARTICLES for cited in CITATION.findall(a.text)}
    assert len(citations) >= 10
    assert not {(source, cited) for source, cited in citations if cited not in BY_ID}


def test_index_lists_exactly_the_corpus_ids() -> None:
    index = (CONDITIONS_DIR / "INDEX.md").read_text(encoding="utf-8")
    listed = re.findall(r"^- `([A-Z0-9-]+)`", index, flags=re.MULTILINE)
    assert len(listed) == len(set(listed))
    assert set(listed) == set(BY_ID)


# --- internal consistency ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table_id", "product"), [("AUTO-FRANCH-01", "auto"), ("MRH-FRANCH-01", "habitation")]
)
def test_franchise_amounts_agree_with_the_table(table_id: str, product: str) -> None:
    """Every 'franchise <garantie> (est) de N €' of the product matches its franchises table."""
    franchises = table(table_id)
    assert franchises["catastrophes naturelles"] == 380
    for article in (a for a in ARTICLES if a.product == product):
        flat = article.text.replace("-", " ").lower()
        for label, amount in franchises.items():
            for found in re.findall(rf"franchise {label}(?: est)? de (\d{{1,3}}(?: \d{{3}})*) €", flat):
                assert euros(found) == amount, f"{article.id}: franchise {label}"


@pytest.mark.parametrize(
    ("cp_id", "table_id"), [("CP-AUTO-03", "AUTO-FRANCH-01"), ("CP-MRH-03", "MRH-FRANCH-01")]
)
def test_example_contract_franchises_match_the_table(cp_id: str, table_id: str) -> None:
    example, reference = table(cp_id), table(table_id)
    assert len(example) >= 6
    for label, amount in example.items():
        assert reference.get(label) == amount, f"{cp_id}: {label}"


def test_catnat_legal_franchises_everywhere() -> None:
    assert table("MRH-FRANCH-01")["sécheresse subsidence"] == 1520
    for article_id in ("AUTO-CATNAT-01", "MRH-CATNAT-01", "CP-MRH-03"):
        assert "380 €" in text(article_id)
    assert "1 520 €" in text("MRH-CATNAT-02")


def test_auto_example_premium_follows_the_tariff() -> None:
    base = find(r"Groupe B : zone 1 [\d ]+ €, zone 2 ([\d ]+) €", "TARIF-AUTO-05")
    crm = find(r"coefficient bonus-malus (\d,\d\d)", "CP-AUTO-01")
    option = find(r"Contenu du véhicule et effets personnels jusqu'à 1 500 € : (\d+) €", "TARIF-AUTO-07")
    monthly_fee = find(r"mensuel par prélèvement SEPA (\d+(?:,\d+)?) %", "TARIF-COM-01") / 100
    annual = base * crm + option
    assert money(annual) in text("CP-AUTO-04")
    assert money(annual * (1 + monthly_fee) / 12) in text("CP-AUTO-04")
    assert money(annual) in text("TARIF-AUTO-08")


def test_habitation_example_premium_follows_the_tariff() -> None:
    confort = text("TARIF-MRH-02").split("Formule Confort")[1]
    base = euros(re.search(r"3 pièces (\d+) €", confort).group(1))
    zone_c = find(r"zone C \([^)]*\) : (\d,\d\d)", "TARIF-MRH-01")
    option = find(r"Objets de\s+valeur renforcés \([^)]*\) : (\d+) €", "TARIF-MRH-04")
    assert money(base * zone_c + option) in text("CP-MRH-04")
    per_room = find(r"(\d+ \d{3}) € en\s+formule Confort", "MRH-GEN-02")
    assert f"Capital mobilier : {per_room * 3:,} €".replace(",", " ") in text("CP-MRH-02")


def test_sante_example_premium_follows_the_tariff() -> None:
    grid = text("TARIF-SANTE-01")
    adult = euros(re.search(r"Formule Confort : [\d ]+ €, [\d ]+ €, (\d+) €", grid).group(1))
    child = euros(re.search(r"26 ans : \d+ € en Essentiel,\s+(\d+) € en Confort", grid).group(1))
    assert f"Total : {2 * adult + 2 * child} € par mois" in text("CP-SANTE-04")


def test_prevoyance_example_premium_follows_the_tariff() -> None:
    ij = find(r"40-49 ans : (\d,\d\d) €", "TARIF-PREV-01")
    deces, rente = (euros(r) for r in re.findall(r"40-49 ans (\d,\d\d) €", text("TARIF-PREV-02")))
    total = 8 * ij + 15 * deces + 2 * rente
    assert f"Total : {money(total)} par mois" in text("CP-PREV-04")


def test_aliases_add_everyday_words_beyond_the_keywords() -> None:
    """Every article outside the example contracts carries client vocabulary its keywords lack."""
    for document in DOCUMENTS:
        for article in document.articles:
            if document.kind == "conditions_particulieres":
                continue
            assert 1 <= len(article.aliases) <= 8, article.id
            keywords = {fold(k) for k in article.keywords}
            assert not [a for a in article.aliases if not a.strip() or fold(a) in keywords], article.id
