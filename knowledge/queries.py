"""Labelled query sets used to measure retrieval: the tuning set and the held-out set.

`queries.yaml` has been used to tune the fusion constants and the corpus vocabulary, so its
figures are optimistic; `queries-heldout.yaml` was written before any tuning and must not be
tuned on: it tells whether a change generalises. `queries-everyday-dev.yaml` holds everyday-language
queries (slang, slips, stories) the query understanding was tuned on, as was
`evaluation/sets/retrieval-everyday/` after its one blind measure; the blind everyday set is now
`evaluation/sets/retrieval-everyday-2/`.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field

QUERIES_FILE = Path(__file__).parent / "queries.yaml"
HELDOUT_FILE = Path(__file__).parent / "queries-heldout.yaml"
EVERYDAY_DEV_FILE = Path(__file__).parent / "queries-everyday-dev.yaml"


class LabelledQuery(BaseModel):
    """A question as a trainee or client would ask it, with the articles that answer it."""

    query: str = Field(min_length=5)
    product: str | None = Field(
        description="The product the question is about (informative); None when the asker does not say."
    )
    expected: list[str] = Field(min_length=1, description="Any of these ids in the results is a success.")


def load_queries(path: Path = QUERIES_FILE) -> list[LabelledQuery]:
    """The labelled queries of one YAML file (a list of `LabelledQuery` mappings)."""
    return [LabelledQuery.model_validate(item) for item in yaml.safe_load(path.read_text(encoding="utf-8"))]
