"""Every transcript shipped in the repository reads through the batch reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.formats import iter_transcript_files, load_transcript

REPO = Path(__file__).resolve().parents[1]
FILES = [
    p
    for p in iter_transcript_files(
        [
            REPO / "evaluation" / "sets" / "devset",
            REPO / "evaluation" / "sets" / "heldout",
            REPO / "evaluation" / "sets" / "testset",
            REPO / "tests" / "fixtures" / "transcripts",
        ]
    )
    if p.suffix == ".json" or p.parent.name == "transcripts"
]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_shipped_transcripts_load(path: Path) -> None:
    transcript = load_transcript(path)
    assert transcript.id == path.stem and transcript.advisor_turns()
