"""One advisor sentence judged for each everyday-word fault, through the grader's own checks.

Why the same path: the fault benchmark must measure what grading does (cues, semantic
candidates, the model's one-word confirmation, the jargon detector), not a copy of it.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from domain.transcript import Speaker, Transcript, Turn
from evaluation.checks import CheckRunner
from evaluation.semantic import SemanticCandidates
from rubrics.loader import load_rubric
from rubrics.models import Rubric

FAULT_CHECKS: dict[str, str] = {
    "false_promise": "B1.0.false_promise",
    "pressure": "B1.0.pressure",
    "bank_details": "B1.0.bank_in_clear",
    "jargon": "B1.2.jargon",
    "curt": "B1.2.curt",
}
"""Fault kind of the labelled sentence file → the rubric check that finds it."""


class SentenceFaults:
    """Which faults one advisor sentence commits, as the grader would find them."""

    def __init__(
        self,
        model: BaseChatModel,
        *,
        rubric: Rubric | None = None,
        semantic: SemanticCandidates | None = None,
    ) -> None:
        rubric = rubric or load_rubric()
        self.checks = {kind: _check(rubric, cid) for kind, cid in FAULT_CHECKS.items()}
        self.model, self.semantic = model, semantic

    def faults(self, text: str, previous_client: str = "") -> list[str]:
        """The fault kinds found in `text` (an advisor turn answering `previous_client`)."""
        turns = [Turn(speaker=Speaker.CLIENT, text=previous_client)] if previous_client.strip() else []
        transcript = Transcript(id="phrase", turns=[*turns, Turn(speaker=Speaker.ADVISOR, text=text)])
        runner = CheckRunner(self.model, transcript, semantic=self.semantic)
        found = []
        for kind, check in self.checks.items():
            outcome = runner.run(check)
            if outcome is not None and outcome.result.passed is False:
                found.append(kind)
        return found


def _check(rubric: Rubric, check_id: str):  # type: ignore[no-untyped-def]
    criterion = rubric.get(check_id.rsplit(".", 1)[0])
    return next(c for c in criterion.checks if c.id == check_id)
