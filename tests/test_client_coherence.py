"""The guards added after reading real replies: each quoted break is caught, a fitting answer is not."""

from __future__ import annotations

import pytest

from bot.coherence import advisor_names, vocabulary
from bot.guards import GuardContext, check_sentence

ADVISOR = (
    "Bonjour, Assurances Horizon, Camille à votre écoute. Je vais vous envoyer un récapitulatif par e-mail."
)
CTX = GuardContext(
    persona_name="Claire Martin",
    advisor_last=ADVISOR,
    known_words=vocabulary(["Claire Martin, Lyon, locataire, Renault Clio, Horizon", ADVISOR])
    - advisor_names([ADVISOR]),
    banned_names=advisor_names([ADVISOR]),
    nothing_done=True,
    unasked=["12 mars 1981", "HA-1234567"],
    public_text="Claire Martin Lyon",
)


def codes(sentence: str, ctx: GuardContext = CTX) -> set[str]:
    return {p.code for p in check_sentence(sentence, ctx)}


def test_the_advisor_introducing_themself_is_remembered_as_a_banned_name() -> None:
    assert advisor_names([ADVISOR]) == {"camille"}


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        ("Bonjour, Assurances. Camille à votre écoute, je suis très satisfait.", "advisor"),
        ("Je suis très satisfait.", "premature"),
        ("Je vais vous envoyer un récapitulatif par e-mail.", "echo"),
        ("Je remercie le conseiller pour ses explications.", "advisor"),
        ("Je peux vous aider à remplir le formulaire si vous voulez.", "advisor"),
        ("Merci beaucoup, Camille.", "name"),
        ("Cordialement, Sophie Durand", "name"),
        ("Je suis née le 12 mars 1981, au fait.", "unasked"),
    ],
)
def test_each_quoted_break_is_caught(reply: str, code: str) -> None:
    assert code in codes(reply)


@pytest.mark.parametrize(
    "reply",
    [
        "Oui, c'est Claire Martin, j'habite à Lyon.",
        "Oui.",
        "D'accord, j'attends votre e-mail alors.",
        "Ma Renault Clio est garée devant chez moi.",
    ],
)
def test_fitting_answers_pass(reply: str) -> None:
    assert codes(reply) == set()


def test_thanks_are_fine_once_something_was_done_and_asked_data_may_be_given() -> None:
    done = CTX.model_copy(update={"nothing_done": False, "unasked": [], "public_text": "née le 12 mars 1981"})
    assert codes("Je suis très satisfaite, merci.", done) == set()
    assert codes("Je suis née le 12 mars 1981.", done) == set()
