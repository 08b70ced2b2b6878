"""What the client answers, per advisor intent, as full French sentences in the persona's voice.

The director's state says what was earned (hidden facts, objection due, end); this module adds
what the turn asks (identity data, a known fact, a confirmation or a correction) and writes it
with the persona's own lines (`client_lines.yaml`). The model may rephrase these lines; when its
phrasing fails the guards, the lines themselves are shown.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from bot.director import DirectorState, any_cue, content_words, has_cue, normalize
from bot.guards import reveals, split_sentences
from bot.intents import AdvisorIntent
from bot.letters import letter_body
from bot.restatement import check, checkable, gist, kind_of, markers
from crca.text import fold
from domain.transcript import Channel, Speaker, Transcript
from scenarios.models import Scenario

PRODUCT_PREFIX = {"auto": "AU", "habitation": "HA", "sante": "SA", "prevoyance": "PR", "vie": "VI"}
WANTS_CUES = ["besoin", "attendez", "souhaitez", "voulez", "desirez", "objectif", "demande", "vous amene",
              "pourquoi appelez", "motif", "attentes"]  # fmt: skip
STARTERS = set(
    """le la les un une il elle on ce ca mon ma mes faire savoir pour votre en depuis nous dans sur
ils elles je j c l d qu personne tout rien si oui non notre nos lors""".split()
)
MIN_SOURCE_WORDS = 3  # « Bonjour, Lucas Fontaine. » restates nothing
FRAME = re.compile(r"^((oui|allô|allo|bonjour|bonsoir|madame|monsieur|euh|bon|je me permets de vous écrire"
                   r"( car| parce que)?|je vous (informe|signale) (que|qu'))[\s,.!…:]*)+",
                   re.IGNORECASE)  # fmt: skip
NOT_UNDERSTOOD = ("compris", "comprends", "repeter")
WHAT_HAPPENED = ["s'est-il passe", "s'est passe", "s'est produit", "racontez", "expliquez", "raconter",
                 "expliquer", "qu'est-ce qui", "situation", "de quoi s'agit-il"]  # fmt: skip


class ReplyPlan(BaseModel):
    """The content of the next reply, decided by rules."""

    intent: AdvisorIntent
    kind: str = Field(description="identity | facts | known | dont_know | wants | confirm | correct | "
                      "objection | accept | hesitate | understood | wait | no_more | pending | goodbye | "
                      "greeting | not_understood")  # fmt: skip
    lines: list[str] = Field(description="Full sentences, in the persona's voice; shown as is in lines mode.")
    must_carry: list[str] = Field(
        default_factory=list, description="Data the reply must contain (identity values, due facts)."
    )

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@cache
def _lines() -> dict[str, list[str]]:
    return yaml.safe_load((Path(__file__).parent / "client_lines.yaml").read_text(encoding="utf-8"))


def is_woman(scenario: Scenario) -> bool:
    """The client file names her « Mme Prénom … »."""
    first = scenario.persona.name.split()[0]
    return re.search(rf"\bMme\.? {re.escape(first)}", scenario.client_file.client_summary) is not None


class ContentPlanner:
    """`plan(transcript, state, intent)`: the reply's content for one advisor turn."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.woman = is_woman(scenario)

    def line(self, kind: str, turn: int, **values: object) -> str:
        variants = _lines()[kind]
        i = self.scenario.identity
        base = dict(name=i.full_name, birth_date=i.birth_date, address=i.address, postcode=i.postcode,
                    city=i.city, phone=i.phone, email=i.email, claim=i.claim_number,
                    age=self.scenario.persona.age, e="e" if self.woman else "")  # fmt: skip
        return variants[turn % len(variants)].format(**{**base, **values})

    def plan(self, transcript: Transcript, state: DirectorState, intent: AdvisorIntent) -> ReplyPlan:
        advisor = transcript.turns[-1].text if transcript.turns else ""
        turn = sum(t.speaker == Speaker.CLIENT for t in transcript.turns)
        facts = [f.content for f in self.scenario.hidden_facts if f.id in state.reveal_now]
        kind, lines, carry = self._content(intent, advisor, transcript, state, turn)
        if kind not in ("goodbye", "correct"):
            lines = [*lines, *(f for f in facts if f not in lines)]
            carry = [*carry, *facts]
        if state.objection_now and state.objection_now not in lines and kind != "goodbye":
            lines.append(state.objection_now)
            carry.append(state.objection_now)
        if state.wants_to_end and kind not in ("goodbye", "wait"):
            lines.append(self.goodbye(state, turn))
        return ReplyPlan(intent=intent, kind=kind, lines=lines, must_carry=carry)

    def goodbye(self, state: DirectorState, turn: int) -> str:
        return self.line("goodbye_angry" if state.mood < 0 else "goodbye", turn)

    def _content(self, intent: AdvisorIntent, advisor: str, transcript: Transcript, state: DirectorState,
                 turn: int) -> tuple[str, list[str], list[str]]:  # fmt: skip
        name = intent.intent
        if name == "identification":
            lines, carry = self.identity(intent.asks, turn)
            return "identity", lines, carry
        if name == "anything_else" and state.wants_to_end:
            return "goodbye", [self.line("no_more", turn), self.goodbye(state, turn)], []
        if name == "closing" or state.wants_to_end and name == "acknowledgement":
            return "goodbye", [self.goodbye(state, turn)], []
        if name == "hold":
            return "wait", [self.line("wait_written" if self._written else "wait", turn)], []
        if name == "anything_else":
            if state.question_ignored and state.open_question:
                question = self._last_client_question(transcript)
                if question:
                    return "pending", [self.line("pending", turn, question=question)], []
            return "no_more", [self.line("no_more", turn)], []
        if name == "proposal":
            if state.objection_now:
                return "objection", [], []
            reaction = "accept" if state.mood >= 0 else "hesitate"  # a fact it earned follows the answer
            return reaction, [self.line(reaction, turn)], []
        if name == "reformulation":
            return self.restatement(
                advisor,
                state,
                turn,
                [t.text for t in transcript.turns[:-1]],
                [t.text for t in transcript.turns[:-1] if t.speaker == Speaker.CLIENT],
            )
        if name == "situation_question":
            return self.answer(advisor, transcript, state, turn)
        if name == "greeting":
            reason = self._reason()
            if reason and turn <= 1:
                return "greeting", [self.line("greeting_reason", turn, reason=reason)], []
            return "greeting", [self.line("greeting_only", turn)], []
        if name == "unclear":
            return "not_understood", [self._not_understood(turn)], []
        if state.reveal_now or state.objection_now:  # explanation / acknowledgement that earned something
            return "understood", [], []
        return "understood", [self.line("understood" if name == "explanation" else "acknowledged", turn)], []

    @property
    def _written(self) -> bool:
        return self.scenario.channel in (Channel.CHAT, Channel.EMAIL)

    def identity(self, asks: list[str], turn: int) -> tuple[list[str], list[str]]:
        """Lines giving each identity datum asked, and the values the reply must carry."""
        i = self.scenario.identity
        lines, carry = [], []
        asks = list(asks or ["name"])
        if "spelling" in asks:  # spelling the name is saying it
            asks.remove("name") if "name" in asks else None
        elif "name" not in asks:  # a caller says who they are with any identity datum
            asks.insert(0, "name")
        for field in asks:
            if field == "spelling":  # the name said letter by letter
                last = i.full_name.split()[-1]
                lines.append(self.line("spelling", turn, last=last, letters="-".join(fold(last).upper())))
                carry.append(last)
            elif field == "name":
                lines.append(self.line("name", turn))
                carry.append(i.full_name.split()[-1])
            elif field == "contract_number":
                numbers_ = self.contract_numbers()
                if not numbers_:
                    lines.append(self.line("contract_missing", turn))
                else:  # the contract this call is about; the client file lists the others
                    lines.append(self.line("contract_number", turn, number=numbers_[0]))
                carry += numbers_[:1]
            else:
                value = getattr(i, field)
                missing = {"claim_number": "claim_missing"}.get(field, field + "_missing")
                lines.append(self.line(field if value else missing, turn))
                carry += [value] if value else []
        return list(dict.fromkeys(lines)), carry

    def contract_numbers(self) -> list[str]:
        """The client's contract numbers, the one of this scenario's product first."""
        prefix = PRODUCT_PREFIX.get(self.scenario.product.value, "")
        found = self.scenario.identity.contract_numbers
        return sorted(found, key=lambda n: not n.startswith(prefix))

    def answer(self, advisor: str, transcript: Transcript, state: DirectorState,
               turn: int) -> tuple[str, list[str], list[str]]:  # fmt: skip
        """A situation question: the fact it unlocks, else what the client knows, else « je ne sais pas »."""
        said = " ".join(t.text for t in transcript.turns if t.speaker == Speaker.CLIENT)
        if state.reveal_now:  # the facts earned follow; a known fact the question names comes first
            return "facts", [k for k in self._known_asked(advisor) if not _said(k, said)][:1], []
        unlocked = [f for f in self.scenario.hidden_facts if f.id in state.unlocked]
        # earned earlier (a word of the advisor's statement), never said, asked about now
        owed = [f.content for f in unlocked if any_cue(advisor, f.reveal_when) and not _said(f.content, said)]
        if owed:
            return "facts", owed[:2], owed[:2]
        known = self._known_asked(advisor)
        fresh = [k for k in known if not _said(k, said)]
        if fresh:
            return "known", fresh[:2], fresh[:2]
        if known:  # asked again: the client says so rather than repeating himself word for word
            again = self.line("again", turn, fact=_lower_first(known[0]))
            return "known", [again], [known[0]]
        if any_cue(advisor, WHAT_HAPPENED):
            story = [x for x in [self._reason(), *(k.content for k in self.scenario.known_facts)] if x]
            new = [x for x in story if not _said(x, said)]
            if new or story:
                return "known", (new or story)[:1], []
        if any_cue(advisor, WANTS_CUES):
            return "wants", [self.line("wants", turn, wants=first_person(self.scenario.persona.wants))], []
        given = [f.content for f in self.scenario.hidden_facts if f.id in state.unlocked]
        words = content_words(advisor)
        related = [g for g in given if len(content_words(g) & words) >= 2]
        if related:
            return "known", related[:1], related[:1]
        own = self._answering_sentence(advisor, [*given, *(t.text for t in transcript.turns
                                                           if t.speaker == Speaker.CLIENT)])  # fmt: skip
        if (
            own
        ):  # asked « c'est arrivé quand ? », a client who said « hier soir » does not say « je ne sais pas »
            return "known", [own], []
        return "dont_know", [self.line("dont_know", turn)], []

    def _known_asked(self, advisor: str) -> list[str]:
        """The known facts whose cues the question has, the one it names most first."""
        hits = [(sum(has_cue(advisor, c) for c in k.cues), k.content) for k in self.scenario.known_facts]
        return [content for n, content in sorted(hits, key=lambda h: -h[0]) if n]

    def _answering_sentence(self, advisor: str, said: list[str]) -> str:
        """A sentence the client knows that has the kind of datum asked (a time for « quand », …)."""
        norm = normalize(letter_body(advisor))
        for spec in _lines()["question_kinds"].values():
            if not any(re.search(p, norm) for p in spec["asks"]):
                continue
            known = [k.content for k in self.scenario.known_facts]
            for text in [*known, *said, self.scenario.opening_line]:
                for sentence in split_sentences([text]):
                    if "?" not in sentence and any(re.search(p, normalize(sentence)) for p in spec["gives"]):
                        return sentence
        return ""

    def restatement(self, advisor: str, state: DirectorState, turn: int, said: list[str] | None = None,
                    client_said: list[str] | None = None) -> tuple[str, list[str], list[str]]:  # fmt: skip
        """Confirm the advisor's summary, or correct it with the fact it gets wrong.

        `said`: the conversation's earlier turns; what the client said there is what a summary
        restates most often (« votre petit-fils Hugo »), and a name the advisor brought up is no error.
        A summary with nothing checkable gets a cautious yes and the key fact it should have named.
        """
        advisor = letter_body(advisor)  # a signature's name is no claim about the case
        own = [x for t in client_said or [] for x in split_sentences([t])]
        sources = [x for x in [*own, *self._knowledge(state)] if len(content_words(x)) >= MIN_SOURCE_WORDS]
        sources = [x for x in (self._unframed(s) for s in sources) if x]
        everything = " ".join([*sources, *(said or []), *self._locked(state)])
        public = " ".join(self._public())
        verdict = check(advisor, sources, everything, public, self._locked(state))
        wrong = {
            m
            for m in markers(advisor) - markers(everything + " " + public)
            if m.split()[0] not in verdict.compared
        }
        if verdict.wrong or wrong:
            best = verdict.fact
            if not best and wrong:
                words, kinds = content_words(advisor), {kind_of(w) for w in wrong}

                def score(source: str) -> int:  # a marker of the same kind, and the same topic
                    same = kinds & {kind_of(m) for m in markers(source)}
                    return len(same) + len(content_words(source) & words)

                candidates = [
                    *sources,
                    *self._locked(state),
                ]  # a summary naming a locked fact wrongly asks it
                best = max(candidates, key=score, default="")
                best = best if best and score(best) else ""
            if best:
                fact = re.sub(
                    r"^(oui|non|bon|alors|euh)[ ,.!]+",
                    "",
                    FRAME.sub("", gist(best, advisor, verdict.word)),
                    flags=re.IGNORECASE,
                )
                return "correct", [self.line("correct", turn, fact=_lower_first(fact))], [best]
            return "correct", [self.line("correct", turn, fact="").rstrip(" :") + "."], []
        if not checkable(advisor) and not markers(advisor):
            words = content_words(advisor)
            key = max(sources, key=lambda x: len(content_words(x) & words), default="")
            if key and content_words(key) & words and not _said(key, " ".join(own)):
                return "confirm", [self.line("confirm_cautious", turn, fact=_lower_first(key))], [key]
        return "confirm", [self.line("confirm", turn)], []

    def _unframed(self, sentence: str) -> str:
        """A sentence without its greeting and the client's own name: a correction states the fact only."""
        rest = FRAME.sub("", sentence.strip())
        for name in (self.scenario.persona.name, self.scenario.identity.full_name):
            rest = re.sub(rf"^{re.escape(name)}[\s,.!:]*", "", rest, flags=re.IGNORECASE)
        rest = rest[:1].upper() + rest[1:]
        return rest if len(content_words(rest)) >= MIN_SOURCE_WORDS else ""

    def _public(self) -> list[str]:
        """What the advisor may know from the client file and the persona: no error when restated."""
        f = self.scenario.client_file
        return [self.scenario.persona.situation, f.client_summary, *f.contracts, *f.past_claims,
                *f.payment_incidents, f.journey]  # fmt: skip

    def _knowledge(self, state: DirectorState) -> list[str]:
        s = self.scenario
        public = list(split_sentences([s.opening_line]))  # the persona sheet is no line to say
        facts = [f.content for f in s.hidden_facts if f.id in state.unlocked]
        return [*facts, *(k.content for k in s.known_facts), *public]

    def _locked(self, state: DirectorState) -> list[str]:
        return [f.content for f in self.scenario.hidden_facts if f.id not in state.unlocked]

    def _reason(self) -> str:
        """The opening line's first sentence that says more than a greeting and the name."""
        name = normalize(self.scenario.persona.name)
        for sentence in split_sentences([self.scenario.opening_line]):
            rest = re.sub(r"^((oui|allô|allo|bonjour|ouais|euh|bon|madame|monsieur)[\s,.!…]*)+", "", sentence,
                          flags=re.IGNORECASE).strip()  # fmt: skip
            if len(normalize(rest).replace(name, " ").split()) >= 4:
                return rest[:1].upper() + rest[1:]
        return ""

    def _not_understood(self, turn: int) -> str:
        own = [x for x in self.scenario.fallback_lines if any(w in normalize(x) for w in NOT_UNDERSTOOD)]
        return own[turn % len(own)] if own else self.line("not_understood", turn)

    @staticmethod
    def _last_client_question(transcript: Transcript) -> str:
        for t in reversed(transcript.turns):
            if t.speaker == Speaker.CLIENT and "?" in t.text:
                questions = [s for s in split_sentences([t.text]) if s.endswith("?")]
                return questions[-1] if questions else ""
        return ""


def known_fact_problems(scenario: Scenario) -> list[tuple[str, str]]:
    """(field, reason) for each known fact that gives away a hidden fact (a scenario check)."""
    p, ident = scenario.persona, scenario.identity
    public = "\n".join([p.name, str(p.age), p.situation, p.wants, scenario.opening_line, ident.birth_date,
                        ident.address, ident.postcode, ident.city, *ident.contract_numbers])  # fmt: skip
    found = []
    for i, known in enumerate(scenario.known_facts):
        for fact in scenario.hidden_facts:
            if reveals(known.content, fact.content, public):
                reason = f"ce fait connu dévoile le fait caché « {fact.id} » : il doit rester à découvrir"
                found.append((f"known_facts[{i}].content", reason))
    return found


def _said(line: str, said: str) -> bool:
    words = content_words(line)
    return bool(words) and len(words & content_words(said)) >= 0.8 * len(words)


def first_person(text: str) -> str:
    """The persona sheet's « remboursement de sa couronne » in the client's mouth: « de ma couronne »."""
    mine = {"sa": "ma", "son": "mon", "ses": "mes", "lui-meme": "moi-même", "elle-meme": "moi-même"}
    text = re.sub(r"\b(sa|son|ses|lui-même|elle-même)\b", lambda m: mine[normalize(m.group(1)).strip()], text)
    return _uncapitalise(text)


def _uncapitalise(text: str) -> str:
    return text[:1].lower() + text[1:]


def _lower_first(text: str) -> str:
    """« Je … » → « je … » inside a sentence; a name or an acronym keeps its capital."""
    text = text.strip()
    first = re.split(r"[ ']", normalize(text).strip())[0]
    return text[:1].lower() + text[1:] if first in STARTERS else text
