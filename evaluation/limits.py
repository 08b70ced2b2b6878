"""Input limits on transcript files: size before reading, turn count and turn length after parsing.

Why separate from the parsers: every format shares the same bounds, and the size is checked
before a byte is read, so a 100 MB file costs nothing. The bounds come from `Settings.limits`.
"""

from __future__ import annotations

from pathlib import Path

from crca.settings import InputLimits
from domain.transcript import Transcript

__all__ = ["InputLimits", "check_file_size", "check_transcript"]


class InputLimitError(ValueError):
    """The transcript is over a limit: `reason` and `where` are French, as in TranscriptFormatError."""

    def __init__(self, reason: str, where: str = "") -> None:
        self.reason, self.where = reason, where
        super().__init__(reason)


def _hint(setting: str) -> str:
    return f"limite réglable : CRCA_LIMITS__{setting.upper()}"


def check_file_size(path: Path, limits: InputLimits) -> None:
    """Refuse a file larger than `max_file_bytes` without reading it."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise InputLimitError(
            f"fichier trop volumineux ({size / 1e6:.1f} Mo, au plus {limits.max_file_bytes / 1e6:.1f} Mo ; "
            f"{_hint('max_file_bytes')})"
        )


def check_transcript(transcript: Transcript, limits: InputLimits) -> None:
    """Refuse too many turns, or a turn longer than `max_turn_chars` (named by its 1-based number)."""
    if len(transcript.turns) > limits.max_turns:
        raise InputLimitError(
            f"trop de tours de parole ({len(transcript.turns)}, au plus {limits.max_turns} ; "
            f"{_hint('max_turns')})"
        )
    for number, turn in enumerate(transcript.turns, start=1):
        if len(turn.text) > limits.max_turn_chars:
            raise InputLimitError(
                f"tour trop long ({len(turn.text)} caractères, au plus {limits.max_turn_chars} ; "
                f"{_hint('max_turn_chars')})",
                where=f"tour {number}",
            )
