"""Runs one atomic check: logged actions, a detector, lexical cues, then (if needed) the model.

Why this order: the cheap, deterministic sources decide most checks; the model is only
asked to confirm a statement over a few candidate turns, and a "oui" counts only with a
quote found verbatim in one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from bot.transcript import ACTION_TYPES, CHANNEL_LABELS_FR, Speaker, Transcript
from crca.llm import LLMError, structured_call
from crca.prompts import render_prompt
from evaluation.candidates import Candidate, find_candidates, neutralise_injections, sentence_around
from evaluation.detectors import DETECTORS, DetectorInput, FactChecker
from evaluation.evidence import is_verbatim, locate
from evaluation.models import CheckResult, Evidence
from rubrics.models import Check

SPEAKERS_FR = {Speaker.ADVISOR: "Conseiller", Speaker.CLIENT: "Client"}


class CheckAnswer(BaseModel):
    """The model's reply to one check; the explanation comes before the answer."""

    evidence_turn: int | None = Field(
        description="Numéro du passage candidat qui prouve l'affirmation, ou null."
    )
    quote: str = Field(default="", description="Extrait copié mot pour mot de ce passage.")
    explanation: str = Field(description="Une phrase courte justifiant la réponse.")
    answer: Literal["oui", "non"] = Field(description="'oui' si l'affirmation est vraie, sinon 'non'.")


@dataclass
class CheckOutcome:
    result: CheckResult
    articles: list[str] = field(default_factory=list)
    dropped_quotes: int = 0
    model_calls: int = 0


def transcript_block(transcript: Transcript) -> str:
    """The transcript as the identical prefix of every call (already neutralised)."""
    lines = [f"[{i}] {SPEAKERS_FR[t.speaker]} : {t.text}" for i, t in enumerate(transcript.turns)]
    actions = "; ".join(f"{ACTION_TYPES.get(a.type, a.type)} ({a.detail})" if a.detail
                        else ACTION_TYPES.get(a.type, a.type) for a in transcript.actions)  # fmt: skip
    return render_prompt(
        "evaluation", "transcript", channel=CHANNEL_LABELS_FR[transcript.channel],
        context=transcript.context or "(aucun)", lines=lines, actions=actions or "(aucune)",
    )  # fmt: skip


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
        self.block = transcript_block(self.transcript)
        self.system = render_prompt("evaluation", "system")
        self.detector_input = DetectorInput(self.transcript, self.excluded, fact_checker)
        self._memo: dict[tuple[str, tuple[int, ...]], CheckOutcome] = {}

    def run(self, check: Check, *, allow_model: bool = True) -> CheckOutcome | None:
        """The outcome of `check`, or None when only the model could tell and it is not allowed."""
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
            outcome.dropped_quotes, outcome.model_calls = reply.dropped, reply.calls
        return outcome

    def _outcome(
        self, check: Check, holds: bool, source: str, evidence: list[Evidence], note: str
    ) -> CheckOutcome:
        """A result where `holds` says whether the statement is true (negative checks pass when false)."""
        passed = holds != check.negative
        return CheckOutcome(CheckResult(check_id=check.id, passed=passed, source=source,
                                        evidence=evidence if holds else [], note=note))  # fmt: skip

    def _cue_sentence(self, candidates: list[Candidate], turn: int | None) -> Evidence | None:
        """The sentence holding the cue match of the candidate turn the model designated."""
        for c in candidates:
            if c.turn == turn:
                quote = sentence_around(self.transcript.turns[c.turn].text, *c.span)
                evidence = Evidence(turn=c.turn, quote=quote)
                return evidence if is_verbatim(self.original, evidence) else None
        return None

    def _ask(self, candidates: list[Candidate], statement: str) -> _Reply:
        turns = self.transcript.turns
        shown = [{"turn": c.turn, "speaker": SPEAKERS_FR[turns[c.turn].speaker], "text": turns[c.turn].text}
                 for c in candidates]  # fmt: skip
        question = render_prompt(
            "evaluation", "check", transcript=self.block, statement=statement, candidates=shown
        )
        messages = [SystemMessage(content=self.system), HumanMessage(content=question)]
        allowed = [c.turn for c in candidates]
        votes: list[tuple[Evidence | None, str]] = []
        dropped = 0
        for _ in range(self.samples):
            try:
                answer = structured_call(self.model, messages, CheckAnswer, retries=self.retries)
            except LLMError as exc:
                return _Reply(None, [], f"Échec du modèle : {exc}", dropped, len(votes) + 1)
            evidence = None
            if answer.answer == "oui":
                evidence = locate(self.original, answer.quote, answer.evidence_turn, allowed)
                if evidence is None and not answer.quote.strip():
                    # The small model often points at the right turn but leaves the quote empty:
                    # the cue's sentence in that turn is then the (verbatim) proof. A quote it
                    # made up is another matter: dropped, counted, and the answer is "non".
                    evidence = self._cue_sentence(candidates, answer.evidence_turn)
                dropped += evidence is None and bool(answer.quote.strip())
            votes.append((evidence, answer.explanation.strip()))
        yes = [v for v in votes if v[0] is not None]
        if 2 * len(yes) > len(votes):
            evidence, why = yes[0]
            assert evidence is not None
            return _Reply(
                True,
                [evidence],
                f"Confirmé par le modèle (tour {evidence.turn + 1}) : {why}",
                dropped,
                len(votes),
            )
        why = votes[0][1]
        if dropped:
            note = f"Citation introuvable dans la transcription, écartée : réponse comptée « non ». {why}"
        else:
            note = f"Non confirmé par le modèle : {why}"
        return _Reply(False, [], note, dropped, len(votes))


@dataclass
class _Reply:
    """What the model said about a statement (memoised: sibling checks may share it)."""

    holds: bool | None
    evidence: list[Evidence]
    note: str
    dropped: int
    calls: int
