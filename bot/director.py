"""What the simulated client may say now, decided by rules so a small model only has to phrase it.

The state is a fold over the transcript's turns: a saved transcript is enough to rebuild it
after a page reload, and the live conversation and a resumed one always agree.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from bot.letters import letter_body
from crca.lexicons import load_lexicon
from crca.prompts import render_prompt
from crca.text import any_cue, has_cue
from crca.text import words as normalize
from domain.transcript import Channel, Speaker, Transcript, Turn
from scenarios.models import Scenario

QUESTION_OVERLAP = 2  # content words a question shares with a hidden fact to be asking about it
GENERIC_OFFERS = {"je vous propose", "je peux vous proposer", "nous pouvons vous proposer", "proposition",
                  "proposer", "propose"}  # fmt: skip
PRICE_WORDS = ["cher", "chere", "prix", "tarif", "cout", "coute", "cotisation", "payer", "budget"]
OBJECTED = {"proposal", "explanation"}  # what a client may object to
MOOD_LABELS_FR = {-2: "en colère", -1: "tendu, sur la défensive", 0: "neutre", 1: "rassuré", 2: "satisfait"}

_LEXICON = load_lexicon("bot", "director")
EMPATHY = _LEXICON["empathy"]
POLITENESS = _LEXICON["politeness"]
CLARITY = _LEXICON["clarity"]
JARGON = _LEXICON["jargon"]
CURT = _LEXICON["curt"]
PROPOSAL = _LEXICON["proposal"]
CLOSING = _LEXICON["closing"]
STOPWORDS = set(_LEXICON["stopwords"])


def content_words(text: str) -> set[str]:
    """Meaningful word stems (first 6 letters) for overlap measures."""
    return {w[:6] for w in re.findall(r"[a-z0-9]+", normalize(text)) if len(w) > 2 and w not in STOPWORDS}


def _amounts(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:[.,]\d+)?(?= ?(?:€|euros?)\b)", text))


def _tied(objection: str, offer: str, cues: list[str], subject: set[str] | None = None) -> bool:
    """The objection is about the offer: a cue or a word in common, no amount the offer does not name."""
    named, offered = _amounts(objection), _amounts(offer)
    if named and offered and not named & offered:
        return False
    if offered and any_cue(objection, PRICE_WORDS):  # a price offered, the price objected to
        return True
    shared = content_words(objection) & content_words(offer) - (
        subject or set()
    )  # the case's own words tie nothing
    return any(has_cue(offer, c) and has_cue(objection, c) for c in cues) or bool(shared)


class DirectorState(BaseModel):
    """Everything the rules decided after the turns seen so far."""

    advisor_turns: int = Field(default=0, description="Advisor turns seen.")
    mood: int = Field(default=0, ge=-2, le=2, description="-2 angry … +2 satisfied.")
    mood_reasons: list[str] = Field(default_factory=list, description="Why the mood moved at the last turn.")
    angry_streak: int = Field(default=0, description="Consecutive negative advisor turns at mood -2.")
    unlocked: list[str] = Field(default_factory=list, description="Hidden fact ids unlocked, in order.")
    reveal_now: list[str] = Field(default_factory=list, description="Fact ids to reveal in the next reply.")
    objections_raised: int = Field(default=0, description="How many persona objections were used.")
    objections_used: list[int] = Field(default_factory=list, description="Which ones, by index.")
    objection_now: str | None = Field(default=None, description="Objection to raise in the next reply.")
    proposal_now: bool = Field(default=False, description="The latest advisor turn proposes something.")
    question_ignored: bool = Field(default=False, description="The advisor did not answer the client.")
    open_question: list[str] = Field(
        default_factory=list, description="Content words of the client's last question, if any."
    )
    wants_to_end: bool = Field(default=False, description="The client closes in the next reply.")
    end_reason: str | None = Field(default=None, description="closing | scenario | max_turns | exasperated")
    awaiting_reply: bool = Field(default=False, description="The transcript ends with an advisor turn.")

    @property
    def mood_label(self) -> str:
        return MOOD_LABELS_FR[self.mood]


class Director:
    """Rules of one scenario: `state(transcript)` is a pure function of the turns."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario

    def initial(self) -> DirectorState:
        return DirectorState(mood=max(-2, min(2, getattr(self.scenario.persona, "initial_mood", 0))))

    def state(self, transcript: Transcript) -> DirectorState:
        """The state after every turn of `transcript` (the opening line included)."""
        state = self.initial()
        for i, turn in enumerate(transcript.turns):
            state = self.advance(state, turn, i + 1)
        return state

    def advance(self, state: DirectorState, turn: Turn, turns_so_far: int | None = None) -> DirectorState:
        """The state after one more turn; `turns_so_far` counts turns up to this one (for max_turns)."""
        s = state.model_copy(deep=True)
        if turn.speaker == Speaker.CLIENT:
            s.reveal_now, s.objection_now, s.proposal_now, s.awaiting_reply = [], None, False, False
            s.open_question = sorted(content_words(turn.text.rsplit("?", 1)[0])) if "?" in turn.text else []
            return s
        text = turn.text
        if not s.awaiting_reply:
            s.reveal_now = []
        s.advisor_turns += 1
        s.awaiting_reply = True
        intent = self._intent(text)
        cue_text = self._cue_text(text, intent)
        asked = content_words(cue_text) if intent == "situation_question" else set()
        for fact in self.scenario.hidden_facts:
            about = (
                len(asked & content_words(fact.content)) >= QUESTION_OVERLAP
            )  # asked in the fact's own words
            if fact.id not in s.unlocked and (any_cue(cue_text, fact.reveal_when) or about):
                s.unlocked.append(fact.id)
                s.reveal_now.append(fact.id)
        self._move_mood(s, text)
        self._objection(s, text, intent)
        self._end(s, letter_body(text), turns_so_far, intent)  # « Cordialement » signs every e-mail off
        return s

    @staticmethod
    def _intent(text: str) -> str:
        from bot.intents import shared_classifier  # imports this module's helpers

        return shared_classifier().classify(text).intent

    @staticmethod
    def _cue_text(text: str, intent: str) -> str:
        """On an identification request, its identity words unlock nothing: they are taken out."""
        from bot.intents import identity_words  # imports this module's helpers

        if intent != "identification":
            return text
        norm = normalize(text)
        for word in sorted(identity_words(), key=len, reverse=True):
            norm = re.sub(rf"(?<![a-z]){re.escape(word)}(s|x)?(?![a-z])", " ", norm)
        return norm

    def _move_mood(self, s: DirectorState, text: str) -> None:
        reasons: list[tuple[str, int]] = []
        empathic, polite = any_cue(text, EMPATHY), any_cue(text, POLITENESS)
        if empathic:
            reasons.append(("empathie", +1))
        elif polite and "?" in text:
            reasons.append(("politesse et question", +1))
        if any_cue(text, CLARITY):
            reasons.append(("explication claire", +1))
        jargon = sum(has_cue(text, j) for j in JARGON)
        if jargon >= 2 and not any_cue(text, CLARITY):
            reasons.append(("jargon", -1))
        words = len(normalize(text).split())
        if any_cue(text, CURT) or (words < 4 and "?" not in text and not polite and not empathic):
            reasons.append(("sécheresse", -1))
        s.question_ignored = (
            bool(s.open_question)
            and not (set(s.open_question) & content_words(text))
            and not empathic
            and "?" not in text
        )
        if s.question_ignored:
            reasons.append(("question ignorée", -1))
        delta = max(-2, min(1, sum(d for _, d in reasons)))
        s.mood_reasons = [r for r, _ in reasons]
        s.angry_streak = s.angry_streak + 1 if s.mood == -2 and delta < 0 else 0
        s.mood = max(-2, min(2, s.mood + delta))

    def _objection(self, s: DirectorState, text: str, intent: str) -> None:
        """An objection answers an offer or an explanation on its topic, never a question.

        Of the objections not raised yet, the first tied to what the advisor offers is raised: one
        sharing a cue or a word with the offer, and no amount it does not name (offered 62 € now and
        the rest later, a client does not object « 124 € d'un coup »). None tied, none raised.
        """
        cues = getattr(self.scenario.persona, "objection_cues", []) or PROPOSAL
        specific = [c for c in cues if c not in GENERIC_OFFERS]
        s.proposal_now = intent in OBJECTED and any_cue(text, cues)
        if not s.proposal_now or s.objection_now is not None:
            return
        objections = self.scenario.persona.objections
        left = [i for i in range(len(objections)) if i not in s.objections_used]
        subject = content_words(self.scenario.opening_line)
        tied = [i for i in left if _tied(objections[i], text, specific, subject)]
        if tied:
            s.objection_now = objections[tied[0]]
            s.objections_used.append(tied[0])
            s.objections_raised += 1

    def _end(self, s: DirectorState, text: str, turns_so_far: int | None, intent: str = "") -> None:
        if s.wants_to_end or intent == "hold":  # put on hold, the client waits: no goodbye now
            return
        if any_cue(text, CLOSING):
            s.wants_to_end, s.end_reason = True, "closing"
        elif any_cue(text, self.scenario.end.client_ends_when):
            s.wants_to_end, s.end_reason = True, "scenario"
        elif turns_so_far is not None and turns_so_far + 1 >= self.scenario.end.max_turns:
            s.wants_to_end, s.end_reason = True, "max_turns"
        elif s.angry_streak >= 3:
            s.wants_to_end, s.end_reason = True, "exasperated"

    def locked_facts(self, state: DirectorState) -> list[str]:
        """Contents the client must not give yet."""
        return [f.content for f in self.scenario.hidden_facts if f.id not in state.unlocked]

    def must_not_say(self, state: DirectorState) -> list[str]:
        """Locked facts and the expected solution: checked by the guards, never put in a prompt."""
        return [*self.locked_facts(state), self.scenario.expected.solution]

    def facts_to_reveal(self, state: DirectorState) -> list[str]:
        return [f.content for f in self.scenario.hidden_facts if f.id in state.reveal_now]

    def directive(self, state: DirectorState, advisor: str = "", content: str = "", excerpt: str = "",
                  hint: bool = False) -> str:  # fmt: skip
        """The advisor's words and what the next reply conveys, in French (the prompt's last message).

        `content` is decided per intent (`bot.client_content`); with `hint` (a strong model) it is
        material to phrase freely rather than a line to say.
        """
        return render_prompt(
            "bot", "client_directive", advisor=advisor, content=content, hint=hint,
            written=self.scenario.channel in (Channel.CHAT, Channel.EMAIL),
            mood=state.mood_label, reasons=state.mood_reasons, ignored=state.question_ignored,
            client_name=self.scenario.persona.name, excerpt=excerpt,
        )  # fmt: skip

    def facts_known(self, state: DirectorState) -> list[str]:
        """Facts already given in earlier replies: the client may repeat them."""
        return [
            f.content
            for f in self.scenario.hidden_facts
            if f.id in state.unlocked and f.id not in state.reveal_now
        ]
