"""The simulated client: the director decides what to say, the model phrases it, the guards check it.

Streaming is sentence by sentence: each complete sentence is checked before it is shown, so the
trainee never sees a broken sentence and the first one appears after ~1-2 s on the embedded
model. A sentence that fails ends the reply there if something was already shown; otherwise the
reply is regenerated once with a corrective instruction, then replaced by an in-character line.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any, Protocol

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from bot.director import Director, DirectorState
from bot.guards import GuardContext, Problem, carries, check_sentence, strip_prefix
from crca.lexicons import load_lexicon
from crca.llm import LLMError, stream_text
from crca.prompts import render_prompt
from crca.text import stream_sentences as split_sentences
from crca.text import words as normalize
from domain.transcript import CHANNEL_LABELS_FR, Channel, Speaker, Transcript
from scenarios.models import PATH_LABELS_FR, PRODUCT_LABELS_FR, Scenario

MAX_TOKENS = 120
STOP = ["\nConseiller", "\nConseillère", "\nAgent :", "Conseiller :", "<|im_end|>"]
LOOKUP_TOPICS = load_lexicon("bot", "simulator")["lookup_topics"]


class ConditionSearch(Protocol):
    """The part of `knowledge.retriever.ConditionRetriever` the client uses."""

    def search(self, query: str, *, product: str | None = None, k: int = 5) -> list[Any]: ...


class ReplyOutcome(BaseModel):
    """How the last reply was produced, for the benchmark and logs."""

    text: str = ""
    attempts: int = Field(default=0, description="Model calls made.")
    problems: list[Problem] = Field(default_factory=list, description="What the guards rejected.")
    rejected: list[str] = Field(default_factory=list, description="The sentences rejected, verbatim.")
    fallback: bool = Field(default=False, description="An in-character line replaced the model's reply.")
    truncated: bool = Field(default=False, description="A later sentence failed; the shown part was kept.")
    completed: bool = Field(default=False, description="A due fact the model left out was appended.")
    first_piece_s: float | None = None
    total_s: float = 0.0


class ClientSimulator:
    """Plays the scenario's client; one instance per conversation or per benchmark run."""

    def __init__(self, scenario: Scenario, model: BaseChatModel, retriever: ConditionSearch | None = None):
        self.scenario = scenario
        self.model = model
        self.retriever = retriever
        self.director = Director(scenario)
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

    def messages(self, transcript: Transcript, state: DirectorState, excerpt: str = "") -> list[BaseMessage]:
        """Stable prefix (system prompt, history verbatim) then the advisor's words with the directive.

        The small model follows an instruction in the last user message far better than a trailing
        system message (measured); the prefix stays identical across turns for the prompt cache.
        """
        turns = list(transcript.turns)
        latest: list[str] = []
        while turns and turns[-1].speaker == Speaker.ADVISOR:  # several after a model error: answer all
            latest.insert(0, turns.pop().text)
        history: list[BaseMessage] = [SystemMessage(content=self.system_prompt)]
        for turn in turns:
            cls = AIMessage if turn.speaker == Speaker.CLIENT else HumanMessage
            history.append(cls(content=turn.text))
        directive = self.director.directive(state, advisor=" ".join(latest), excerpt=excerpt)
        history.append(HumanMessage(content=directive))
        return history

    def reply_stream(self, transcript: Transcript) -> Iterator[str]:
        """The client's next reply as checked sentences (the first carries no leading space)."""
        start = time.monotonic()
        state = self.director.state(transcript)
        excerpt = self._lookup(transcript)
        ctx = self.guard_context(transcript, state, excerpt)
        base = self.messages(transcript, state, excerpt)
        outcome = ReplyOutcome()
        messages, shown = base, []
        earlier = [t.text for t in transcript.turns if t.speaker == Speaker.CLIENT]
        # "Oui, merci." may come back; a whole sentence said before may not
        said = {n for x in split_sentences(" " + t for t in earlier) if len((n := normalize(x)).split()) >= 4}
        for _ in range(2):
            outcome.attempts += 1
            raw, rejected = "", False
            stream = stream_text(self.model, messages, max_tokens=MAX_TOKENS, stop=STOP)
            try:
                for sentence in split_sentences(stream):
                    raw += sentence + " "
                    cleaned = strip_prefix(sentence, self.scenario.persona.name) if not shown else sentence
                    if not cleaned or normalize(cleaned) in said | {normalize(x) for x in shown}:
                        continue  # small models repeat themselves: a sentence is said once per conversation
                    problems = check_sentence(cleaned, ctx)
                    if problems:
                        outcome.problems.extend(problems)
                        outcome.rejected.append(cleaned)
                        rejected = True
                        break
                    if outcome.first_piece_s is None:
                        outcome.first_piece_s = time.monotonic() - start
                    yield cleaned if not shown else " " + cleaned
                    shown.append(cleaned)
                    if len(shown) >= ctx.max_sentences:
                        break
            except LLMError:
                if not shown:
                    raise
                rejected = True  # the connection dropped mid-reply: keep the complete sentences shown
            finally:
                stream.close()
            if shown:
                outcome.truncated = rejected
                break
            if not rejected and not shown:
                outcome.problems.append(Problem(code="empty", detail="ta réponse était vide"))
            details = [p.detail for p in outcome.problems]
            retry = render_prompt("bot", "client_retry", problems=details, rejected=outcome.rejected)
            messages = [*base, AIMessage(content=raw.strip() or "…"), HumanMessage(content=retry)]
        if shown:
            for fact in self._missing_facts(" ".join(shown), transcript, state):
                outcome.completed = True  # the model skipped a due fact or objection: say it verbatim
                shown.append(fact)
                yield " " + fact
        else:
            outcome.fallback = True
            line = self.fallback_line(transcript, state)
            outcome.first_piece_s = time.monotonic() - start
            shown.append(line)
            yield line
        outcome.text = " ".join(shown)
        outcome.total_s = time.monotonic() - start
        self.last = outcome

    def fallback_line(self, transcript: Transcript, state: DirectorState) -> str:
        """In character and consistent with the directive: the due fact or objection, else a scenario line."""
        facts = self.director.facts_to_reveal(state)
        if facts:
            return " ".join(facts)
        if state.objection_now:
            return state.objection_now
        if state.wants_to_end:
            return render_prompt("bot", "client_goodbye")
        lines = self.scenario.fallback_lines
        said = [t.text for t in transcript.turns if t.speaker == Speaker.CLIENT]
        unused = [line for line in lines if line not in said]
        return unused[0] if unused else lines[len(said) % len(lines)]

    def _missing_facts(self, text: str, transcript: Transcript, state: DirectorState) -> list[str]:
        before = "\n".join([self.scenario.persona.situation, *(t.text for t in transcript.turns)])
        due = [*self.director.facts_to_reveal(state), *([state.objection_now] if state.objection_now else [])]
        return [f for f in due if not carries(text, f, before)]

    def guard_context(self, transcript: Transcript, state: DirectorState, excerpt: str = "") -> GuardContext:
        p = self.scenario.persona
        public = [
            p.name,
            str(p.age),
            p.situation,
            p.wants,
            self.scenario.opening_line,
            excerpt,
            *self.director.facts_known(state),
            *self.director.facts_to_reveal(state),
            *(t.text for t in transcript.turns),
        ]
        if state.objection_now:
            public.append(state.objection_now)
        return GuardContext(
            persona_name=p.name,
            locked_facts=self.director.locked_facts(state),
            solution=self.scenario.expected.solution,
            public_text="\n".join(public),
            written=self.scenario.channel in (Channel.CHAT, Channel.EMAIL),
            advisor_last=advisor[-1][1].text if (advisor := transcript.advisor_turns()) else "",
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
