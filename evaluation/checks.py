"""Runs one atomic check: logged actions, a detector, lexical cues, then (if needed) the model.

Why this order: the cheap, deterministic sources decide most checks; the model is only
asked a yes/no question about a statement over a few candidate turns, and a "oui" is proved
by a cue sentence of those turns, verbatim in the original transcript.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from crca.llm import LLMError, yes_no_call
from crca.prompts import render_prompt
from crca.text import sentence_around
from domain.grades import CheckResult, Evidence
from domain.transcript import ACTION_TYPES, Speaker, Transcript
from evaluation.candidates import REMOVED, Candidate, find_candidates, neutralise_injections
from evaluation.detectors import DETECTORS, DetectorInput, FactChecker
from evaluation.evidence import find_in_turn
from rubrics.models import Check

SPEAKERS_FR = {Speaker.ADVISOR: "Conseiller", Speaker.CLIENT: "Client"}


@dataclass
class CheckOutcome:
    result: CheckResult
    articles: list[str] = field(default_factory=list)
    model_calls: int = 0


class CheckRunner:
    """Runs checks on one transcript; model answers are memoised per (statement, candidates)."""

    def __init__(
        self,
        model: BaseChatModel,
        transcript: Transcript,
        *,
        fact_checker: FactChecker | None = None,
        samples: int = 1,
        max_candidates: int = 4,
        retries: int = 1,
    ) -> None:
        self.model, self.original = model, transcript
        self.samples, self.max_candidates, self.retries = samples, max_candidates, retries
        # Evaluator-addressed text is data, never instruction nor proof: the model and the
        # cues see a neutralised copy; quotes are still verified against the original.
        self.transcript, self.excluded = neutralise_injections(transcript)
        self.system = render_prompt("evaluation", "system")
        self.detector_input = DetectorInput(self.transcript, self.excluded, fact_checker)
        self._memo: dict[tuple[str, tuple[int, ...]], CheckOutcome] = {}

    def run(self, check: Check, *, allow_model: bool = True) -> CheckOutcome | None:
        """The outcome of `check`, or None when only the model could tell and it is not allowed.

        Quotes are cut from the neutralised copy, then anchored in the original transcript:
        a quote that cannot be found there verbatim is not shown."""
        outcome = self._run(check, allow_model)
        if outcome is not None and outcome.result.evidence:
            anchored = [a for e in outcome.result.evidence if (a := self._anchor(e)) is not None]
            outcome.result = outcome.result.model_copy(update={"evidence": anchored})
        return outcome

    def _anchor(self, evidence: Evidence) -> Evidence | None:
        """The same quote cut out of the original turn (whitespace as written there), without
        the marker left where evaluator-addressed text was removed; None if not found."""
        return find_in_turn(self.original, evidence.turn, evidence.quote.replace(REMOVED, "").strip())

    def _run(self, check: Check, allow_model: bool) -> CheckOutcome | None:
        logged = [a for a in self.transcript.actions if a.type in check.actions]
        if logged:
            labels = ", ".join(
                ACTION_TYPES.get(a.type, a.type) + (f" ({a.detail})" if a.detail else "") for a in logged
            )
            return self._outcome(check, True, "actions", [], f"Action enregistrée : {labels}.")
        if check.detector:
            found = DETECTORS[check.detector](check, self.detector_input)
            if found is None:
                note = "Vérification impossible : aucun vérificateur des conditions du contrat n'est branché."
                return CheckOutcome(
                    CheckResult(check_id=check.id, passed=None, source="unavailable", note=note)
                )
            return CheckOutcome(found.result, found.articles)
        candidates = find_candidates(self.transcript, check, self.excluded, self.max_candidates)
        if not candidates:
            return self._outcome(
                check, False, "cues", [], "Aucun passage ne correspond aux indices attendus."
            )
        if not check.confirm:
            first = candidates[0]
            quote = sentence_around(self.transcript.turns[first.turn].text, *first.span)
            note = f"Indice relevé au tour {first.turn + 1}."
            return self._outcome(check, True, "cues", [Evidence(turn=first.turn, quote=quote)], note)
        if not allow_model:
            return None
        key = (check.statement, tuple(c.turn for c in candidates))
        fresh = key not in self._memo
        if fresh:
            self._memo[key] = self._ask(candidates, check.statement)
        reply = self._memo[key]
        if reply.holds is None:
            outcome = CheckOutcome(
                CheckResult(check_id=check.id, passed=None, source="error", note=reply.note)
            )
        else:
            outcome = self._outcome(check, reply.holds, "model", reply.evidence, reply.note)
        if fresh:
            outcome.model_calls = reply.calls
        return outcome

    def _outcome(
        self, check: Check, holds: bool, source: str, evidence: list[Evidence], note: str
    ) -> CheckOutcome:
        """A result where `holds` says whether the statement is true (negative checks pass when false)."""
        passed = holds != check.negative
        return CheckOutcome(CheckResult(check_id=check.id, passed=passed, source=source,
                                        evidence=evidence if holds else [], note=note))  # fmt: skip

    def _cue_sentence(self, candidates: list[Candidate]) -> Evidence | None:
        """The cue sentence of the candidate matching the most cues that reads verbatim in the
        original (a sentence touching neutralised text would not)."""
        for c in sorted(candidates, key=lambda c: (-c.score, c.turn)):
            quote = sentence_around(self.transcript.turns[c.turn].text, *c.span)
            evidence = self._anchor(Evidence(turn=c.turn, quote=quote))
            if evidence is not None:
                return evidence
        return None

    def _ask(self, candidates: list[Candidate], statement: str) -> _Reply:
        turns = self.transcript.turns
        shown = [{"turn": c.turn, "speaker": SPEAKERS_FR[turns[c.turn].speaker], "text": turns[c.turn].text}
                 for c in candidates]  # fmt: skip
        question = render_prompt("evaluation", "check", statement=statement, candidates=shown)
        messages = [SystemMessage(content=self.system), HumanMessage(content=question)]
        votes: list[bool] = []
        for _ in range(self.samples):
            try:
                votes.append(yes_no_call(self.model, messages, retries=self.retries))
            except LLMError as exc:
                return _Reply(None, [], f"Échec du modèle : {exc}", len(votes) + 1)
        if 2 * sum(votes) <= len(votes):
            return _Reply(False, [], "Non confirmé par le modèle sur les passages candidats.", len(votes))
        # The model answers about the candidates as a whole: the proof shown is the sentence
        # of the strongest cue match.
        evidence = self._cue_sentence(candidates)
        if evidence is None:
            note = "Confirmé par le modèle, mais sans phrase lisible mot pour mot : compté « non »."
            return _Reply(False, [], note, len(votes))
        note = f"Confirmé par le modèle sur les passages candidats (preuve : tour {evidence.turn + 1})."
        return _Reply(True, [evidence], note, len(votes))


@dataclass
class _Reply:
    """What the model said about a statement (memoised: sibling checks may share it)."""

    holds: bool | None
    evidence: list[Evidence]
    note: str
    calls: int
