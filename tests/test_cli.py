"""The `crca` command line: help for every sub-command, and no heavy import for grading."""

from __future__ import annotations

import subprocess
import sys

import pytest

from webapp.cli import build_parser, main

COMMANDS = [
    ["app"], ["model", "prepare"], ["model", "ping"], ["scenarios", "list"], ["scenarios", "validate"],
    ["chat"], ["index"], ["search"], ["grade"],
]  # fmt: skip


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for name in ("app", "chat", "grade", "index", "search", "scenarios"):
        assert name in out


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_subcommand_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: crca" in capsys.readouterr().out


def test_building_the_parser_imports_no_heavy_library() -> None:
    code = (
        "import sys; from webapp.cli import build_parser; build_parser(); "
        "print(sorted(m for m in ('gradio', 'chromadb', 'llama_cpp') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_unknown_command_is_refused() -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["fly"])
    assert exit_info.value.code == 2
