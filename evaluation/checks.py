"""Runs one atomic check: logged actions, a detector, lexical cues, then (if needed) the model.

Why this order: the cheap, deterministic sources decide most checks; the model is only
asked a yes/no question about a statement over a few candidate turns, and a "oui" is proved
by a cue sentence of those turns, verbatim in the original transcript.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from crca.llm import LLMError, yes_no_call
from crca.prompts import render_prompt
from crca.text import sentence_around
from domain.grades import CheckResult, Evidence
from domain.transcript import ACTION_TYPES, Speaker, Transcript
from evaluation.candidates import REMOVED, Candidate, find_candidates, neutralise_injections, scope_turns
from evaluation.case_checks import CASE_DETECTORS
from evaluation.case_key import CaseKey
from evaluation.detectors import DETECTORS, DetectorInput, FactChecker
from evaluation.evidence import find_in_turn
from evaluation.scan import scan_turns
from evaluation.semantic import SemanticCandidates
from rubrics.models import Check

SPEAKERS_FR = {Speaker.ADVISOR: "Conseiller", Speaker.CLIENT: "Client"}
ALL_DETECTORS = {**DETECTORS, **CASE_DETECTORS}
_NO_FACT_CHECKER = "Vérification impossible : aucun vérificateur des conditions du contrat n'est branché."
_NO_CASE = "Sans corrigé du cas sur ce point : vérification laissée de côté."


@dataclass
class CheckOutcome:
    result: CheckResult
    articles: list[str] = field(default_factory=list)
    model_calls: int = 0
    to_verify: list[str] = field(default_factory=list)


class CheckRunner:
    """Runs checks on one transcript; model answers are memoised per (statement, candidates)."""

    def __init__(
        self,
        model: BaseChatModel,
        transcript: Transcript,
        *,
        fact_checker: FactChecker | None = None,
        case: CaseKey | None = None,
        samples: int = 1,
        max_candidates: int = 4,
        retries: int = 1,
        semantic: SemanticCandidates | None = None,
        full_scan: bool = False,
    ) -> None:
        self.model, self.original = model, transcript
        self.samples, self.max_candidates, self.retries = samples, max_candidates, retries
        self.semantic, self.full_scan = semantic, full_scan
        # Evaluator-addressed text is data, never instruction nor proof: the model and the
        # cues see a neutralised copy; quotes are still verified against the original.
        self.transcript, self.excluded = neutralise_injections(transcript)
        self.system = render_prompt("evaluation", "system")
        self.detector_input = DetectorInput(self.transcript, self.excluded, fact_checker, case)
        self._memo: dict[tuple, _Reply] = {}

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
            found = ALL_DETECTORS[check.detector](check, self.detector_input)
            if found is None:
                note = _NO_CASE if check.detector in CASE_DETECTORS else _NO_FACT_CHECKER
                return CheckOutcome(
                    CheckResult(check_id=check.id, passed=None, source="unavailable", note=note)
                )
            return CheckOutcome(found.result, found.articles, to_verify=found.to_verify)
        cued = find_candidates(self.transcript, check, self.excluded, self.max_candidates)
        candidates = self._with_paraphrases(check, cued)
        if not candidates and self.full_scan and check.confirm:
            return self._scan(check) if allow_model else None
        if not candidates:
            return self._outcome(
                check, False, "cues", [], "Aucun passage ne correspond aux indices attendus."
            )
        if not check.confirm and cued:
            first = candidates[0]
            quote = sentence_around(self.transcript.turns[first.turn].text, *first.span)
            note = f"Indice relevé au tour {first.turn + 1}."
            return self._outcome(check, True, "cues", [Evidence(turn=first.turn, quote=quote)], note)
        if not allow_model:
            return None
        key = (check.statement, tuple(c.turn for c in candidates))
        return self._memoised(check, key, lambda: self._ask(candidates, check.statement))

    def _scan(self, check: Check) -> CheckOutcome:
        """The whole scope put to a strong model (no cue matched); memoised per statement."""
        turns = scope_turns(self.transcript, check.scope, self.excluded)

        def ask() -> _Reply:
            found = scan_turns(
                self.model, self.system, check.statement, self.transcript, self.original, turns,
                retries=self.retries,
            )  # fmt: skip
            return _Reply(found.holds, found.evidence, found.note, 1)

        return self._memoised(check, (check.statement, ("scan", *turns)), ask)

    def _memoised(self, check: Check, key: tuple, ask: Callable[[], _Reply]) -> CheckOutcome:
        """The model's reply for `key`, asked once per transcript (sibling checks share it)."""
        fresh = key not in self._memo
        if fresh:
            self._memo[key] = ask()
        reply = self._memo[key]
        if reply.holds is None:
            outcome = CheckOutcome(
                CheckResult(check_id=check.id, passed=None, source="error", note=reply.note)
            )
        else:
            outcome = self._outcome(check, reply.holds, "model", reply.evidence, reply.note)
        outcome.model_calls = reply.calls if fresh else 0
        return outcome

    def _with_paraphrases(self, check: Check, cued: list[Candidate]) -> list[Candidate]:
        """Cue candidates plus turns semantically close to the check's fault examples (everyday
        wording the cues miss), cue candidates first, within the candidate limit, in turn order."""
        if self.semantic is None:
            return cued
        seen = {c.turn for c in cued}
        close = [
            c for c in self.semantic.candidates(self.transcript, check, self.excluded) if c.turn not in seen
        ]
        return sorted([*cued, *close][: self.max_candidates], key=lambda c: c.turn)

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
