"""The benchmark's parts on the client sets, run on a tiny fixture in the blind files' schema."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import get_args

import pytest

from bot.intents import INTENTS
from evaluation.sets import client as sets

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "client_sets"
sys.path.insert(0, str(ROOT / "benchmarks"))
_spec = importlib.util.spec_from_file_location("client_fidelity", ROOT / "benchmarks" / "client_fidelity.py")
assert _spec and _spec.loader
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)
import client_sets  # noqa: E402


def test_the_files_intent_list_is_the_clients() -> None:
    assert set(get_args(sets.AdvisorIntent)) == set(INTENTS)


def test_a_missing_blind_file_is_said_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["probes", "--sets", str(tmp_path)]) == 2
    assert "Jeu introuvable" in capsys.readouterr().out


def test_intents_part_scores_the_classifier_per_intent(tmp_path: Path) -> None:
    out = tmp_path / "f.json"
    assert bench.main(["intents", "--sets", str(FIXTURE), "--json", str(out)]) == 0
    figures = client_sets.run_intents(FIXTURE / "client-intents" / "turns.yaml", 0)
    assert figures["turns"] == 4 and set(figures["per_intent"]) == {
        "identification", "situation_question", "hold", "unclear"
    }  # fmt: skip


def test_probes_in_lines_mode_are_answered() -> None:
    figures = client_sets.run_probes(FIXTURE / "client-probes" / "probes.yaml", "lines", 0)
    assert figures["probes"] == 6 and figures["answered_pct"] == 100.0, figures


@pytest.mark.parametrize(
    ("expect", "any_of", "reply", "ok"),
    [
        ("identity", ["Fontaine"], "Lucas Fontaine.", True),
        ("identity", ["Fontaine"], "Mes enfants s'appellent Léo et Zoé.", False),
        ("corrects", ["hier"], "Non, c'était hier soir.", True),
        ("corrects", ["hier"], "Oui, c'était ce matin.", False),
        ("confirms", [], "Oui, c'est bien ça.", True),
        ("anything_else", [], "Non, ce sera tout, merci.", True),
        ("anything_else", [], "Oui, est-ce que vous assurez les bateaux ?", False),
        ("waits", [], "D'accord, j'attends.", True),
        ("waits", [], "Vous pouvez me dire combien ça coûte ?", False),
        ("goodbye", [], "Merci, au revoir.", True),
    ],
)
def test_answered_rules(expect: str, any_of: list[str], reply: str, ok: bool) -> None:
    probe = sets.Probe(id="p", scenario="s", advisor="?", intent="greeting", expect=expect, any_of=any_of)
    assert client_sets.answered(probe, reply) is ok


def test_audit_report_reads_labels_and_compares_the_guards(tmp_path: Path) -> None:
    figures = client_sets.run_audit_report(FIXTURE / "client-audit")
    assert figures["by_reading"]["model"]["read"] == 3
    assert figures["by_reading"]["model"]["fallback"] == pytest.approx(33.3)
    assert figures["by_reading"]["lines"]["coherent"] == 100.0
    assert figures["detectors"]["role_break"]["recall"] == 1.0
    assert figures["detectors"]["invented_fact"]["by_reading"] == 1


def test_audit_write_generates_replies_for_the_reader(tmp_path: Path) -> None:
    figures = client_sets.run_audit_write(tmp_path, ["lines"], 2)
    replies = sets.load_audit_replies(tmp_path / "replies.yaml")
    assert figures["replies"] == len(replies) >= 10 and {r.mode for r in replies} == {"lines"}
    assert len({r.scenario for r in replies}) == 2 and all(r.reply for r in replies)


def test_a_named_set_or_a_file_is_measured_instead_of_the_default(tmp_path: Path) -> None:
    folder = tmp_path / "client-intents-9"
    folder.mkdir()
    (folder / "turns-9.yaml").write_text((FIXTURE / "client-intents" / "turns.yaml").read_text())
    assert sets.set_file("client-intents-9", "turns.yaml", tmp_path) == folder / "turns-9.yaml"
    out = tmp_path / "named.json"
    assert (
        bench.main(["intents", "--set", "client-intents-9", "--sets", str(tmp_path), "--json", str(out)]) == 0
    )
    by_file = tmp_path / "file.json"
    assert bench.main(["intents", "--file", str(folder / "turns-9.yaml"), "--json", str(by_file)]) == 0
    assert json.loads(out.read_text()) == json.loads(by_file.read_text())
    assert json.loads(out.read_text())["turns"] == len(sets.load_intent_turns(folder / "turns-9.yaml"))
