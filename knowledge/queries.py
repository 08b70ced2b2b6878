"""The labelled query set (knowledge/queries.yaml) used to measure and tune retrieval."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field

QUERIES_FILE = Path(__file__).parent / "queries.yaml"


class LabelledQuery(BaseModel):
    """A question as a trainee or client would ask it, with the articles that answer it."""

    query: str = Field(min_length=5)
    product: str = Field(description="The product the question is about (informative).")
    expected: list[str] = Field(min_length=1, description="Any of these ids in the results is a success.")


def load_queries(path: Path = QUERIES_FILE) -> list[LabelledQuery]:
    return [LabelledQuery.model_validate(item) for item in yaml.safe_load(path.read_text(encoding="utf-8"))]
