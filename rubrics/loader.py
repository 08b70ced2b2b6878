"""Loads the versioned YAML rubric; the default one is read once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from rubrics.models import Rubric

DEFAULT_RUBRIC = Path(__file__).parent / "crca-v1.yaml"


class RubricError(ValueError):
    """The rubric file is malformed; the message names the file and the reason."""


def load_rubric(path: Path | str | None = None) -> Rubric:
    """The rubric at `path` (default: crca-v1.yaml beside this module), validated."""
    return _load(Path(path or DEFAULT_RUBRIC).resolve())


@cache
def _load(path: Path) -> Rubric:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RubricError(f"{path} : lecture impossible ({exc})") from exc
    try:
        return Rubric.model_validate(raw)
    except ValidationError as exc:
        raise RubricError(f"{path} : grille invalide\n{exc}") from exc
