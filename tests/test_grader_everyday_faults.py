"""Faults in everyday words: unexplained acronyms and the paraphrase cues of the fault checks."""

from __future__ import annotations

import pytest

from crca.llm import ScriptedChatModel
from domain.transcript import Transcript, Turn
from evaluation.acronyms import acronyms
from evaluation.detectors import DetectorInput, jargon
from evaluation.sentence_faults import SentenceFaults
from rubrics import Check

TERM = Check(id="B1.2.j", statement="s", role="behaviour", detector="jargon", negative=True, cues=["avenant"])


def _said(*turns: tuple[str, str]) -> DetectorInput:
    return DetectorInput(
        Transcript(id="t", turns=[Turn(speaker=s, text=x) for s, x in turns]),  # type: ignore[arg-type]
        frozenset(),
    )


def test_acronyms_and_code_references_are_found_but_not_words_a_client_knows() -> None:
    text = "Vous êtes en IRSI tranche 1, suspension L113-3 à J+30. Envoyez votre RIB par SMS. MERCI !"
    assert [m.group() for m in acronyms(text)] == ["IRSI", "L113-3", "J+30"]
    assert acronyms("Le chapitre II, en formule Confort, classe A.") == []


def test_unexplained_acronyms_are_jargon_explained_ones_or_the_clients_own_are_not() -> None:
    assert jargon(TERM, _said(("advisor", "On est en IRSI, voyez l'EAD."))).result.passed is False
    explained = _said(("advisor", "La convention IRSI, c'est-à-dire l'accord entre assureurs, et l'EAD."))
    assert jargon(TERM, explained).result.passed is True
    echoed = _said(("client", "Mon voisin parle de l'IRSI ?"), ("advisor", "Oui, l'IRSI s'applique en EAD."))
    assert jargon(TERM, echoed).result.passed is True
    found = jargon(TERM, _said(("advisor", "Résil à J+40, voilà, LR à faire.")))
    assert found.result.passed is False and "J+40" in found.result.evidence[0].quote


def test_one_technical_word_alone_is_the_normal_word_not_jargon() -> None:
    assert jargon(TERM, _said(("advisor", "Je vous envoie l'avenant ce soir."))).result.passed is True
    assert jargon(TERM, _said(("advisor", "On est en IRSI."))).result.passed is True


def test_an_explanation_marker_explains_the_term_before_it_not_the_jargon_after_it() -> None:
    piled = _said(("advisor", "C'est une PP au sens des CP, avenant à prévoir."))
    assert jargon(TERM, piled).result.passed is False
    explained = _said(("advisor", "L'avenant, c'est l'acte qui change le contrat ; l'IRSI, c'est l'accord."))
    assert jargon(TERM, explained).result.passed is True


@pytest.fixture(scope="module")
def finder() -> SentenceFaults:
    # A model that confirms every candidate: what is measured here is the candidates' reach.
    return SentenceFaults(ScriptedChatModel(replies=["oui"]))


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Il me reste deux places à ce tarif, faut vous décider maintenant.", "pressure"),
        ("Tout le monde prend cette option, vous savez.", "pressure"),
        ("Bah fallait appeler plus tôt.", "curt"),
        ("C'est le prix, c'est à prendre ou à laisser.", "curt"),
        ("Même si la suspension tombe, on vous couvrira quand même.", "false_promise"),
        ("Écrivez-moi ici le code reçu par SMS, je m'en occupe.", "bank_details"),
        ("Pour aller vite, collez ici votre IBAN en entier.", "bank_details"),
        ("Merci de nous indiquer votre identifiant et votre mot de passe.", "bank_details"),
        ("Envoyez-nous une photo de votre carte bancaire, recto et verso.", "bank_details"),
        ("Rassurez-vous, vos lunettes seront remboursées, j'y veille.", "false_promise"),
        ("Vous n'aurez pas un centime à sortir, on s'occupe de tout.", "false_promise"),
        ("Cette remise s'arrête ce soir, il me faut votre accord avant 18 h.", "pressure"),
        ("Sans réponse de votre part, nous considérerons que vous acceptez l'option.", "pressure"),
        ("Monsieur, voyez avec le garage. Cordialement.", "curt"),
        ("Dossier incomplet.", "curt"),
        # General forms, in wordings no labelled set holds.
        ("Votre sinistre est pris d'office, on vous paiera l'intégralité des réparations.", "false_promise"),
        ("Le canapé vous sera remboursé à neuf, c'est acquis.", "false_promise"),
        ("Pas besoin de vérifier votre contrat, la grêle c'est toujours pris.", "false_promise"),
        ("On ne résilie jamais un client pour quinze jours de retard, payez plus tard.", "false_promise"),
        ("Cette baisse tient jusqu'à 16 h, sinon je dois repasser au tarif normal.", "pressure"),
        ("Si vous résiliez, personne ne vous assurera et ça vous coûtera le double ailleurs.", "pressure"),
        ("Allez, on valide, vous n'allez pas hésiter pour trois euros !", "pressure"),
        ("Pourriez-vous me communiquer le code de votre carte pour finaliser ?", "bank_details"),
        ("Répondez à ce courriel avec votre IBAN, on fera le virement.", "bank_details"),
        ("Un code va vous arriver par texto, vous pourrez me le dicter ?", "bank_details"),
        ("Je vous l'ai déjà expliqué deux fois, madame.", "curt"),
        ("Vous faites ce que vous voulez, ça m'est égal.", "curt"),
        ("Ce n'est pas à moi qu'il faut dire ça, voyez avec votre banque.", "curt"),
        ("Vous auriez pu lire le courrier avant d'appeler.", "curt"),
        # Fifth pass: forms kept because they found faults in more than one labelled set.
        ("Personne d'autre ne voudra vous assurer avec trois sinistres, réfléchissez.", "pressure"),
        ("Imaginez votre maison sans assurance le soir d'un incendie.", "pressure"),
        ("J'entends bien, mais prenez au moins l'option vol, c'est plus prudent.", "pressure"),
        ("Il faut vous décider, le tarif ne tiendra pas longtemps.", "pressure"),
        ("Votre facture d'hôpital sera payée en totalité, vous pouvez la jeter.", "false_promise"),
        ("Le loueur vous laisse le véhicule, même si le garage met un mois.", "false_promise"),
        ("Votre dossier est classé. Suivant.", "curt"),
        ("Faut pas prendre une sportive si vous ne pouvez pas payer l'assurance.", "curt"),
    ],
)
def test_everyday_faults_reach_their_check(finder: SentenceFaults, sentence: str, kind: str) -> None:
    assert kind in finder.faults(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Vous avez fait exactement ce qu'il fallait faire.",
        "La prescription, c'est deux ans pour réclamer, après c'est trop tard.",
        "Pour votre sécurité, ne me donnez jamais le code reçu par SMS.",
        "Vous pouvez télécharger votre RIB dans votre espace client sécurisé.",
        "Pour les lunettes du panier 100 % Santé, vous n'aurez rien à payer, dans la limite des prix fixés.",
        "Je ne peux pas vous garantir que tout sera pris en charge avant l'expertise.",
        "L'expert passera avant midi, je vous confirme le créneau par SMS.",
        "Très bien, je regarde.",
        "Bonne journée, madame Martin.",
        "Rien ne presse pour décider aujourd'hui, vous avez quatorze jours pour renoncer.",
        "Je vous explique ce qui va se passer maintenant, étape par étape.",
        "Si le tiers est identifié, vous n'aurez même pas de franchise ; j'attends le constat.",
        "Ne m'envoyez pas votre mot de passe : utilisez le lien « mot de passe oublié ».",
        "Vous saisirez vous-même votre IBAN dans le mandat en ligne.",
        "C'est bien compris, on n'en parle plus.",
        "Comme promis, je vous rappelle avec le montant de l'indemnité.",
        "Ça marche, à bientôt !",
        # Fifth pass: the advisor's own deadline, a legal one met, a definition, a complaint quoted.
        "Je demande l'accord du service et je vous recontacte avant lundi.",
        "Vous êtes dans les délais pour déclarer, on le fait tout de suite ensemble.",
        "La garantie du conducteur, c'est une garantie qui vous indemnise même si vous êtes responsable.",
        "Elle rembourse vous-même si le tiers ne paie pas, puis se retourne contre lui.",
        "Les remboursements promis qui tardent, je les relance aujourd'hui.",
        "Si l'option ne vous dit rien, on n'en parle plus.",
    ],
)
def test_correct_sentences_near_the_new_cues_are_not_flagged(finder: SentenceFaults, sentence: str) -> None:
    assert finder.faults(sentence) == []


def test_a_single_technical_word_in_a_long_plain_exchange_is_not_jargon_a_dense_one_is() -> None:
    plain = [("advisor", "Je regarde votre dossier."), ("client", "Merci.")] * 12
    single = _said(*plain, ("advisor", "Je vous envoie l'avenant ce soir."))
    outcome = jargon(TERM, single).result
    assert outcome.passed is True and "avenant" in outcome.note
    dense = _said(*plain, ("advisor", "Avenant, IRSI, franchise : on applique le L113-4."))
    assert jargon(TERM, dense).result.passed is False


def test_a_label_written_in_capitals_is_not_an_acronym() -> None:
    assert acronyms("Le virement portera le libellé « HORIZON MUTUELLE REMB ».") == []


def test_the_fault_benchmark_prints_false_alarms_per_kind() -> None:
    from benchmarks.faults import measure
    from evaluation.grader_sets import FaultItem

    items = [
        FaultItem(id="a", text="x", fault="pressure"),
        FaultItem(id="b", text="y", fault="none"),
        FaultItem(id="c", text="z", fault="none"),
    ]

    class Finder:
        def faults(self, text: str, previous_client: str = "") -> list[str]:
            return {"x": ["pressure"], "y": ["pressure", "jargon"], "z": []}[text]

    figures = measure(items, Finder())
    assert figures["kind:pressure"] == 1.0 and figures["alarm:pressure"] == 0.5
    assert figures["false_alarms"] == 0.5


def test_acronyms_side_by_side_hyphenated_or_with_a_number_are_acronyms() -> None:
    text = "Une MRH avec RC VP, dossier en CIDE-COP, franchise F30."
    assert [m.group() for m in acronyms(text)] == ["MRH", "RC", "VP", "CIDE-COP", "F30"]
    assert acronyms("DERNIÈRE RELANCE : appartement T3.") == []


def test_several_terms_of_one_listed_line_each_count() -> None:
    check = Check(
        id="B1.2.j", statement="s", role="behaviour", detector="jargon", negative=True,
        cues=["usufruit|clause (type|nominative)"],
    )  # fmt: skip
    said = _said(("advisor", "Votre clause type deviendra une clause nominative."))
    assert jargon(check, said).result.passed is False


def test_the_trades_words_said_to_a_professional_of_the_trade_are_not_jargon() -> None:
    piled = "On est en IRSI tranche 2, expertise commune, l'EAD suit."
    assert jargon(TERM, _said(("advisor", piled))).result.passed is False
    to_a_peer = "Comme vous êtes vous-même gestionnaire sinistres : " + piled
    assert jargon(TERM, _said(("advisor", to_a_peer))).result.passed is True
