"""What the handlers work with: the repository and lazily built domain components.

Nothing heavy is created at import or construction time (the app must serve within
seconds): the client model, the grader and the retriever are built on first use, or
by `warm()` in a background thread right after launch. Tests inject fakes or
scripted models through the same fields.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from crca.settings import InputLimits, Settings, load_settings
from domain.grades import GradeReport
from domain.transcript import Transcript
from scenarios.models import Scenario
from webapp.storage import Repository

T = TypeVar("T")
log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]


class ConversationLike(Protocol):
    transcript: Transcript
    ended: bool
    awaiting_reply: bool

    def send(self, advisor_text: str) -> Iterator[str]: ...
    def retry(self) -> Iterator[str]: ...
    def record_action(self, type: str, detail: str) -> Any: ...


class GraderLike(Protocol):
    def grade(self, transcript: Transcript, progress: Progress | None = None) -> GradeReport: ...


class Lazy(Generic[T]):
    """A value built once, on first use, by whichever thread asks first."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build, self._lock = build, threading.Lock()
        self._value: T | None = None

    def get(self) -> T:
        with self._lock:
            if self._value is None:
                self._value = self._build()
            return self._value

    def peek(self) -> T | None:
        """The value if already built; never blocks on a build in progress."""
        return self._value


def _default_scenarios() -> dict[str, Scenario]:
    from scenarios.library import load_scenarios

    return load_scenarios()


def _default_rubric() -> Any:
    from rubrics.loader import load_rubric

    return load_rubric()


def _default_client(settings: Settings) -> Any:
    from crca.llm import chat_model

    return chat_model("client", settings)


def _default_retriever(settings: Settings) -> Any:
    from knowledge.retriever import ConditionRetriever

    return ConditionRetriever.open(settings)


def _default_grader(settings: Settings, retriever: Lazy[Any]) -> GraderLike:
    from evaluation.grader import RubricGrader
    from knowledge.factory import open_fact_checker

    return RubricGrader.from_settings(settings, fact_checker=open_fact_checker(settings, retriever.get()))


def _default_conversation(
    scenario: Scenario, model: Any, transcript: Transcript | None, retriever: Any | None
) -> ConversationLike:
    from bot.conversation import Conversation
    from bot.simulator import ClientSimulator

    return Conversation(scenario, ClientSimulator(scenario, model, retriever), transcript)


@dataclass
class AppServices:
    """Dependencies of the handlers; build with `from_settings` (real parts) or by hand (tests)."""

    repo: Repository
    scenarios: Lazy[dict[str, Scenario]]
    client_model: Lazy[Any]
    grader: Lazy[GraderLike]
    retriever: Lazy[Any]
    rubric: Lazy[Any] = field(default_factory=lambda: Lazy(_default_rubric))
    conversation: Callable[[Scenario, Any, Transcript | None, Any | None], ConversationLike] = (
        _default_conversation
    )
    ready: threading.Event = field(default_factory=threading.Event)
    limits: InputLimits = field(default_factory=InputLimits)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> AppServices:
        settings = settings or load_settings()
        retriever: Lazy[Any] = Lazy(lambda: _default_retriever(settings))
        return cls(
            repo=Repository.open(settings.db_url, settings.auth, auto_upgrade=settings.database_auto_upgrade),
            scenarios=Lazy(_default_scenarios),
            client_model=Lazy(lambda: _default_client(settings)),
            grader=Lazy(lambda: _default_grader(settings, retriever)),
            retriever=retriever,
            limits=settings.limits,
        )

    def open_conversation(self, scenario: Scenario, transcript: Transcript | None = None) -> ConversationLike:
        # The retriever only if already warm: the client's first token must not wait for the index.
        return self.conversation(scenario, self.client_model.get(), transcript, self.retriever.peek())

    def warm(self, on_done: Callable[[list[str]], None] | None = None) -> threading.Thread:
        """Build the model, retriever and grader in the background so the first turn is fast.

        `on_done` receives the names of the parts that could not be built (empty when all were).
        """

        def run() -> None:
            failed = []
            for name, lazy in [
                ("scénarios", self.scenarios),
                ("grille", self.rubric),
                ("modèle client", self.client_model),
                ("base de conditions", self.retriever),
                ("évaluateur", self.grader),
            ]:
                try:
                    lazy.get()
                except Exception as exc:  # reported again, in French, when the trainee uses it
                    log.warning("préchargement impossible (%s) : %s", name, exc)
                    failed.append(name)
            self.ready.set()
            if on_done is not None:
                on_done(failed)

        thread = threading.Thread(target=run, name="crca-warm", daemon=True)
        thread.start()
        return thread
