"""One loader for the French prompt templates kept in `prompts/*.md` beside their code."""

from __future__ import annotations

from functools import cache
from importlib import resources

import jinja2

_env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False)


@cache
def _template(package: str, name: str) -> jinja2.Template:
    text = resources.files(package).joinpath("prompts", f"{name}.md").read_text(encoding="utf-8")
    return _env.from_string(text)


def render_prompt(package: str, name: str, **values: object) -> str:
    """Render `<package>/prompts/<name>.md` with `values` (missing values are an error)."""
    return _template(package, name).render(**values).strip()
