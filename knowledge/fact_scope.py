"""Whose conditions a figure can be checked against: general rules vs the corpus insurer's terms.

Why: every false contradiction measured on other insurers' exchanges came from checking a figure
against conditions that did not apply to it (another insurer's ceiling, a claim amount against the
advisor's delegation). Only a general rule binds every insurer; the corpus insurer's own figures
bind only its contracts. The lists are data (`factcheck_scope.yaml`).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from crca.text import fold
from knowledge.text import any_of

SCOPE_FILE = Path(__file__).with_name("factcheck_scope.yaml")
# "chez Pacifica", "chez Assur'Éco": a capitalised name after "chez" is a company (case matters,
# so this one is read on the text as written; the corpus insurer's own name is excluded).
_COMPANY_NAMED = re.compile(
    r"\b[Cc]hez\s+(?!Horizon\b|Nous\b|Vous\b)[A-ZÀ-Ý]"
    r"|\b[A-Z][a-z]+['’][A-ZÀ-Ý]"  # a brand written with an apostrophe: Clic'Assur, Assur'Éco
)


class FactScope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    corpus_insurer: str
    general_rules: list[str]
    other_insurer_cues: list[str]
    own_insurer_cues: list[str]
    delegation_cues: list[str]


@cache
def load_scope(path: Path = SCOPE_FILE) -> FactScope:
    return FactScope.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def _matches(cues: list[str], text: str) -> bool:
    return bool(text) and bool(any_of(tuple(cues)).search(fold(text)))


def is_general_rule(article_id: str) -> bool:
    """True when the article states a rule every insurer applies (the law, a convention)."""
    rules = load_scope().general_rules
    return any(article_id == r or (r.endswith("-") and article_id.startswith(r)) for r in rules)


def about_other_insurer(statement: str, previous_client: str = "") -> bool:
    """True when the statement is about another insurer's contract (named in it or in the client's
    line it answers), unless it brings the figure back to the corpus insurer's own terms."""
    scope = load_scope()
    if _matches(scope.own_insurer_cues, statement):
        return False
    return any(
        _matches(scope.other_insurer_cues, text) or bool(_COMPANY_NAMED.search(text))
        for text in (statement, previous_client)
    )


def about_delegation(statement: str) -> bool:
    return _matches(load_scope().delegation_cues, statement)


def is_delegation_article(title: str, keywords: list[str]) -> bool:
    return about_delegation(f"{title} {' '.join(keywords)}")


def case_formulas(file_text: str, product: str | None) -> frozenset[str]:
    """The formula of the client's contract for `product`, read from the client's file
    (« Horizon Habitat formule Confort n° HA-… »); empty unless exactly one is named, so a figure
    is never checked against a formula the client may not hold."""
    from knowledge.fact_certainty import formulas
    from knowledge.fact_table import products

    if not product:
        return frozenset()
    named: set[str] = set()
    for entry in re.split(r"[;\n]", fold(file_text).replace("tiers payant", "")):
        if product in products(entry) or names_product(entry, product):
            named |= formulas(entry)
    return frozenset(named) if len(named) == 1 else frozenset()


def names_product(entry: str, product: str) -> bool:
    """True when a contract's name is the product's (« Horizon Santé », « Horizon Prévoyance »)."""
    brand = {"auto": "auto", "habitation": "habitat", "sante": "sante", "prevoyance": "prevoyance"}
    return f"horizon {brand.get(product, product)}" in fold(entry)


def names_corpus_insurer(text: str) -> bool:
    """True when the text names the corpus insurer (its contract terms then apply)."""
    return load_scope().corpus_insurer in fold(text)
