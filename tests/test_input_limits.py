"""Input limits: an oversized transcript is refused in French, named, and the rest of a batch goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crca.settings import InputLimits, load_settings
from domain.grades import GradeReport, GraderInfo
from domain.transcript import Transcript
from evaluation.batch import run_batch
from evaluation.formats import TranscriptFormatError, load_transcript


def _write(path: Path, turns: int, chars: int) -> Path:
    items = [
        {"speaker": "advisor" if i % 2 == 0 else "client", "text": ("Bonjour madame. " * chars)[:chars]}
        for i in range(turns)
    ]
    path.write_text(json.dumps({"id": path.stem, "turns": items}, ensure_ascii=False), encoding="utf-8")
    return path


def test_each_limit_is_named_in_french(tmp_path: Path) -> None:
    limits = InputLimits(max_file_bytes=5_000, max_turns=10, max_turn_chars=200)
    load_transcript(_write(tmp_path / "ok.json", 10, 200), limits)  # at every bound: accepted

    with pytest.raises(TranscriptFormatError, match="trop de tours de parole \\(11, au plus 10"):
        load_transcript(_write(tmp_path / "tours.json", 11, 20), limits)
    with pytest.raises(TranscriptFormatError) as long_turn:
        load_transcript(_write(tmp_path / "long.json", 3, 201), limits)
    assert long_turn.value.where == "tour 1" and "201 caractères, au plus 200" in long_turn.value.reason
    big = _write(tmp_path / "gros.json", 4, 2_000)
    with pytest.raises(TranscriptFormatError, match="fichier trop volumineux") as too_big:
        load_transcript(big, limits)
    assert str(big) in str(too_big.value) and "CRCA_LIMITS__MAX_FILE_BYTES" in too_big.value.reason


def test_a_six_megabyte_transcript_is_refused_by_default_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "enorme.json", 400, 15_000)
    assert path.stat().st_size > 6_000_000
    monkeypatch.setattr(Path, "read_text", lambda *a, **k: pytest.fail("the file was read"))
    with pytest.raises(TranscriptFormatError, match="trop volumineux \\(6\\.0 Mo, au plus 1\\.0 Mo"):
        load_transcript(path)


def test_limits_come_from_the_settings(crca_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRCA_LIMITS__MAX_TURNS", "50")
    monkeypatch.setenv("CRCA_LIMITS__MAX_FILE_BYTES", "8000000")
    limits = load_settings().limits
    assert (limits.max_turns, limits.max_file_bytes, limits.max_turn_chars) == (50, 8_000_000, 8_000)


class CountingGrader:
    def __init__(self) -> None:
        self.graded: list[str] = []

    def grade(self, transcript: Transcript, progress: object = None) -> GradeReport:
        self.graded.append(transcript.id)
        return GradeReport(
            transcript_id=transcript.id,
            rubric_version="t",
            grader=GraderInfo(backend="scripted", model="x"),
            criteria=[],
        )


def test_batch_names_the_oversized_file_and_grades_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder / "a.json", 4, 50)
    over = _write(folder / "b.json", 30, 50)
    _write(folder / "c.json", 4, 50)
    grader = CountingGrader()
    outcome = run_batch(
        [folder], tmp_path / "out", grader, jobs=2, show_progress=False, limits=InputLimits(max_turns=20)
    )
    assert sorted(grader.graded) == ["a", "c"]
    assert [f.path for f in outcome.failed] == [str(over)]
    assert "trop de tours de parole" in outcome.failed[0].reason
    assert not (tmp_path / "out" / "b.json").exists()
