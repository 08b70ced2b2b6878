"""Each guard catches a crafted broken reply and lets a good one through."""

from __future__ import annotations

import pytest

from bot.guards import (
    GuardContext,
    check_reply,
    is_french,
    offers_solution,
    reveals,
    strip_prefix,
)
from crca.text import stream_sentences as split_sentences

SOLUTION = (
    "Ouvrir le sinistre dégât des eaux, appliquer la convention IRSI entre assureurs, "
    "missionner un expert et demander les coordonnées de l'assureur du voisin."
)
CTX = GuardContext(
    persona_name="Claire Martin",
    locked_facts=["La fuite vient de chez mon voisin du dessus, M. Roux.", "C'est arrivé le 14 mars."],
    solution=SOLUTION,
    advisor_last="D'accord. Et quels sont les dégâts dans la cuisine ?",
    public_text="Claire Martin 45 Locataire d'un appartement à Lyon. J'ai de l'eau qui coule du plafond. "
    "Votre franchise est de 150 euros.",
)
GOOD = "Oui, c'est ça, l'eau coule encore un peu. Qu'est-ce que je dois faire maintenant ?"


def codes(text: str, ctx: GuardContext = CTX) -> set[str]:
    return {p.code for p in check_reply(text, ctx)}


def test_good_reply_passes_every_guard() -> None:
    assert codes(GOOD) == set()
    assert codes("D'accord, 150 euros de franchise, je note. Et pour le plafond ?") == set()


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        ("Je vais vous proposer notre formule Confort, elle est parfaite pour vous.", "advisor"),
        ("Votre contrat prévoit une prise en charge des dégâts des eaux.", "advisor"),
        ("Bien sûr, madame Martin, je m'occupe de tout.", "advisor"),
        ("Et quels sont les dégâts dans la cuisine ?", "advisor"),
        # seen on the embedded model (benchmark run), each shown before these detectors existed
        ("Merci, je vous propose la solution suivante : répondez par un e-mail.", "advisor"),
        ("Je vais identifier le client et expliquer la procédure.", "advisor"),
        ("Je vous remercie de la précision du conseiller.", "advisor"),
        ("Merci, Claire Martin. À bientôt.", "advisor"),
        ("D'accord, quels sont les dégâts dans la cuisine exactement ?", "advisor"),
        ("Je vais faire mon mieux pour vous aider à résoudre ce problème rapidement.", "ai"),
        ("En tant qu'IA, je ne peux pas avoir de plafond.", "ai"),
        ("Je suis désolée, mais je n'ai pas accès aux détails du sinistre.", "ai"),
        ("Je suis désolé pour ça, mais je ne peux pas vous aider avec cela.", "ai"),
        ("I'm sorry, but I cannot help you with that request today.", "language"),
        ("我的厨房漏水了。", "language"),
        ("Vous savez, la fuite vient du voisin du dessus, M. Roux.", "leak"),
        ("Ça s'est passé le 14 mars.", "leak"),
        (
            "Il faut missionner un expert, appliquer la convention IRSI et contacter l'assureur du voisin.",
            "solution",
        ),
        ("La solution serait d'ouvrir un dossier.", "solution"),
        ("J'ai payé 2 300 euros de réparations en 2019.", "contradiction"),
        ("[Le client soupire] Bon, d'accord.", "meta"),
        ("Note : le client est agacé. D'accord.", "meta"),
        ("Bon. " * 12, "long"),
        ("Client :   ", "empty"),
    ],
)
def test_broken_reply_is_caught(reply: str, code: str) -> None:
    assert code in codes(reply)


def test_a_client_may_name_services_and_sign_but_not_address_himself() -> None:
    assert codes("Je suis passée par l'espace client, le service client ne répond pas.") == set()
    assert codes("Bonjour, Claire Martin à l'appareil.") == set()
    assert "advisor" in codes("Bien sûr, madame Martin.")


def test_prefixes_are_stripped_not_rejected() -> None:
    assert strip_prefix("Client : Oui, bonjour.", "Claire Martin") == "Oui, bonjour."
    assert strip_prefix("**Claire Martin** : « Oui. »", "Claire Martin") == "Oui."
    assert strip_prefix("Oui.\nConseiller : Très bien.", "Claire Martin") == "Oui."
    assert codes("Cliente : " + GOOD) == set()


def test_language_check_is_honest_on_short_and_accented_french() -> None:
    assert is_french("Oui.") and is_french("Ah bon ? Déjà ?") and is_french("Le constat est signé, merci.")
    assert not is_french("The car is broken and I have no idea what to do with it.")


def test_leak_needs_the_facts_own_words_not_public_ones() -> None:
    fact = "La fuite vient de chez mon voisin du dessus, M. Roux."
    assert not reveals("Il y a une fuite au plafond.", fact, "fuite plafond")
    assert reveals("C'est le voisin du dessus, monsieur Roux.", fact, "fuite plafond")
    # once the advisor said it, repeating it is no leak
    assert not reveals("Le voisin du dessus ?", fact, "C'est votre voisin du dessus, M. Roux ?")


def test_solution_overlap_ignores_a_question_about_one_step() -> None:
    assert not offers_solution("Un expert va venir ?", SOLUTION, "")
    assert offers_solution("Ouvrez le sinistre, missionnez un expert, IRSI entre assureurs.", SOLUTION, "")


def test_sentences_are_cut_as_soon_as_complete_and_keep_abbreviations() -> None:
    pieces = ["Bonjour M.", " Roux est", " mon voisin. Il", " est absent ! Et", " alors"]
    assert list(split_sentences(pieces)) == ["Bonjour M. Roux est mon voisin.", "Il est absent !", "Et alors"]
    letter = ["Bonjour Monsieur,\n\nJe vous", " écris. Merci."]
    assert list(split_sentences(letter)) == ["Bonjour Monsieur, Je vous écris.", "Merci."]
