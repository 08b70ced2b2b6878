"""An e-mail's frame (salutation, sign-off, signature) is told apart from what it says."""

from __future__ import annotations

from bot.letters import letter_body, letter_parts


def test_sign_off_and_signature_are_not_the_body() -> None:
    ask = "Pouvez-vous me rappeler votre numéro de contrat ?"
    mail = f"Madame,\n\n{ask}\n\nBien cordialement,\nPaul Morel\nConseiller"
    body, sign_off = letter_parts(mail)
    assert body == ask
    assert sign_off.startswith("Bien cordialement") and "Paul Morel" in sign_off


def test_a_formal_closing_sentence_with_its_signature_is_the_sign_off() -> None:
    mail = "Monsieur,\n\nVotre dossier est complet.\n\nVeuillez agréer, Monsieur, mes salutations.\nA. Petit"
    assert letter_body(mail) == "Votre dossier est complet."


def test_a_spoken_turn_is_all_body_and_a_goodbye_alone_stays_itself() -> None:
    spoken = "Un instant, je regarde votre dossier. Cordialement n'est pas un mot qu'on dit au téléphone ?"
    assert letter_parts(spoken) == (spoken, "")
    assert (
        letter_body("Bonne journée !") == "Bonne journée !"
    )  # nothing else left: the goodbye is the message


def test_a_long_last_paragraph_is_not_taken_for_a_signature() -> None:
    mail = "Bonjour,\n\nJe transmets votre demande au service gestion et je reviens vers vous sous 48 heures."
    assert "48 heures" in letter_body(mail)
