"""The simulated client: the director decides what to say, the model phrases it, the guards check it.

Per advisor turn: the intent is read (`bot.intents`), the content decided (`bot.client_content`),
then, by `phrasing`:
- `script` (the small embedded model): the model says the content in the persona's voice; a
  sentence that fails the guards is never shown, and the content lines themselves are shown instead;
- `hint` (a strong model on the `openai` backend): the content is material to phrase freely;
- `lines`: no model call, the content lines are the reply.
Streaming is sentence by sentence: each complete sentence is checked before it is shown.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any, Literal, Protocol

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from bot.client_content import ContentPlanner, ReplyPlan
from bot.coherence import advisor_names, vocabulary
from bot.director import Director, DirectorState
from bot.guards import GuardContext, Problem, carries, check_sentence, strip_prefix
from bot.intents import IntentClassifier, cue_intents, shared_classifier
from crca.lexicons import load_lexicon
from crca.llm import LLMError, ScriptedChatModel, stream_text
from crca.llm.embedded import MODEL_ALIAS
from crca.prompts import render_prompt
from crca.text import stream_sentences as split_sentences
from crca.text import words as normalize
from domain.transcript import CHANNEL_LABELS_FR, Channel, Speaker, Transcript
from scenarios.models import PATH_LABELS_FR, PRODUCT_LABELS_FR, Scenario

Phrasing = Literal["script", "hint", "lines"]
EMBEDDED_PHRASING: Phrasing = "lines"
"""On the embedded model the content lines are shown as decided: a blind reading found 85 % of them
coherent against 69 % of the model's phrasings of the same content (docs/client.md)."""
MAX_TOKENS = 120
STOP = ["\nConseiller", "\nConseillère", "\nAgent :", "Conseiller :", "<|im_end|>"]
LOOKUP_TOPICS = load_lexicon("bot", "simulator")["lookup_topics"]
COURTESY_WORDS = frozenset(load_lexicon("bot", "simulator")["courtesy_words"])
ASKING = {"identification", "situation_question", "reformulation", "proposal", "anything_else"}
"""Advisor intents that ask the client something: a bare courtesy does not answer them."""
IDENTITY_VALUES = ["birth_date", "address", "postcode", "claim_number", "phone", "email"]


def default_phrasing(model: BaseChatModel) -> Phrasing:
    """As configured (`CRCA_CLIENT__PHRASING`), else: the embedded model's default, a hint to any
    other model, and a script to the scripted test model (so tests drive the phrasing path)."""
    chosen = getattr(model, "crca_phrasing", None)
    if chosen:
        return chosen
    if isinstance(model, ScriptedChatModel):
        return "script"
    return EMBEDDED_PHRASING if getattr(model, "model_name", None) == MODEL_ALIAS else "hint"


class ConditionSearch(Protocol):
    """The part of `knowledge.retriever.ConditionRetriever` the client uses."""

    def search(self, query: str, *, product: str | None = None, k: int = 5) -> list[Any]: ...


class ReplyOutcome(BaseModel):
    """How the last reply was produced, for the benchmark and logs."""

    text: str = ""
    intent: str = Field(default="", description="The advisor intent the reply answers.")
    plan: list[str] = Field(default_factory=list, description="The content lines decided for the reply.")
    attempts: int = Field(default=0, description="Model calls made.")
    problems: list[Problem] = Field(default_factory=list, description="What the guards rejected.")
    rejected: list[str] = Field(default_factory=list, description="The sentences rejected, verbatim.")
    fallback: bool = Field(default=False, description="The content lines replaced the model's reply.")
    truncated: bool = Field(default=False, description="A later sentence failed; the shown part was kept.")
    completed: bool = Field(default=False, description="Content the model left out was appended.")
    first_piece_s: float | None = None
    total_s: float = 0.0


class ClientSimulator:
    """Plays the scenario's client; one instance per conversation or per benchmark run."""

    def __init__(
        self,
        scenario: Scenario,
        model: BaseChatModel | None,
        retriever: ConditionSearch | None = None,
        phrasing: Phrasing | None = None,
        classifier: IntentClassifier | None = None,
    ):
        self.scenario = scenario
        self.model = model
        self.retriever = retriever
        self.phrasing: Phrasing = phrasing or (default_phrasing(model) if model is not None else "lines")
        self.director = Director(scenario)
        self.planner = ContentPlanner(scenario)
        self.classifier = classifier or shared_classifier()
        self.last = ReplyOutcome()
        p = scenario.persona
        self.system_prompt = render_prompt(
            "bot", "client_system",
            client_name=p.name, age=p.age, situation=p.situation, temperament=p.temperament,
            speech_style=p.speech_style, wants=p.wants, company=scenario.client_file.company,
            product=PRODUCT_LABELS_FR[scenario.product], path=PATH_LABELS_FR[scenario.path],
            channel=scenario.channel.value, channel_label=CHANNEL_LABELS_FR[scenario.channel],
        )  # fmt: skip

    def opening(self) -> str:
        return self.scenario.opening_line

    def reply(self, transcript: Transcript) -> str:
        return "".join(self.reply_stream(transcript))

    def plan(self, transcript: Transcript, state: DirectorState | None = None) -> ReplyPlan:
        """What the next reply must convey, decided by rules from the transcript."""
        state = state or self.director.state(transcript)
        intent = self.classifier.classify(" ".join(_latest_advisor(transcript)))
        return self.planner.plan(transcript, state, intent)

    def messages(self, transcript: Transcript, state: DirectorState, plan: ReplyPlan,
                 excerpt: str = "") -> list[BaseMessage]:  # fmt: skip
        """Stable prefix (system prompt, history verbatim) then the advisor's words with the directive.

        The small model follows an instruction in the last user message far better than a trailing
        system message (measured); the prefix stays identical across turns for the prompt cache.
        """
        latest = _latest_advisor(transcript)
        history: list[BaseMessage] = [SystemMessage(content=self.system_prompt)]
        for turn in transcript.turns[: len(transcript.turns) - len(latest)]:
            cls = AIMessage if turn.speaker == Speaker.CLIENT else HumanMessage
            history.append(cls(content=turn.text))
        directive = self.director.directive(state, advisor=" ".join(latest), content=plan.text,
                                            excerpt=excerpt, hint=self.phrasing == "hint")  # fmt: skip
        history.append(HumanMessage(content=directive))
        return history

    def reply_stream(self, transcript: Transcript) -> Iterator[str]:
        """The client's next reply as checked sentences (the first carries no leading space)."""
        start = time.monotonic()
        state = self.director.state(transcript)
        plan = self.plan(transcript, state)
        outcome = ReplyOutcome(intent=plan.intent.intent, plan=plan.lines)
        shown: list[str] = []
        if self.phrasing != "lines" and self.model is not None:
            excerpt = self._lookup(transcript)
            ctx = self.guard_context(transcript, state, plan, excerpt)
            messages = self.messages(transcript, state, plan, excerpt)
            for piece in self._model_sentences(messages, ctx, transcript, outcome):
                if outcome.first_piece_s is None:
                    outcome.first_piece_s = time.monotonic() - start
                yield piece if not shown else " " + piece
                shown.append(piece)
        courtesy_only = set(normalize(" ".join(shown)).split()) <= COURTESY_WORDS
        if shown and plan.intent.intent in ASKING and courtesy_only:
            outcome.completed = True  # « Merci. » answers nothing the advisor asked: the content follows
            shown.extend(plan.lines)
            yield " " + " ".join(plan.lines)
        elif shown:
            for line in self._missing(" ".join(shown), plan, transcript):
                outcome.completed = True  # the model skipped content the turn asked for: say it as decided
                shown.append(line)
                yield " " + line
        else:
            outcome.fallback = self.phrasing != "lines"
            outcome.first_piece_s = time.monotonic() - start
            shown = list(plan.lines)
            yield " ".join(shown)
        outcome.text = " ".join(shown)
        outcome.total_s = time.monotonic() - start
        self.last = outcome

    def _model_sentences(self, messages: list[BaseMessage], ctx: GuardContext, transcript: Transcript,
                         outcome: ReplyOutcome) -> Iterator[str]:  # fmt: skip
        """Checked sentences of one model call; stops at the first that fails (nothing broken is shown)."""
        earlier = [t.text for t in transcript.turns if t.speaker == Speaker.CLIENT]
        # "Oui, merci." may come back; a whole sentence said before may not
        said = {n for x in split_sentences(" " + t for t in earlier) if len((n := normalize(x)).split()) >= 4}
        outcome.attempts += 1
        shown: list[str] = []
        stream = stream_text(self.model, messages, max_tokens=MAX_TOKENS, stop=STOP)
        try:
            for sentence in split_sentences(stream):
                cleaned = strip_prefix(sentence, self.scenario.persona.name) if not shown else sentence
                if not cleaned or normalize(cleaned) in said | {normalize(x) for x in shown}:
                    continue  # small models repeat themselves: a sentence is said once per conversation
                problems = check_sentence(cleaned, ctx)
                if problems:
                    outcome.problems.extend(problems)
                    outcome.rejected.append(cleaned)
                    outcome.truncated = bool(shown)
                    break
                shown.append(cleaned)
                yield cleaned
                if len(shown) >= ctx.max_sentences:
                    break
        except LLMError:
            if not shown:
                raise  # the model is unreachable: Conversation.retry() regenerates the reply
            outcome.truncated = bool(shown)  # the connection dropped: keep the complete sentences shown
        finally:
            stream.close()

    def _missing(self, text: str, plan: ReplyPlan, transcript: Transcript) -> list[str]:
        """Content lines whose data the shown reply does not carry."""
        before = "\n".join([self.scenario.persona.situation, *(t.text for t in transcript.turns)])
        norm = normalize(text)
        missing = []
        for line in plan.lines:
            items = [c for c in plan.must_carry if c == line or normalize(c) in normalize(line)]
            gone = [c for c in items if (normalize(c) not in norm if len(c.split()) <= 3
                                         else not carries(text, c, before))]  # fmt: skip
            if gone:
                missing.append(line)
        return missing

    def guard_context(self, transcript: Transcript, state: DirectorState, plan: ReplyPlan,
                      excerpt: str = "") -> GuardContext:  # fmt: skip
        s, p = self.scenario, self.scenario.persona
        known = [f.content for f in s.hidden_facts if f.id in state.unlocked]
        public = [p.name, str(p.age), p.situation, p.wants, s.opening_line, excerpt, *known, *plan.lines,
                  *(t.text for t in transcript.turns)]  # fmt: skip
        advisor = [t.text for t in transcript.turns if t.speaker == Speaker.ADVISOR]
        banned = advisor_names(advisor) - set(normalize(p.name).split())
        file = s.client_file
        words = vocabulary([*public, *(k.content for k in s.known_facts), file.company, file.client_summary,
                            *file.contracts, *file.past_claims, file.journey, s.identity.city,
                            s.identity.address, *(f.content for f in s.hidden_facts)]) - banned  # fmt: skip
        done = any({"explanation", "proposal"} & set(cue_intents(a)) for a in advisor[:-1])
        asked = set(plan.intent.asks)
        values = [getattr(s.identity, f) for f in IDENTITY_VALUES if f not in asked]
        if "contract_number" not in asked:
            values += s.identity.contract_numbers
        opening = normalize(s.opening_line + " " + (advisor[-1] if advisor else ""))
        return GuardContext(
            persona_name=p.name,
            locked_facts=self.director.locked_facts(state),
            solution=s.expected.solution,
            public_text="\n".join(public),
            written=s.channel in (Channel.CHAT, Channel.EMAIL),
            advisor_last=advisor[-1] if advisor else "",
            known_words=words,
            banned_names=banned,
            nothing_done=not done and plan.kind not in ("accept", "hesitate", "goodbye"),
            unasked=[v for v in values if v and normalize(v) not in opening],
            name_asked="name" in asked,
            verdict=plan.kind if plan.kind in ("confirm", "correct") else "",
        )

    def _lookup(self, transcript: Transcript) -> str:
        """A short excerpt of the client's own conditions when the advisor talks about cover."""
        advisor = transcript.advisor_turns()
        if self.retriever is None or not advisor:
            return ""
        text = advisor[-1][1].text
        if not any(topic in normalize(text) for topic in LOOKUP_TOPICS):
            return ""
        try:
            hits = self.retriever.search(text, product=self.scenario.product.value, k=1)
        except Exception:  # the lookup only helps consistency; a broken index must not stop the client
            return ""
        if not hits:
            return ""
        excerpt = re.sub(r"\s+", " ", str(getattr(hits[0], "text", ""))).strip()
        return excerpt[:280] + ("…" if len(excerpt) > 280 else "")


def _latest_advisor(transcript: Transcript) -> list[str]:
    """The advisor's turns since the client last spoke (several after a model error: answer all)."""
    latest: list[str] = []
    for turn in reversed(transcript.turns):
        if turn.speaker != Speaker.ADVISOR:
            break
        latest.insert(0, turn.text)
    return latest
