"""A restatement is checked claim by claim against the client's facts; a wrong one gets the truth."""

from __future__ import annotations

import pytest

from bot.restatement import checkable, claims
from bot.simulator import ClientSimulator
from crca.llm import ScriptedChatModel
from domain.transcript import Speaker, Transcript, Turn
from tests.test_client_director import make_scenario

SCENARIO = make_scenario(
    persona={
        "name": "Claire Martin",
        "age": 45,
        "situation": "Infirmière de nuit, mère seule ; locataire à Lyon ; fuite depuis sept semaines.",
        "temperament": "anxieuse",
        "speech_style": "phrases courtes",
        "wants": "Obtenir le remboursement de sa cuisine.",
        "objections": ["Franchement, 124 € d'un coup, je peux pas.", "Et ma cotisation, elle augmente ?"],
        "objection_cues": ["payer", "cotisation", "échéancier"],
    },
    known_facts=[
        {
            "topic": "durée",
            "cues": ["depuis", "combien de temps"],
            "content": "Ça coule depuis sept semaines.",
        },
        {
            "topic": "courrier",
            "cues": ["courrier", "lettre"],
            "content": "J'ai reçu la lettre de relance hier.",
        },
        {"topic": "lunettes", "cues": ["lunettes"], "content": "Les lunettes sont celles de ma fille Lina."},
        {
            "topic": "voiture",
            "cues": ["voiture", "accident"],
            "content": "J'étais arrêtée au feu, on m'a percutée.",
        },
        {
            "topic": "contrat",
            "cues": ["mutuelle"],
            "content": "Mon mari a sa mutuelle : c'est juste pour moi.",
        },
    ],
)


def reply(*advisor_and_client: str, model_says: str = "Oui, exactement.") -> str:
    """The client's reply in script mode: the scripted model says `model_says`, the guards decide."""
    turns = [Turn(speaker=Speaker.CLIENT, text=SCENARIO.opening_line)]
    for i, text in enumerate(advisor_and_client):
        turns.append(Turn(speaker=Speaker.ADVISOR if i % 2 == 0 else Speaker.CLIENT, text=text))
    sim = ClientSimulator(SCENARIO, ScriptedChatModel(replies=[model_says]))
    return sim.reply(Transcript(id="t", turns=turns))


def lines(*advisor_and_client: str) -> str:
    turns = [Turn(speaker=Speaker.CLIENT, text=SCENARIO.opening_line)]
    for i, text in enumerate(advisor_and_client):
        turns.append(Turn(speaker=Speaker.ADVISOR if i % 2 == 0 else Speaker.CLIENT, text=text))
    return ClientSimulator(SCENARIO, None).reply(Transcript(id="t", turns=turns))


@pytest.mark.parametrize(
    ("summary", "truth"),
    [
        ("Si je comprends bien, ça coule depuis trois semaines ?", "sept semaines"),  # duration in words
        ("Si je comprends bien, ça coule depuis une dizaine de jours ?", "sept semaines"),
        ("Si je comprends bien, vous avez reçu la lettre de relance il y a un mois ?", "hier"),  # moment
        ("Donc c'est pour vos lunettes à vous, c'est ça ?", "ma fille"),  # person
        ("Si je comprends bien, la mutuelle serait pour vous et votre mari ?", "juste pour moi"),
        ("Donc si je comprends bien, c'est vous qui avez percuté la voiture de devant ?", "arrêtée"),  # actor
    ],
)
def test_a_wrong_restatement_is_corrected_with_the_true_value(summary: str, truth: str) -> None:
    said = lines(summary)
    assert said.startswith("Non") and truth in said
    scripted = reply(summary)  # the model's « Oui, exactement » contradicts the plan: the lines are shown
    assert scripted.startswith("Non") and truth in scripted


def test_a_restatement_whose_claims_all_match_is_confirmed() -> None:
    for summary in [
        "Si je comprends bien, ça coule depuis sept semaines ?",
        "Si je comprends bien, ça coule depuis environ cinquante jours ?",  # 49 days, said roughly
        "Donc vous avez reçu la lettre de relance hier, c'est ça ?",
        "Si je comprends bien, ce sont les lunettes de votre fille Lina ?",
    ]:
        said = lines(summary)
        assert said.startswith(("Oui", "Tout à fait")) and "Non" not in said, summary


def test_a_restatement_with_nothing_checkable_gets_a_cautious_yes_and_the_key_fact() -> None:
    summary = "Si je comprends bien, vous nous appelez au sujet de vos lunettes ?"
    assert not checkable(summary)
    said = lines(summary)
    assert said.startswith("Oui") and "ma fille Lina" in said


def test_a_correction_never_recites_the_persona_sheet() -> None:
    said = lines("Si je résume, la fuite est réglée depuis deux semaines, c'est ça ?")
    assert said.startswith("Non") and "sept semaines" in said
    assert "Infirmière" not in said and "mère seule" not in said


def test_claims_read_numbers_in_words_and_relative_moments() -> None:
    assert {(c.kind, c.value) for c in claims("arrêté depuis quarante jours")} == {("since", 40.0)}
    assert {(c.kind, c.value) for c in claims("reçu il y a trois semaines")} == {("ago", 21.0)}
    assert {(c.kind, c.value) for c in claims("reçu hier")} == {("ago", 1.0)}
    assert {(c.kind, c.value) for c in claims("plusieurs : douze tuiles")} == {("count of tuile", 12.0)}


def test_an_objection_names_only_what_was_offered() -> None:
    split = lines("Je vous propose de payer 62 € maintenant et 62 € en échéancier. Ça vous va ?")
    assert "124" not in split and split.startswith(("D'accord", "Bon", "Oui", "Je ne sais pas"))
    whole = lines("Je vous propose de payer les 124 € aujourd'hui, ça vous va ?")
    assert "124 € d'un coup" in whole


def test_identity_gives_every_element_asked_and_spells_the_name() -> None:
    number = lines("Vous avez le numéro du contrat habitation ? Il doit figurer sur le courrier.")
    assert "HA-" in number or "contrat" in number
    spelled = lines("Vous pouvez m'épeler votre nom de famille, s'il vous plaît ?")
    assert "M-A-R-T-I-N" in spelled


def test_the_wants_line_speaks_in_the_first_person() -> None:
    said = lines("Bonjour. Qu'est-ce que vous souhaitez obtenir exactement ?")
    assert "de sa cuisine" not in said


def test_an_amount_is_exact_and_a_long_source_is_cut_to_its_clause() -> None:
    scenario = make_scenario(
        opening_line="Bonjour Madame, Monsieur, titulaire du contrat n° HA-1234567, je vous informe que mon "
        "plafond de cuisine est tombé hier soir, dont je vous envoie les photos prochainement.",
        known_facts=[{"topic": "frais", "cues": ["payé"], "content": "J'ai déjà payé 280 € au plombier."}],
    )

    def said(summary: str) -> str:
        turns = [
            Turn(speaker=Speaker.CLIENT, text=scenario.opening_line),
            Turn(speaker=Speaker.ADVISOR, text=summary),
        ]
        return ClientSimulator(scenario, None).reply(Transcript(id="t", turns=turns))

    wrong = said("Si je comprends bien, vous avez payé 350 € au plombier ?")  # 350 is not « about » 280
    assert wrong.startswith("Non") and "280 €" in wrong
    assert said("Si je comprends bien, vous avez payé 280 € au plombier ?").startswith("Oui")
    cut = said("Si je comprends bien, votre plafond de salon est tombé ?")
    assert cut.startswith("Non") and "plafond de cuisine" in cut and "HA-1234567" not in cut


def test_a_capitalised_common_word_is_no_name_and_an_age_or_a_count_is_exact() -> None:
    assert lines("Si je comprends bien, Ça coule depuis sept semaines ?").startswith(("Oui", "Tout à fait"))
    assert {(c.kind, c.value) for c in claims("il a 19 ans")} == {("count of an", 19.0)}
    scenario = make_scenario(
        known_facts=[
            {"topic": "enfants", "cues": ["enfants"], "content": "J'ai deux enfants, Léa a 21 ans."}
        ],
        identity={"birth_date": "4 mars 1975"},
    )

    def said(summary: str) -> str:
        turns = [
            Turn(speaker=Speaker.CLIENT, text=scenario.opening_line),
            Turn(speaker=Speaker.ADVISOR, text=summary),
        ]
        return ClientSimulator(scenario, None).reply(Transcript(id="t", turns=turns))

    assert said("Si je comprends bien, vous avez quatre enfants ?").startswith(
        "Non"
    )  # « 4 » of a date excuses nothing
    assert said("Si je comprends bien, Léa a 24 ans ?").startswith("Non")
    assert said("Si je comprends bien, vous avez deux enfants, Léa a 21 ans ?").startswith(
        ("Oui", "Tout à fait")
    )


def test_asked_the_family_name_the_client_gives_no_fact_about_his_family() -> None:
    scenario = make_scenario(
        hidden_facts=[
            {
                "id": "loyer",
                "content": "Ma compagne ne pourrait pas payer le loyer seule.",
                "reveal_when": ["famille"],
            }
        ]  # fmt: skip
    )
    asked = "Votre nom de famille et votre prénom, s'il vous plaît ?"
    turns = [
        Turn(speaker=Speaker.CLIENT, text=scenario.opening_line),
        Turn(speaker=Speaker.ADVISOR, text=asked),
    ]
    said = ClientSimulator(scenario, None).reply(Transcript(id="t", turns=turns))
    assert "Claire Martin" in said and "loyer" not in said


@pytest.mark.parametrize(
    "summary",
    [
        "Si je reprends, la fuite vient de votre cuisine ?",
        "Corrigez-moi si je me trompe : vous êtes locataire ?",
        "Pour être sûr d'avoir bien compris, c'est arrivé hier ?",
        "D'après ce que vous me dites, la fuite vient de chez vous ?",
        "Ok, la fuite vient donc de chez vous ?",
    ],
)
def test_other_ways_of_restating_are_read_as_restatements(summary: str) -> None:
    from bot.intents import shared_classifier

    assert shared_classifier().classify(summary).intent == "reformulation"
    assert (
        shared_classifier().classify("Et la voiture est donc où maintenant ?").intent == "situation_question"
    )


def test_a_claim_number_on_file_is_given_when_asked() -> None:
    scenario = make_scenario(identity={"claim_number": "SIN-2024-0042"})
    asked = "Vous avez le numéro de dossier sinistre ?"
    turns = [
        Turn(speaker=Speaker.CLIENT, text=scenario.opening_line),
        Turn(speaker=Speaker.ADVISOR, text=asked),
    ]
    assert "SIN-2024-0042" in ClientSimulator(scenario, None).reply(Transcript(id="t", turns=turns))
