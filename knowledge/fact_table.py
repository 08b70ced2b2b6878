"""The quantified facts of the contract conditions, derived once from the articles.

Why: a figure can only be judged against the article figure that measures the same thing for the
same contract. Each figure of each article becomes a `QuantFact`: its value and unit, the words
of its own clause (what it measures: « tempête grêle neige : 300 € »), the words of its sentence
and heading, the formulas and products its clause or sentence names, and whether it is a general
rule (law, convention) or the corpus insurer's own term. Deterministic and cached.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, Field

from crca.lexicons import load_lexicon
from crca.text import fold, sentences
from knowledge.corpus import Article, load_corpus
from knowledge.fact_certainty import distinctive_words, formulas
from knowledge.fact_qualifiers import is_former
from knowledge.fact_scope import is_general_rule
from knowledge.figures import NUMBER_WORDS, Figure, extract_figures, span_around
from knowledge.text import any_of, tokenize

# A clause ends at a sentence mark, a comma, a semicolon or a bracket: « 30 € en auto, 15 € en
# habitation » are two facts. A colon does not end it: « Tempête grêle neige : 300 € » is one.
_CLAUSE_END = re.compile(r"[,;()\[\]!?«»]|\.(?:\s|$)|\s(?:et|ou|mais|puis|sauf|alors que)\s")
_LEAD = re.compile(r"^([^:]{3,80}):")
# A label in brackets right after a figure names what it is (« 8 000 € par pièce (Essentiel) »,
# « 10 000 000 € (corporels) »): it belongs to that figure's clause, not the next one's.
_LABEL_AFTER = re.compile(r"^[^,;()]{0,30}?\(([^()]{1,40})\)")
# Figures listed as alternatives (« 150 €, 250 € ou 420 € », « 8 000 € par pièce (Essentiel) ou
# 12 000 € (Confort) »): one quantity across formulas or bands.
_LIST_GAP = re.compile(r"^(?:[^,;()]{0,30}?\([^()]{1,40}\))?\s*(?:,|,?\s*ou|,?\s*et)\s*$")


@cache
def _lexicon() -> dict[str, list[str]]:
    return load_lexicon("knowledge", "fact_table")


@cache
def _number_tokens() -> frozenset[str]:
    return frozenset(tokenize(" ".join([*NUMBER_WORDS, *_lexicon()["weak_words"]])))


@cache
def cue_pattern(name: str) -> re.Pattern[str]:
    """One pattern for a list of `lexicons/fact_table.yaml` (threshold, uncertain, computed...)."""
    return any_of(tuple(_lexicon()[name]))


def words_of(text: str) -> frozenset[str]:
    """The distinctive words of `text`, number words left out (« trois » names no quantity)."""
    return frozenset(distinctive_words(text) - _number_tokens())


def products(text: str) -> set[str]:
    """The lines of business a text names (« en auto », « votre logement », « la mutuelle »)."""
    folded = fold(text)
    return {
        name.removeprefix("product_")
        for name, cues in _lexicon().items()
        if name.startswith("product_") and any(re.search(rf"\b{c}", folded) for c in cues)
    }


class QuantFact(BaseModel):
    """One figure of one article, with what it measures and for which contract."""

    article_id: str
    product: str = Field(description="The article's line of business (auto, habitation... or commun).")
    general: bool = Field(description="A general rule (law, convention): binds every insurer.")
    example: bool = Field(
        description="From an example contract (conditions particulières): another policyholder's."
    )
    figure: Figure
    sentence: str = Field(description="The article's sentence, quoted as written.")
    heading: str = Field(description="The article's title and keywords.")
    clause: frozenset[str] = Field(description="Distinctive words of the figure's own clause.")
    clause_text: str = Field(description="The figure's own clause, folded (counts and qualifiers kept).")
    context: frozenset[str] = Field(description="Distinctive words of the sentence, title and keywords.")
    formulas: frozenset[str] = Field(description="Formulas named by the clause, else by the sentence's lead.")
    products: frozenset[str] = Field(description="Lines of business the clause names (« 30 € en auto »).")
    upper_bound: bool = Field(description="The figure is a maximum (« dans les 30 jours », « jusqu'à »).")
    threshold: bool = Field(description="The figure is a threshold a case's amount is set against.")


_UPPER_BOUND = re.compile(
    r"(dans les|dans un delai (maximal )?de|sous|au plus tard|au maximum|maximum de|maximal de|jusqu'a"
    r"|dans la limite de|limitee? a|plafonnee? a|moins de)\s*$"
)


def is_name(text: str, figure: Figure) -> bool:
    """True for a figure that is part of a name (« panier 100 % Santé »), not a quantity."""
    after = fold(text)[figure.start + len(figure.written) :]
    return figure.unit == "%" and after.lstrip().startswith("sante")


def clause_of(text: str, figure: Figure) -> str:
    """The folded clause of `text` holding `figure` (between clause marks, colons kept)."""
    return span_around(text, figure, _CLAUSE_END)


def _series(article: Article, sentence: str) -> list[str]:
    """The formulas, in order, that an article's lists of three figures follow, if it says so
    (« en Essentiel, Confort ou Sérénité ») or the sentence does (« selon la formule (…) »)."""
    order = _lexicon()["formula_order"]
    named = ", ".join(order[:-1]) + " ou " + order[-1] in fold(article.text)
    return order if named or "selon la formule" in fold(sentence) else []


def labelled_clause(text: str, figure: Figure) -> str:
    """The figure's clause with the bracketed label right after it (« 10 000 000 € (corporels) »)."""
    return f"{clause_of(text, figure)} {_label_after(text, figure)}"


def _label_after(sentence: str, figure: Figure) -> str:
    """The bracketed label right after `figure` (folded), or ""."""
    found = _LABEL_AFTER.match(fold(sentence)[figure.start + len(figure.written) :])
    return found.group(1) if found else ""


def _lists(sentence: str, figures: list[Figure]) -> list[list[int]]:
    """Runs of same-unit figures separated only by commas / « ou » / « et » (indices)."""
    folded = fold(sentence)
    runs: list[list[int]] = []
    for i, figure in enumerate(figures):
        previous = figures[i - 1] if i else None
        gap = folded[previous.start + len(previous.written) : figure.start] if previous else ""
        if previous and previous.unit == figure.unit and _LIST_GAP.match(gap):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _facts_of(article: Article) -> list[QuantFact]:
    heading = f"{article.title} {' '.join(article.keywords)}"
    whole = fold(f"{heading} {article.text}")
    ratios = "coefficient" in whole or "bonus" in whole
    found: list[QuantFact] = []
    for sentence in sentences(article.text, lines=True, semicolons=True):
        lead = _LEAD.match(fold(sentence))
        lead_formulas = formulas(lead.group(1)) if lead else set()
        context = words_of(f"{sentence} {heading}")
        figures = [
            f for f in extract_figures(sentence, about_coefficients=ratios) if not is_name(sentence, f)
        ]
        label: dict[int, int] = {}
        position: dict[int, str] = {}
        for run in _lists(sentence, figures):
            label.update({i: run[0] for i in run})
            if len(run) == len(series := _series(article, sentence)):
                position.update(zip(run, series, strict=True))
        for i, figure in enumerate(figures):
            clause = clause_of(sentence, figures[label[i]])
            if label[i] != i:
                clause += " " + clause_of(sentence, figure)
            if lead and label[i] == 0:
                clause += " " + lead.group(1)  # « Tempête grêle neige : 300 € »
            if is_former(clause):
                continue  # « il était auparavant de dix jours »: no rule in force
            tag = _label_after(sentence, figure)
            clause += " " + tag
            before = fold(sentence)[: figure.start]
            named = (
                {position[i]}
                if i in position
                else formulas(tag) or formulas(clause) or lead_formulas or formulas(sentence)
            )
            found.append(
                QuantFact(
                    article_id=article.id,
                    product=article.product,
                    general=is_general_rule(article.id),
                    example=article.document_kind == "conditions_particulieres",
                    figure=figure,
                    sentence=sentence,
                    heading=heading,
                    clause=words_of(clause),
                    clause_text=clause,
                    context=context,
                    formulas=frozenset(named),
                    products=frozenset(products(clause)),
                    upper_bound=bool(_UPPER_BOUND.search(before[-30:])),
                    threshold=bool(cue_pattern("threshold").search(clause)),
                )
            )
    return found


def build_facts(articles: tuple[Article, ...]) -> tuple[QuantFact, ...]:
    """Every quantified fact of `articles`, in article order."""
    return tuple(f for article in articles for f in _facts_of(article))


@cache
def corpus_facts() -> tuple[QuantFact, ...]:
    """The facts of the shipped conditions (computed once per process)."""
    return build_facts(load_corpus())
