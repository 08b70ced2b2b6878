"""A strong model asked over all of the advisor's turns, for checks whose cues found nothing.

Why: cues cap recall to the wordings someone thought of. A small model cannot be trusted with a
whole transcript, a strong one can; so with the `openai` backend a check without cue candidates is
put to the model over every turn in its scope, and a "true" counts only with a quote found
verbatim in the turn it names (the quote is cut from the original transcript).
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from crca.llm import LLMError
from crca.llm.structured import structured_call
from crca.prompts import render_prompt
from domain.grades import Evidence
from domain.transcript import Speaker, Transcript
from evaluation.evidence import find_in_turn

_SPEAKERS_FR = {Speaker.ADVISOR: "Conseiller", Speaker.CLIENT: "Client"}


class ScanReply(BaseModel):
    """The model's answer about one statement over the turns shown."""

    explanation: str = Field(description="Une phrase : pourquoi l'affirmation est vraie ou fausse.")
    holds: bool = Field(description="true si l'affirmation est vraie d'après les tours montrés.")
    turn: int | None = Field(default=None, description="Numéro du tour qui le prouve, si vraie.")
    quote: str = Field(default="", description="Phrase recopiée mot pour mot de ce tour, si vraie.")


class ScanResult(BaseModel):
    holds: bool | None = Field(description="None when the model failed after its retry.")
    evidence: list[Evidence] = Field(default_factory=list)
    note: str


def scan_turns(
    model: BaseChatModel, system: str, statement: str, shown: Transcript, original: Transcript,
    turns: list[int], *, retries: int = 1,
) -> ScanResult:  # fmt: skip
    """Ask whether `statement` holds over `turns` of `shown`; a yes needs a verbatim quote."""
    listed = [
        {"turn": i, "speaker": _SPEAKERS_FR[shown.turns[i].speaker], "text": shown.turns[i].text}
        for i in turns
    ]
    question = render_prompt("evaluation", "scan", statement=statement, turns=listed)
    messages = [SystemMessage(content=system), HumanMessage(content=question)]
    try:
        reply = structured_call(model, messages, ScanReply, retries=retries)
    except LLMError as exc:
        return ScanResult(holds=None, note=f"Échec du modèle : {exc}")
    if not reply.holds:
        return ScanResult(
            holds=False, note=f"Non constaté par le modèle sur tous les tours : {reply.explanation}"
        )
    evidence = (
        find_in_turn(original, reply.turn, reply.quote)
        if reply.turn is not None and reply.turn in turns
        else None
    )
    if evidence is None:
        note = "Affirmé par le modèle sans citation retrouvée mot pour mot : compté « non »."
        return ScanResult(holds=False, note=note)
    return ScanResult(
        holds=True, evidence=[evidence], note=f"Constaté par le modèle au tour {reply.turn + 1}."
    )
