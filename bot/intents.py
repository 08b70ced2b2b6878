"""What the advisor's turn asks of the client: one intent per turn, from cues, then nearest examples.

The cues (`intent_cues.yaml`) decide whenever a turn carries an explicit marker (« si je comprends
bien », « un instant », « votre numéro de contrat »). A turn with no marker, or only a generic one
(a bare question), goes to the nearest labelled examples (`intents_examples.yaml`) under the offline
sentence encoder the retrieval already uses, when it is installed; otherwise the generic reading
stands. No model call: the decision is deterministic and costs a few milliseconds.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field

from bot.director import normalize
from bot.guards import split_sentences
from bot.letters import letter_body
from crca.text import fold

Intent = Literal[
    "greeting",
    "identification",
    "situation_question",
    "reformulation",
    "proposal",
    "explanation",
    "acknowledgement",
    "hold",
    "anything_else",
    "closing",
    "unclear",
]
INTENTS: tuple[str, ...] = Intent.__args__  # type: ignore[attr-defined]
IdentityField = Literal["name", "spelling", "birth_date", "address", "postcode", "contract_number",
                        "claim_number", "phone", "email"]  # fmt: skip
HERE = Path(__file__).parent
STATEMENTS = {"hold", "closing", "acknowledgement", "explanation"}  # never what a question asks
GENERIC = {"situation_question", "explanation", "acknowledgement"}  # weak alone: ask the examples
WEAK_CHOICES = GENERIC | {"unclear"}
SPECIFIC = {
    "identification",
    "reformulation",
    "proposal",
    "hold",
    "anything_else",
    "closing",
}  # what the nearest examples may turn a weak reading into
NEAREST_MIN = 0.45  # cosine under which the nearest example is not trusted
BROKEN_MARKS = 3  # fillers, cuts and trailing dots that make a turn unanswerable
INFORMATION_WORDS = 18  # words of plain sentences that make an empathetic turn an explanation


class AdvisorIntent(BaseModel):
    """The reading of one advisor turn."""

    intent: Intent = Field(description="What the client must respond to.")
    also: list[Intent] = Field(default_factory=list, description="Other intents present in the turn.")
    asks: list[IdentityField] = Field(default_factory=list, description="Identification: the data asked.")
    source: Literal["cues", "nearest", "default"] = "cues"


class IntentExample(BaseModel):
    advisor: str
    intent: Intent
    asks: list[IdentityField] = Field(default_factory=list)


@cache
def _lexicon() -> dict[str, Any]:
    return yaml.safe_load((HERE / "intent_cues.yaml").read_text(encoding="utf-8"))


def load_examples(path: Path = HERE / "intents_examples.yaml") -> list[IntentExample]:
    """The development examples (also the nearest-neighbour memory)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [IntentExample.model_validate(item) for item in raw]


def _matches(patterns: list[str], norm: str) -> bool:
    return any(re.search(p, norm) for p in patterns)


def cue_intents(sentence: str) -> list[str]:
    """Intents whose cues occur in one sentence, in priority order."""
    norm = normalize(sentence) + ("? " if "?" in sentence else "")  # patterns may end on the question mark
    lex = _lexicon()
    return [i for i in lex["priority"] if _matches(lex["intents"][i], norm)]


def _closed(norm: str) -> bool:
    """A yes/no question: no interrogative word asks for a piece of information."""
    return not _matches(_lexicon()["open_question"], norm)


def broken_speech(text: str) -> bool:
    """Fillers, cut words and trailing dots all over the turn: nothing the client can answer."""
    norm = normalize(text)
    marks = len(re.findall(r"\.\.\.|…|—|\[inaudible\]", text))
    marks += sum(len(re.findall(p, norm)) for p in _lexicon()["fragments"])
    return marks >= BROKEN_MARKS and marks * 6 >= len(norm.split())


def informs(sentences: list[str]) -> bool:
    """Information beyond the empathy: sentences with no acknowledgement cue, long enough to inform."""
    lex = _lexicon()
    plain = [x for x in sentences if not _matches(lex["intents"]["acknowledgement"], normalize(x))]
    return sum(len(normalize(x).split()) for x in plain) >= INFORMATION_WORDS


def identity_words() -> list[str]:
    """Words an identification request is made of (they earn no hidden fact on such a turn)."""
    return list(_lexicon()["identity_words"])


def identity_asks(text: str) -> list[str]:
    """The identity data an identification request names (name when it names none)."""
    norm = normalize(text)
    asks = [field for field, patterns in _lexicon()["asks"].items() if _matches(patterns, norm)]
    return asks or ["name"]


class IntentClassifier:
    """`classify(advisor_turn)`; `encoder` (texts -> normalised vectors) enables the nearest-example step."""

    def __init__(self, examples: list[IntentExample] | None = None, encoder: Any = None) -> None:
        self.examples = examples if examples is not None else load_examples()
        self.encoder = encoder
        self._vectors: Any = None
        self._memory: list[IntentExample] = []

    def classify(self, advisor: str) -> AdvisorIntent:
        body = letter_body(advisor)  # an e-mail's « Cordialement » and signature ask nothing
        # dots before a lower-case word or a question mark cut no sentence (« vous êtes monsieur… ? »)
        text = re.sub(r"(\.\.\.|…)\s*(?=[?a-zà-ÿ])", ", ", body)
        sentences = list(split_sentences([text])) or [text]
        lex = _lexicon()
        if _matches(lex["unclear_turn"], " " + " ".join(fold(body).split()) + " "):
            return AdvisorIntent(intent="unclear", source="cues")
        offer = any("proposal" in cue_intents(x) for x in sentences) and "?" in body
        found: list[tuple[str, bool]] = []  # (intent, in a question)
        for sentence in sentences:
            question = "?" in sentence or _matches(lex["request_statement"], normalize(sentence))
            cues = self._sentence_cues(sentence, offer)
            found += [(i, question) for i in cues]
        present = list(dict.fromkeys(i for i, _ in found))
        chit_chat = _matches(lex["chit_chat"], " " + " ".join(fold(body).split()) + " ")
        if (broken_speech(body) or chit_chat) and not set(present) & SPECIFIC:
            return AdvisorIntent(intent="unclear", source="cues")
        asked = [i for i, q in found if q and i not in STATEMENTS]
        for sentence in sentences:  # a question no cue explains is still a question about the situation
            explained = set(self._sentence_cues(sentence, offer)) - {"acknowledgement", "explanation"}
            if "?" in sentence and not explained and re.search("[a-zA-Z]", sentence):
                asked.append("situation_question")
        order = lex["priority"]
        if "closing" in present and not asked:
            primary = "closing"
        elif asked:
            primary = min(asked, key=order.index)
        elif present:
            primary = min(present, key=order.index)
        elif "?" in body and re.search("[a-zA-Z]", body):
            primary = "situation_question"
        else:  # a statement with no cue: information if it is long enough, else not understood
            primary = "explanation" if len(normalize(body).split()) >= 6 else "unclear"
        if primary == "acknowledgement" and informs(sentences):
            primary = "explanation"  # « Je comprends. » then three sentences of information: an explanation
        weak = primary in GENERIC and set(present) <= GENERIC | {"greeting"} or not present
        source = "cues" if present else "default"
        if weak:
            nearest = self._nearest(body)
            if nearest is not None:
                primary, source = nearest, "nearest"
        asks = identity_asks(body) if primary == "identification" else []
        primary = "greeting" if primary == "open_question" else primary
        also = list(dict.fromkeys("greeting" if i == "open_question" else i for i in present))
        also = [i for i in also if i != primary]
        return AdvisorIntent(intent=primary, also=also, asks=asks, source=source)  # type: ignore[arg-type]

    @staticmethod
    def _sentence_cues(sentence: str, offer: bool) -> list[str]:
        """The cues of one sentence, read in its turn: a request, an offer, an empathy formula."""
        question = "?" in sentence
        lex, norm = _lexicon(), normalize(sentence) + ("? " if question else "")
        cues = cue_intents(sentence)
        if "identification" in cues and not question and not _matches(lex["identification_request"], norm):
            cues.remove("identification")  # information about a number, not a request for one
        if "identification" in cues and _matches(lex["third_party"], norm):
            cues.remove("identification")  # the children's names and birth dates: a question on the case
        if "identification" in cues and _matches(lex["offer_request"], norm):
            cues.remove("identification")  # « je leur transmets vos coordonnées ? »: an offer
        if (
            question
            and not {"proposal", "hold"} & set(cues)
            and (
                _matches(lex["offer_question"] + lex["offer_request"], norm)
                or offer
                and _closed(norm)
                and not set(cues) - {"acknowledgement", "explanation"}  # « Avez-vous des enfants ? » asks
            )
        ):
            cues.insert(0, "proposal")  # « On part là-dessus ? » after a price: what the client says to it
        strong = [p for p in lex["intents"]["proposal"] if p not in lex["price_only"]]
        if "proposal" in cues and not question and not offer and not _matches(strong, norm):
            cues.remove("proposal")  # a price stated, nothing offered nor asked: information
        subject = r"(vous|il|elle|on|je|j'|ils|elles|le|la|les|l'|votre|mon|ma)"
        clause = re.sub(
            rf"\b(quand|lorsque) {subject}\b", " ", norm
        )  # « quand vous avez heurté »: no question
        if {"reformulation", "situation_question"} <= set(cues) and _matches(lex["open_question"], clause):
            cues.remove("reformulation")
        return cues

    def _nearest(self, text: str) -> str | None:
        """The majority intent of the three nearest examples, when the nearest is close enough."""
        if self.encoder is None or not self.examples:
            return None
        if self._vectors is None:
            self._memory = [e for e in self.examples if e.intent in WEAK_CHOICES]
            self._vectors = self.encoder([e.advisor for e in self._memory])
        scores = self._vectors @ self.encoder([text])[0]
        top = scores.argsort()[::-1][:3]
        if scores[top[0]] < NEAREST_MIN:
            return None
        votes = [self._memory[i].intent for i in top]
        best = max(set(votes), key=lambda v: (votes.count(v), -votes.index(v)))
        return best


def default_encoder() -> Any:
    """The retrieval's offline sentence encoder, or None when the package is not installed."""
    try:
        from knowledge.embedding import encode
    except ImportError:
        return None
    return encode


@cache
def shared_classifier() -> IntentClassifier:
    """One cue classifier per process: its lexicon and examples are read once."""
    return IntentClassifier()
