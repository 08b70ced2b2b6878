"""`crca scenarios list` and `crca scenarios validate` as a user sees them."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.library import load_scenarios
from webapp.cli import main


def test_list_prints_a_french_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "list"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:5] == ["identifiant", "produit", "parcours", "canal", "diff."]
    for scenario_id in load_scenarios():
        assert scenario_id in out
    assert f"{len(load_scenarios())} scénario(s)." in out


def test_list_filters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "list", "--product", "auto", "--channel", "phone"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:-2]
    expected = [s for s in load_scenarios().values() if s.product == "auto" and s.channel == "phone"]
    assert len(rows) == len(expected) >= 1
    assert all(" auto " in row and " phone " in row for row in rows)


def test_list_with_no_match(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "list", "--product", "vie", "--path", "sinistre", "--difficulty", "1"]) == 0
    assert "Aucun scénario" in capsys.readouterr().out


def test_validate_a_good_file(capsys: pytest.CaptureFixture[str]) -> None:
    good = next(iter(load_scenarios()))
    assert main(["scenarios", "validate", f"scenarios/cases/{good}.yaml"]) == 0
    assert capsys.readouterr().out.startswith("OK")


def test_validate_reports_file_field_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "mauvais.yaml"
    bad.write_text("id: mauvais\ntitle: Titre\nproduct: moto\n", encoding="utf-8")
    assert main(["scenarios", "validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}: product (ligne 3): valeur « moto » invalide" in out
    assert f"{bad}: persona: champ obligatoire manquant" in out
    assert "problème(s) dans 1 fichier(s)" in out
