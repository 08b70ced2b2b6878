"""The YAML rubric transcribes the referential faithfully and is internally consistent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crca.text import fold
from domain.transcript import ACTION_TYPES
from rubrics import Rubric
from rubrics.loader import DEFAULT_RUBRIC, RubricError, load_rubric

REFERENTIAL = Path(__file__).resolve().parents[1] / "rubrics" / "referentiel-cqp-crca.txt"

EXPECTED_IDS = [f"B1.{i}" for i in range(17)] + [f"B2.{i}" for i in range(11)]


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip()


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric()


@pytest.fixture(scope="module")
def referential() -> str:
    return _normalise(REFERENTIAL.read_text(encoding="utf-8"))


def test_28_criteria_in_referential_order(rubric: Rubric) -> None:
    assert [c.id for c in rubric.criteria] == EXPECTED_IDS
    assert all(c.bloc == int(c.id[1]) for c in rubric.criteria)


def test_loader_caches_and_accepts_an_explicit_path(rubric: Rubric) -> None:
    assert load_rubric() is rubric
    assert load_rubric(DEFAULT_RUBRIC) is rubric


@pytest.mark.parametrize("field", ["competency", "criterion"])
def test_texts_are_verbatim_fragments_of_the_referential(
    rubric: Rubric, referential: str, field: str
) -> None:
    for criterion in rubric.criteria:
        text = getattr(criterion, field)
        for fragment in text.split("[…]"):
            assert _normalise(fragment) in referential, f"{criterion.id}.{field}: {fragment[:60]!r}"


def test_known_quirks_are_kept(rubric: Rubric) -> None:
    assert rubric.get("B1.15").competency.startswith("Informier")
    assert "Identifier la solution technique" in rubric.get("B2.3").competency
    assert "cohérence" in rubric.get("B2.1").criterion and "contraintes" not in rubric.get("B2.1").criterion
    assert "contraintes particulières" in rubric.get("B2.2").criterion


def test_every_cue_compiles_and_every_action_exists(rubric: Rubric) -> None:
    for check in (k for c in rubric.criteria for k in c.checks):
        for cue in check.cues:
            re.compile(cue)
        assert set(check.actions) <= set(ACTION_TYPES), check.id


def test_every_detector_is_implemented(rubric: Rubric) -> None:
    from evaluation.detectors import DETECTORS

    used = {k.detector for c in rubric.criteria for k in c.checks if k.detector}
    assert used and used <= set(DETECTORS)


def test_conditional_criteria_have_situations(rubric: Rubric) -> None:
    conditional = {c.id for c in rubric.criteria if c.conditional}
    for cid in ["B1.4", "B1.5", "B1.11", "B2.4", "B2.9", "B2.10"]:
        assert cid in conditional
    for cid in ["B1.0", "B1.1", "B1.3", "B2.0"]:
        assert cid not in conditional


def test_every_criterion_has_tip_indicators_and_examples(rubric: Rubric) -> None:
    for c in rubric.criteria:
        assert c.tip and c.indicators and c.examples and c.title, c.id


def test_invalid_rubric_is_refused_with_its_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: x\nsource: y\ncriteria:\n- id: B1.1\n  bloc: 1\n", encoding="utf-8")
    with pytest.raises(RubricError, match="bad.yaml"):
        load_rubric(bad)


def test_bad_regex_and_dangling_condition_are_refused() -> None:
    from pydantic import ValidationError

    from rubrics import Check, Criterion

    with pytest.raises(ValidationError, match="régulière"):
        Check(id="B1.1.x", statement="s", role="behaviour", cues=["("])
    with pytest.raises(ValidationError, match="applies_if"):
        Criterion(
            id="B1.1", bloc=1, title="t", competency="c", criterion="k", tip="t",
            checks=[Check(id="B1.1.x", statement="s", role="behaviour", cues=["a"], applies_if="B1.1.y")],
        )  # fmt: skip


def test_every_bloc_has_its_title_in_the_rubric(rubric: Rubric, referential: str) -> None:
    assert sorted(rubric.blocs) == sorted({c.bloc for c in rubric.criteria}) == [1, 2]
    for number, title in rubric.blocs.items():  # the referential writes "Etablir" unaccented
        assert f"bloc {number} « {fold(title)} »" in fold(referential)
