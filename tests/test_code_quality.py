"""The tree is ruff-clean and ruff-formatted, and the domain and ground packages type-check."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=600
    )


def test_ruff_lint_is_clean() -> None:
    result = _run("ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_applied() -> None:
    result = _run("ruff", "format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_type_error_in_the_checked_packages() -> None:
    """The packages listed in pyproject's [tool.mypy] (the domain, the ground, the content, the sets)."""
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
