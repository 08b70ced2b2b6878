"""Trainee handlers: pick a scenario, talk to the simulated client, log actions, get graded.

Each function reloads the session from the database and rebuilds the conversation from
its transcript, so a page reload (or a restart) loses nothing and the browser keeps
only a token and a session id.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from pydantic import BaseModel, Field

from domain.transcript import ACTION_TYPES, Transcript
from scenarios.models import Scenario
from webapp.storage import GradeRecord, SessionRecord
from webapp.ui.auth import AccessDenied, UIError, current_user
from webapp.ui.services import AppServices, ConversationLike, Progress


class ChatUpdate(BaseModel):
    """One step of a streamed exchange, as the chat panel shows it."""

    transcript: Transcript
    pending_advisor: str | None = Field(default=None, description="Sent text not yet in the transcript.")
    pending_client: str | None = Field(default=None, description="Client reply streaming in.")
    error: str | None = Field(default=None, description="French message of a failed reply.")
    ended: bool = Field(default=False, description="The client closed the exchange.")


def filter_scenarios(
    scenarios: dict[str, Scenario],
    *,
    product: str | None = None,
    path: str | None = None,
    channel: str | None = None,
    difficulty: int | None = None,
) -> list[Scenario]:
    """Scenarios matching every filter given (None or '' means any)."""
    return [
        s
        for s in scenarios.values()
        if (not product or s.product == product)
        and (not path or s.path == path)
        and (not channel or s.channel == channel)
        and (not difficulty or s.difficulty == int(difficulty))
    ]


def scenario(services: AppServices, scenario_id: str | None) -> Scenario:
    found = services.scenarios.get().get(scenario_id or "")
    if found is None:
        raise UIError(f"Scénario introuvable : {scenario_id or '(aucun)'}.")
    return found


def session_for(services: AppServices, token: str | None, session_id: str | None) -> SessionRecord:
    """The session if the signed-in user may see it: its owner, or any trainer."""
    user = current_user(services, token)
    record = services.repo.get_session(session_id) if session_id else None
    if record is None:
        raise UIError("Aucune session ouverte : choisissez un scénario.")
    if record.user_id != user.id and user.role != "trainer":
        raise AccessDenied("Cette session appartient à un autre stagiaire.")
    return record


def start_session(services: AppServices, token: str | None, scenario_id: str) -> SessionRecord:
    """A new session on `scenario_id`, stored at once (opening line included)."""
    user = current_user(services, token)
    chosen = scenario(services, scenario_id)
    conversation = services.open_conversation(chosen)
    # One id for the session and its transcript: the report and its downloads carry the transcript's
    # id, and a trainer must find them in the session list.
    session_id = uuid.uuid4().hex
    transcript = conversation.transcript.model_copy(update={"id": session_id})
    return services.repo.create_session(user.id, transcript, session_id=session_id)


def my_sessions(services: AppServices, token: str | None) -> list[SessionRecord]:
    """The signed-in user's own sessions, newest first (a trainee never sees others')."""
    return services.repo.list_sessions(user_id=current_user(services, token).id)


def _open(services: AppServices, token: str | None, session_id: str | None) -> tuple[str, ConversationLike]:
    record = session_for(services, token, session_id)
    if record.status == "graded":
        raise UIError("Cette session est terminée et évaluée : commencez-en une nouvelle.")
    if record.source != "practice":
        raise UIError("Une transcription importée ne se poursuit pas.")
    return record.id, services.open_conversation(scenario(services, record.scenario_id), record.transcript)


def _stream(
    services: AppServices, session_id: str, conversation: ConversationLike, replies: Iterator[str]
) -> Iterator[ChatUpdate]:
    """Stream the client reply; store the transcript when done, or the error if it failed."""
    from crca.llm.errors import LLMError  # here, not at import: openai costs seconds of app start-up

    text = ""
    try:
        for piece in replies:
            text += piece
            yield ChatUpdate(transcript=conversation.transcript, pending_client=text)
    except LLMError as exc:
        message = f"Le client simulé n'a pas pu répondre : {exc} Votre message est conservé : « Renvoyer »."
        services.repo.save_transcript(session_id, conversation.transcript, error=str(exc))
        yield ChatUpdate(transcript=conversation.transcript, error=message)
        return
    services.repo.save_transcript(session_id, conversation.transcript)
    yield ChatUpdate(transcript=conversation.transcript, ended=conversation.ended)


def check_message(
    services: AppServices, token: str | None, session_id: str | None, text: str
) -> tuple[str, ConversationLike]:
    """Refuse, in French, a message that cannot be sent; otherwise the open conversation.

    The screen runs it as its own step before streaming, so a refusal is a toast and leaves the
    conversation on screen (a streaming step that fails blanks its outputs).
    """
    if not (text or "").strip():
        raise UIError("Message vide.")
    limits = services.limits
    if len(text) > limits.max_turn_chars:
        raise UIError(
            f"Message trop long ({len(text)} caractères, au plus {limits.max_turn_chars}) : raccourcissez-le."
        )
    sid, conversation = _open(services, token, session_id)
    if len(conversation.transcript.turns) + 2 > limits.max_turns:
        raise UIError(f"La session a atteint {limits.max_turns} tours : terminez-la et faites-la évaluer.")
    if conversation.ended:
        raise UIError("Le client a mis fin à l'échange : terminez et faites évaluer la session.")
    if conversation.awaiting_reply:
        raise UIError("Votre message précédent attend encore une réponse : utilisez « Renvoyer ».")
    return sid, conversation


def send_message(
    services: AppServices, token: str | None, session_id: str | None, text: str
) -> Iterator[ChatUpdate]:
    """Send the advisor's message and stream the client's reply."""
    sid, conversation = check_message(services, token, session_id, text)
    yield ChatUpdate(transcript=conversation.transcript, pending_advisor=text)
    yield from _stream(services, sid, conversation, conversation.send(text))


def resend(services: AppServices, token: str | None, session_id: str | None) -> Iterator[ChatUpdate]:
    """Ask again for the reply to the advisor's last message (after a backend error)."""
    sid, conversation = _open(services, token, session_id)
    if not conversation.awaiting_reply:
        raise UIError("Aucun message en attente de réponse.")
    yield from _stream(services, sid, conversation, conversation.retry())


def record_action(
    services: AppServices, token: str | None, session_id: str | None, action_type: str, detail: str
) -> Transcript:
    """Log a back-office operation in the transcript (the grader reads it)."""
    if action_type not in ACTION_TYPES:
        raise UIError("Choisissez une opération dans la liste.")
    sid, conversation = _open(services, token, session_id)
    conversation.record_action(action_type, (detail or "").strip())
    services.repo.save_transcript(sid, conversation.transcript)
    return conversation.transcript


def grade_session(services: AppServices, session_id: str, progress: Progress | None = None) -> GradeRecord:
    """Grade the stored transcript and store the grade; a failure is recorded on the session."""
    from crca.llm.errors import LLMError

    record = services.repo.get_session(session_id)
    if record is None:
        raise UIError(f"Session introuvable : {session_id}.")
    if not record.transcript.advisor_turns():
        raise UIError("Aucun message du conseiller : échangez avec le client avant l'évaluation.")
    try:
        report = services.grader.get().grade(record.transcript, progress)
    except LLMError as exc:
        services.repo.mark_error(session_id, str(exc))
        raise UIError(f"L'évaluation a échoué : {exc} Vous pouvez relancer l'évaluation.") from exc
    return services.repo.save_grade(session_id, report, transcript=record.transcript)


def finish_and_grade(
    services: AppServices, token: str | None, session_id: str | None, progress: Progress | None = None
) -> GradeRecord:
    """End the trainee's session and grade it."""
    record = check_finish(services, token, session_id)
    return grade_session(services, record.id, progress)


def check_finish(services: AppServices, token: str | None, session_id: str | None) -> SessionRecord:
    """Refuse, in French, to grade a session already graded or without a word from the advisor.

    Run by the screen as its own step, like `check_message`: the grading step's outputs are the
    whole session screen, which a failing step would blank.
    """
    record = session_for(services, token, session_id)
    if record.status == "graded":
        raise UIError("Cette session est déjà évaluée.")
    if not record.transcript.advisor_turns():
        raise UIError("Aucun message du conseiller : échangez avec le client avant l'évaluation.")
    return record


def search_conditions(services: AppServices, query: str, product: str | None = None, k: int = 5) -> list:
    """Articles of the contract conditions matching `query` (list of retriever `Hit`s)."""
    if not (query or "").strip():
        raise UIError("Saisissez une recherche (ex. « franchise bris de glace »).")
    try:
        return list(services.retriever.get().search(query, product=product or None, k=k))
    except ValueError as exc:  # unknown product filter
        raise UIError(str(exc)) from exc
