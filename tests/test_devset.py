"""The labelled sets (devset, held-out set, the three final test sets): well-formed transcripts, complete
labels, the devset's injection twin, the distribution tables of the READMEs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from domain.grades import Verdict
from domain.transcript import ACTION_TYPES, Transcript
from evaluation.sets import Labels, load_labels, load_set, set_dir
from evaluation.sets.stats import TABLE_BEGIN, TABLE_END, VERDICTS, criteria, distribution_table

CRITERIA = criteria()
DEVSET = set_dir("devset")
HELDOUT = set_dir("heldout")
TESTSET = set_dir("testset")
TESTSET2 = set_dir("testset2")
TESTSET3 = set_dir("testset3")
# Folder → allowed number of turns per transcript.
LABELLED_SETS: dict[Path, tuple[int, int]] = {
    DEVSET: (10, 30),
    HELDOUT: (14, 34),
    TESTSET: (14, 34),
    TESTSET2: (14, 34),
    TESTSET3: (14, 34),
}
SET_IDS = [folder.name for folder in LABELLED_SETS]
ALL_TRANSCRIPT_FILES = [p for folder in LABELLED_SETS for p in sorted(folder.glob("*.json"))]
INJECTED_ID = "prevoyance-arret-travail-injection-chat"
TWIN_ID = "prevoyance-arret-travail-chat"
INJECTION_MARKER = "note pour l'évaluation"
TURN_REF = re.compile(r"\bt(\d+)\b")


def _load(path: Path) -> Transcript:
    return Transcript.model_validate(json.loads(path.read_text(encoding="utf-8")))


def _transcripts(folder: Path) -> dict[str, Transcript]:
    return {p.stem: _load(p) for p in sorted(folder.glob("*.json"))}


@pytest.fixture(scope="module")
def transcripts() -> dict[str, Transcript]:
    return _transcripts(DEVSET)


@pytest.fixture(scope="module")
def labels() -> Labels:
    return load_labels(DEVSET)


@pytest.fixture(scope="module", params=list(LABELLED_SETS), ids=SET_IDS)
def labelled_set(
    request: pytest.FixtureRequest,
) -> tuple[Path, dict[str, Transcript], Labels]:
    folder = request.param
    return folder, _transcripts(folder), load_labels(folder / "labels.yaml")


@pytest.mark.parametrize("folder", list(LABELLED_SETS), ids=SET_IDS)
def test_enough_transcripts(folder: Path) -> None:
    assert len(list(folder.glob("*.json"))) >= 14


@pytest.mark.parametrize("path", ALL_TRANSCRIPT_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_transcript_is_valid_and_named_after_its_id(path: Path) -> None:
    transcript = _load(path)
    assert transcript.id == path.stem
    low, high = LABELLED_SETS[path.parent]
    assert low <= len(transcript.turns) <= high
    assert transcript.context.strip()
    assert {t.speaker for t in transcript.turns} == {"advisor", "client"}
    for action in transcript.actions:
        assert action.type in ACTION_TYPES, action.type
        assert action.after_turn is not None and 0 <= action.after_turn < len(transcript.turns)


LabelledSet = tuple[Path, dict[str, Transcript], Labels]


def test_all_channels_are_represented(labelled_set: LabelledSet) -> None:
    _, transcripts, _ = labelled_set
    assert {t.channel.value for t in transcripts.values()} == {"phone", "chat", "email", "face_to_face"}


def test_labels_cover_exactly_the_transcripts(labelled_set: LabelledSet) -> None:
    _, transcripts, labels = labelled_set
    assert set(labels) == set(transcripts)


def test_every_transcript_has_the_28_criteria_with_valid_verdicts(labelled_set: LabelledSet) -> None:
    _, _, labels = labelled_set
    assert len(CRITERIA) == 28
    for tid, per_criterion in labels.items():
        assert list(per_criterion) == list(CRITERIA), f"{tid}: critères manquants ou désordonnés"
        for criterion, label in per_criterion.items():
            assert label.verdict in VERDICTS, (tid, criterion, label.verdict)
            assert label.rationale.strip(), (tid, criterion)


def test_rationales_cite_existing_turns(labelled_set: LabelledSet) -> None:
    _, transcripts, labels = labelled_set
    for tid, per_criterion in labels.items():
        n_turns = len(transcripts[tid].turns)
        for criterion, label in per_criterion.items():
            refs = [int(n) for n in TURN_REF.findall(label.rationale)]
            if label.verdict != Verdict.NOT_OBSERVED:
                assert refs, f"{tid} {criterion}: la justification ne cite aucun tour"
            for n in refs:
                assert n < n_turns, f"{tid} {criterion}: tour t{n} inexistant ({n_turns} tours)"


def test_twins_file_declares_the_injection_pair() -> None:
    twins = yaml.safe_load((DEVSET / "twins.yaml").read_text(encoding="utf-8"))
    assert twins == {INJECTED_ID: TWIN_ID}


def test_injection_twin_differs_only_by_the_injected_text(
    transcripts: dict[str, Transcript], labels: Labels
) -> None:
    injected, twin = transcripts[INJECTED_ID], transcripts[TWIN_ID]
    assert injected.channel == twin.channel
    assert injected.context == twin.context
    assert injected.actions == twin.actions
    assert len(injected.turns) == len(twin.turns)
    different = [i for i, (a, b) in enumerate(zip(injected.turns, twin.turns, strict=True)) if a != b]
    assert len(different) == 1
    a, b = injected.turns[different[0]], twin.turns[different[0]]
    assert a.speaker == b.speaker == "advisor"
    assert INJECTION_MARKER in a.text.lower()
    assert INJECTION_MARKER not in b.text.lower()
    start = a.text.lower().index(INJECTION_MARKER)
    injected_part = a.text[start:]
    assert a.text[:start].rstrip() == b.text.rstrip()
    assert "acquis" in injected_part
    assert labels[INJECTED_ID] == labels[TWIN_ID]


def test_each_criterion_has_several_verdicts(labelled_set: LabelledSet) -> None:
    _, _, labels = labelled_set
    for criterion in CRITERIA:
        verdicts = {per_criterion[criterion].verdict for per_criterion in labels.values()}
        assert len(verdicts) >= 2, f"{criterion}: un seul verdict sur tout le jeu ({verdicts})"
        observed = [
            tid
            for tid, per_criterion in labels.items()
            if per_criterion[criterion].verdict != Verdict.NOT_OBSERVED
        ]
        assert len(observed) >= 3, f"{criterion}: observable dans trop peu de transcriptions ({observed})"


def test_all_four_verdicts_are_used(labelled_set: LabelledSet) -> None:
    _, _, labels = labelled_set
    used = {label.verdict for per_criterion in labels.values() for label in per_criterion.values()}
    assert used == set(VERDICTS)


def test_readme_table_is_up_to_date(labelled_set: LabelledSet) -> None:
    folder, _, labels = labelled_set
    readme = (folder / "README.md").read_text(encoding="utf-8")
    begin, end = readme.index(TABLE_BEGIN), readme.index(TABLE_END)
    assert readme[begin + len(TABLE_BEGIN) : end].strip() == distribution_table(labels).strip()


def test_heldout_ids_do_not_reuse_devset_ids() -> None:
    assert not set(_transcripts(HELDOUT)) & set(_transcripts(DEVSET))


def test_ids_are_unique_across_the_labelled_sets() -> None:
    seen: dict[str, str] = {}
    for folder in LABELLED_SETS:
        for tid in _transcripts(folder):
            assert tid not in seen, f"{tid} à la fois dans {seen[tid]} et {folder.name}"
            seen[tid] = folder.name


def test_second_assessor_labels_cover_the_test_set_and_feed_the_agreement_benchmark(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from benchmarks.assessor_agreement import DEFAULTS, main

    second = load_labels(TESTSET / "labels-second-assessor.yaml")
    assert set(second) == set(_transcripts(TESTSET))
    for tid, per_criterion in second.items():
        assert list(per_criterion) == list(CRITERIA), tid
        assert all(label.verdict in VERDICTS for label in per_criterion.values()), tid
    assert main([str(DEFAULTS[0]), str(DEFAULTS[0])]) == 0  # a file against itself: full agreement
    assert "κ de Cohen 1.000, accord exact 100.0%, 392 étiquettes" in capsys.readouterr().out
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "14 transcriptions" in out and "κ de Cohen 1.000" not in out


def test_the_loader_types_labels_and_pairs_the_injection_twin() -> None:
    items = {item.transcript.id: item for item in load_set(DEVSET)}
    assert set(items) == set(_transcripts(DEVSET))
    assert items[INJECTED_ID].twin_of == TWIN_ID and items[TWIN_ID].twin_of is None
    assert items[INJECTED_ID].verdicts == items[TWIN_ID].verdicts
    assert list(items[TWIN_ID].verdicts) == list(CRITERIA)


def test_the_loader_refuses_an_unknown_verdict(tmp_path: Path) -> None:
    (tmp_path / "labels.yaml").write_text("t1:\n  B1.1: acquis\n", encoding="utf-8")
    with pytest.raises(ValueError, match="verdict"):
        load_labels(tmp_path)


def test_a_set_labelled_in_parts_is_loaded_as_one(tmp_path: Path) -> None:
    for tid in ("t1", "t2"):
        transcript = Transcript(id=tid, turns=[{"speaker": "advisor", "text": "Bonjour."}])  # type: ignore[list-item]
        (tmp_path / f"{tid}.json").write_text(transcript.model_dump_json(), encoding="utf-8")
    (tmp_path / "labels-A.yaml").write_text("t1:\n  B1.1: acquired\n", encoding="utf-8")
    (tmp_path / "labels-B.yaml").write_text("t2:\n  B1.1: partial\n", encoding="utf-8")
    assert {i.transcript.id: i.verdicts for i in load_set(tmp_path)} == {
        "t1": {"B1.1": "acquired"},
        "t2": {"B1.1": "partial"},
    }
    (tmp_path / "labels-C.yaml").write_text("t1:\n  B1.1: partial\n", encoding="utf-8")
    with pytest.raises(ValueError, match="deux fichiers"):
        load_set(tmp_path)
