"""Detectors of client sentences that do not fit the turn, added after reading real replies.

Seen on the embedded model: the advisor's sentence said back (« Je vais vous envoyer un
récapitulatif par e-mail »), the advisor's own name or « le conseiller » in the third person, an
offer of help, an e-mail signed with another first name, « je suis très satisfait » before anything
was done, identity data nobody asked for. Each detector is lexical and runs on one sentence.
"""

from __future__ import annotations

import re

from bot.director import normalize

ECHO_RUN = 5  # consecutive words shared with the advisor's last turn
HELP = [r"(?<![a-z])(le|la|au|du|un|une|votre|ce|cette) conseill(er|ere)(?![a-z])",
        r"je (peux|vais|pourrais) vous aider", r"(puis|peux)-je vous aider", r"n'hesitez pas",
        r"je reste a (votre|ta) disposition", r"a votre ecoute", r"avez-vous d'autres questions",
        r"je vais vous (envoyer|transmettre|faire parvenir) (un|le|votre) "
        r"(recapitulatif|devis|contrat|lien|mail)",
        r"je vous (envoie|transmets) (un|le|votre) (recapitulatif|contrat|lien)",
        r"je vais (m'occuper|me charger) de (votre|ce) dossier",
        r"(^| )(bonjour,? )?assurances? "]  # fmt: skip
SATISFIED = [r"je suis (tres |vraiment |tout a fait )?(satisfait|satisfaite|ravi|ravie|comble)",
             r"merci (beaucoup |bien )?(pour|de) votre aide", r"vous m'avez (bien |beaucoup )?aide",
             r"(tout|c'est) (est )?regle", r"c'est parfait,? merci"]  # fmt: skip
COMMON_CAPITALISED = {"madame", "monsieur", "mme", "m", "horizon", "assurances", "mutuelle", "maitre",
                      "docteur", "sante", "securite", "sociale", "cpam", "iut", "sncf"}  # fmt: skip
SELF_INTRO = [r"([A-ZÉ][a-zéèëï]+)(?: [A-ZÉ][a-zéèëï]+)? (?:à|a) (?:votre|l') ?(?:écoute|ecoute|appareil)",
              r"je m'appelle ([A-ZÉ][a-zéèëï]+)", r"je suis ([A-ZÉ][a-zéèëï]+)(?:,| de| votre| conseill)",
              r"(?:ici|c'est) ([A-ZÉ][a-zéèëï]+),"]  # fmt: skip
CONFIRMING = r"^ (oui|ouais|exactement|tout a fait|c'est (bien )?ca|c'est exact|absolument|voila)\b(?! mais)"
DENYING = r"^ (non|pas du tout|pas tout a fait|ce n'est pas ca|c'est faux)\b"
WORD = re.compile(r"[\wÀ-ÿ'-]+")


def echoes_run(sentence: str, advisor_text: str, run: int = ECHO_RUN) -> bool:
    """The sentence repeats `run` consecutive words of the advisor's turn."""
    words, said = normalize(sentence).split(), normalize(advisor_text)
    return any(" " + " ".join(words[i : i + run]) + " " in said for i in range(len(words) - run + 1))


def offers_help(sentence: str) -> bool:
    """Advisor talk: « le conseiller », offering help, sending the summary, « à votre écoute »."""
    norm = normalize(sentence)
    return any(re.search(p, norm) for p in HELP)


def premature_satisfaction(sentence: str) -> bool:
    """Thanks or satisfaction that only make sense once something was done for the client."""
    norm = normalize(sentence)
    return any(re.search(p, norm) for p in SATISFIED)


def advisor_names(advisor_turns: list[str]) -> set[str]:
    """First names the advisor introduced themself with (« Camille à votre écoute »)."""
    found = set()
    for text in advisor_turns:
        for pattern in SELF_INTRO:
            found |= {normalize(m).strip() for m in re.findall(pattern, text)}
    return found - COMMON_CAPITALISED


def vocabulary(texts: list[str]) -> set[str]:
    """Folded words of everything the client may name (scenario, persona, exchange)."""
    return {w for text in texts for w in normalize(text).split()}


def strange_names(sentence: str, known_words: set[str], banned: set[str]) -> set[str]:
    """Capitalised words that are a banned name, or unknown names inside the sentence or as a signature."""
    tokens = WORD.findall(sentence)
    found = set()
    for i, token in enumerate(tokens):
        folded = normalize(token).strip()
        if folded in banned:
            found.add(token)
            continue
        if not token[:1].isupper() or any(c.isdigit() for c in token):
            continue
        if folded in COMMON_CAPITALISED or folded in known_words:
            continue
        signature = len(tokens) <= 3 and all(t[:1].isupper() for t in tokens) and sentence[-1:].isalpha()
        if i > 0 or signature:
            found.add(token)
    return found


def contradicts_verdict(sentence: str, verdict: str) -> bool:
    """« Oui, exactement » to a summary the client must correct, or « Non » to one he must confirm."""
    norm = normalize(sentence)
    return (
        bool(re.search(CONFIRMING if verdict == "correct" else DENYING, norm))
        if verdict in ("correct", "confirm")
        else False
    )
