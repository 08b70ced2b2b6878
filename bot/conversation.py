"""One practice conversation: the object the web app and `crca chat` drive.

The transcript is the only state that matters: the director's state is rebuilt from it, so a
conversation resumed from a saved transcript behaves exactly like the live one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from bot.director import DirectorState
from bot.simulator import ClientSimulator
from domain.transcript import Action, Speaker, Transcript, Turn
from scenarios.models import Scenario

END_REASONS_FR = {
    "closing": "le conseiller a conclu l'échange",
    "scenario": "la situation du client est réglée",
    "max_turns": "nombre maximal de tours atteint",
    "exasperated": "le client, excédé, a mis fin à l'échange",
}


class Conversation:
    """A scenario played turn by turn; `send` streams the client's reply and records both turns."""

    def __init__(self, scenario: Scenario, simulator: ClientSimulator, transcript: Transcript | None = None):
        self.scenario = scenario
        self.simulator = simulator
        self.transcript = transcript or Transcript(
            id=str(uuid.uuid4()),
            channel=scenario.channel,
            context=scenario.brief(),
            scenario_id=scenario.id,
            turns=[Turn(speaker=Speaker.CLIENT, text=simulator.opening())],
        )
        self.state: DirectorState = simulator.director.state(self.transcript)
        self.transcript.revealed_facts = list(self.state.unlocked)

    @property
    def awaiting_reply(self) -> bool:
        """The last advisor turn has no reply yet (a model error interrupted it): call `retry`."""
        return bool(self.transcript.turns) and self.transcript.turns[-1].speaker == Speaker.ADVISOR

    @property
    def ended(self) -> bool:
        """The client has said goodbye, or the turn limit is reached."""
        if len(self.transcript.turns) >= self.scenario.end.max_turns and not self.awaiting_reply:
            return True
        return self.state.wants_to_end and not self.awaiting_reply

    @property
    def end_reason(self) -> str | None:
        """closing | scenario | max_turns | exasperated, once ended."""
        if not self.ended:
            return None
        return self.state.end_reason or "max_turns"

    def send(self, advisor_text: str) -> Iterator[str]:
        """Record the advisor's turn now and return the stream of the client's reply."""
        text = advisor_text.strip()
        if not text:
            raise ValueError("Message vide : écrivez votre réponse au client avant d'envoyer.")
        if self.ended:
            raise ValueError("La conversation est terminée : le client a mis fin à l'échange.")
        self._append(Turn(speaker=Speaker.ADVISOR, text=text))
        return self._reply()

    def retry(self) -> Iterator[str]:
        """Regenerate the reply missing after a model error (the advisor's turn was kept)."""
        if not self.awaiting_reply:
            raise ValueError("Aucune réponse du client à relancer.")
        return self._reply()

    def record_action(self, type: str, detail: str = "") -> Action:
        """A back-office operation, placed after the last turn so far."""
        action = Action(type=type.strip(), detail=detail.strip(), after_turn=len(self.transcript.turns) - 1)
        self.transcript.actions.append(action)
        return action

    def _reply(self) -> Iterator[str]:
        pieces: list[str] = []
        for piece in self.simulator.reply_stream(self.transcript):
            pieces.append(piece)
            yield piece
        self._append(Turn(speaker=Speaker.CLIENT, text="".join(pieces).strip()))

    def _append(self, turn: Turn) -> None:
        self.transcript.turns.append(turn)
        self.state = self.simulator.director.advance(self.state, turn, len(self.transcript.turns))
        # The grader's case key reads what was revealed from the transcript, not the simulator.
        self.transcript.revealed_facts = list(self.state.unlocked)
