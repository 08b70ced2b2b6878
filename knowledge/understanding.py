"""Query understanding for everyday French: slang and shorthand, spelling slips, stories.

Clients and hurried trainees do not use the articles' words: « ma caisse s'est fait piquer »
means a stolen vehicle, « resilation » is « résiliation », and a burst pipe at the neighbour's
falls under the water-damage convention. The query is kept as typed and the insurance words it
stands for are added, from three sources: the everyday vocabulary (`everyday.yaml`, data), the
situations of that file (a story → the rule it falls under), and the nearest corpus word for a
word neither the corpus nor a French dictionary knows (one or two typing slips). Cues match
words up to their inflection only (`knowledge.text.inflection`), not their stem: « à partir de »
is not « partir », « chauffage » not « chauffeur ».
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from knowledge.corpus import SAFE_LOADER
from knowledge.lexicon import is_french_word
from knowledge.text import inflections, is_stopword, stem, words

VOCABULARY_FILE = Path(__file__).parent / "everyday.yaml"
# A word is corrected only when it is this long (short words are too often slang or names) and
# within this edit distance of a corpus word (one slip up to 7 letters, two beyond).
MIN_CORRECTED = 5
LONG_WORD = 8


class EverydayWord(BaseModel):
    """Everyday expressions and the insurance words they stand for."""

    say: list[str] = Field(min_length=1, description="What a client or a trainee types.")
    mean: str = Field(min_length=2, description="The corpus's words for it.")


class Situation(BaseModel):
    """A story that falls under a rule: one cue of every group must be in the query."""

    when: list[list[str]] = Field(min_length=1)
    mean: str = Field(min_length=2, description="The rule's words.")


class Vocabulary(BaseModel):
    words: list[EverydayWord]
    situations: list[Situation]


class UnderstoodQuery(BaseModel):
    """A query as typed, with the insurance words it stands for."""

    text: str
    corrections: dict[str, str] = Field(default_factory=dict, description="Unknown word → corpus word.")
    meanings: list[str] = Field(default_factory=list, description="Words added by the vocabulary.")
    situations: list[str] = Field(default_factory=list, description="Rules the story falls under.")

    @property
    def additions(self) -> str:
        """Everything understood beyond the typed words."""
        return " ".join([*self.corrections.values(), *self.meanings, *self.situations])

    @property
    def expanded(self) -> str:
        """The query followed by its additions."""
        return f"{self.text} {self.additions}".strip()


@cache
def load_vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    return Vocabulary.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER))


def _cue(phrase: str) -> tuple[str, ...]:
    return tuple(inflections(phrase))


def _found(
    sequence: list[str], cues: dict[str, list[tuple[tuple[str, ...], int]]], *, longest: bool = False
) -> set[int]:
    """Ids of the entries one of whose cues (indexed by first word) occurs in the sequence.

    With `longest`, a cue found inside a longer one found at the same place does not count:
    « joint de culasse » is a car part, not the « joint » it contains.
    """
    spans = [
        (i, i + len(cue), entry)
        for i, first in enumerate(sequence)
        for cue, entry in cues.get(first, ())
        if tuple(sequence[i : i + len(cue)]) == cue
    ]
    if longest:
        spans = [(i, j, e) for i, j, e in spans if not any(a <= i <= j <= b > a + j - i for a, b, _ in spans)]
    return {entry for *_, entry in spans}


def _index(groups: list[list[str]]) -> dict[str, list[tuple[tuple[str, ...], int]]]:
    index: dict[str, list[tuple[tuple[str, ...], int]]] = defaultdict(list)
    for entry, phrases in enumerate(groups):
        for cue in filter(None, map(_cue, phrases)):
            index[cue[0]].append((cue, entry))
    return index


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 as soon as it is sure to exceed the limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


class SpellingIndex:
    """The corpus's words, looked up within one or two slips.

    A slip seldom touches the first two letters: candidates share them and differ in length by
    at most the allowed distance, which keeps the Levenshtein checks to a few dozen words.
    """

    def __init__(self, known: Iterable[str], *, french: Callable[[str], bool] = is_french_word) -> None:
        self._french = french
        self._frequency = Counter(w for w in known if not w.isdigit())
        self._buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for word in self._frequency:
            self._buckets[word[:2], len(word)].append(word)

    def __contains__(self, word: str) -> bool:
        return word in self._frequency

    def correct(self, word: str) -> str | None:
        """The nearest corpus word (most frequent first).

        None when the word is known, too short, too far from any, merely an inflection of its
        nearest word (the search's stemmer already joins those), or a French word: « autoroute »
        is no slip for « autorité » (the dictionary is read only when a guess is on the table).
        """
        if len(word) < MIN_CORRECTED or word.isdigit() or word in self:
            return None
        limit = 2 if len(word) >= LONG_WORD else 1
        lengths = range(len(word) - limit, len(word) + limit + 1)
        candidates = (c for n in lengths for c in self._buckets.get((word[:2], n), ()))
        scored = [(edit_distance(word, c, limit), -self._frequency[c], c) for c in candidates]
        best = min((s for s in scored if s[0] <= limit), default=None)
        if best is None or stem(best[2]) == stem(word) or self._french(word):
            return None
        return best[2]


class QueryUnderstanding:
    """Adds to a query the insurance words its everyday wording stands for."""

    def __init__(self, corpus_words: Iterable[str], vocabulary: Vocabulary | None = None) -> None:
        vocabulary = vocabulary or load_vocabulary()
        self._meanings = [w.mean for w in vocabulary.words]
        self._word_cues = _index([w.say for w in vocabulary.words])
        groups = [(i, group) for i, s in enumerate(vocabulary.situations) for group in s.when]
        self._group_owner = [i for i, _ in groups]
        self._group_cues = _index([group for _, group in groups])
        self._rules = [s.mean for s in vocabulary.situations]
        said = (w for entry in vocabulary.words for phrase in entry.say for w in words(phrase))
        cued = (w for s in vocabulary.situations for g in s.when for c in g for w in words(c))
        self._spelling = SpellingIndex([*corpus_words, *said, *cued])

    def understand(self, query: str) -> UnderstoodQuery:
        typed = words(query)
        fixes = {w: self._spelling.correct(w) for w in dict.fromkeys(typed) if not is_stopword(w)}
        corrections = {w: fixed for w, fixed in fixes.items() if fixed}
        sequence = inflections(" ".join(corrections.get(w, w) for w in typed))
        meanings = [self._meanings[i] for i in sorted(_found(sequence, self._word_cues, longest=True))]
        met = Counter(self._group_owner[g] for g in _found(sequence, self._group_cues))
        needed = Counter(self._group_owner)
        situations = [self._rules[i] for i in sorted(met) if met[i] == needed[i]]
        return UnderstoodQuery(
            text=query, corrections=corrections, meanings=list(dict.fromkeys(meanings)), situations=situations
        )
