"""What the client answers per advisor intent, decided from the scenario data (scripted backend)."""

from __future__ import annotations

import pytest

from bot.client_content import ContentPlanner, known_fact_problems
from bot.director import Director
from bot.intents import shared_classifier
from bot.simulator import ClientSimulator
from crca.llm import ScriptedChatModel
from domain.transcript import Speaker, Transcript, Turn
from tests.test_client_director import make_scenario

SCENARIO = make_scenario(
    client_file={
        "company": "Assurances Test",
        "client_summary": "Mme Claire Martin, 45 ans",
        "contracts": ["Habitat Confort n° HA-1234567 — appartement", "Auto n° AU-7654321 — Clio"],
    },
    identity={"birth_date": "2 mai 1981", "postcode": "69003", "city": "Lyon", "address": "4 rue Garibaldi"},
    known_facts=[
        {"topic": "logement", "cues": ["appartement", "étage"], "content": "J'habite au 2e étage."},
        {
            "topic": "plafond",
            "cues": ["plafond", "cuisine"],
            "content": "Le plafond de la cuisine est taché.",
        },
    ],
)


def plan(*advisor_and_client: str):
    turns = [Turn(speaker=Speaker.CLIENT, text=SCENARIO.opening_line)]
    for i, text in enumerate(advisor_and_client):
        turns.append(Turn(speaker=Speaker.ADVISOR if i % 2 == 0 else Speaker.CLIENT, text=text))
    transcript = Transcript(id="t", turns=turns)
    state = Director(SCENARIO).state(transcript)
    intent = shared_classifier().classify(advisor_and_client[-1])
    return ContentPlanner(SCENARIO).plan(transcript, state, intent)


def test_identity_defaults_come_from_the_persona_and_the_client_file() -> None:
    assert SCENARIO.identity.full_name == "Claire Martin"
    assert SCENARIO.identity.contract_numbers == ["HA-1234567", "AU-7654321"]


def test_identification_gives_the_data_asked_and_the_contract_of_this_product() -> None:
    p = plan("Pouvez-vous me donner votre nom et votre numéro de contrat ?")
    assert p.kind == "identity" and "Claire Martin" in p.text and "HA-1234567" in p.text
    assert "AU-7654321" not in p.text  # the habitation scenario: its own contract first, alone
    born = plan("Quelle est votre date de naissance et votre code postal ?")
    assert "2 mai 1981" in born.text and "69003" in born.text and born.text.startswith("Oui, Claire Martin")
    assert "14 mars" not in born.text  # « date » of « date de naissance » earns no fact


def test_identification_words_do_not_unlock_a_hidden_fact() -> None:
    scenario = make_scenario(
        hidden_facts=[
            {
                "id": "enfants",
                "content": "Mes enfants : Léa, née le 3 mai 2010.",
                "reveal_when": ["nom", "date de naissance", "enfants"],
            }
        ]  # fmt: skip
    )
    director = Director(scenario)
    turns = [Turn(speaker=Speaker.CLIENT, text="Bonjour."),
             Turn(speaker=Speaker.ADVISOR, text="Votre nom et votre date de naissance ?")]  # fmt: skip
    assert director.state(Transcript(id="t", turns=turns)).unlocked == []
    turns[-1] = Turn(speaker=Speaker.ADVISOR, text="Qui sont vos enfants ?")
    assert director.state(Transcript(id="t", turns=turns)).unlocked == ["enfants"]


def test_situation_question_gives_the_unlocked_fact_else_what_is_known_else_i_do_not_know() -> None:
    earned = plan("Quand est-ce arrivé ?")
    assert earned.lines == ["C'est arrivé mardi dernier, le 14 mars, vers 22 heures."]
    known = plan("Et le plafond, il est dans quel état ?")
    assert known.kind == "known" and known.lines == ["Le plafond de la cuisine est taché."]
    unknown = plan("Quelle est la marque de votre chaudière ?")
    assert unknown.kind == "dont_know" and "compris" not in unknown.text


def test_reformulation_is_confirmed_when_right_and_corrected_when_it_contradicts() -> None:
    right = plan("Quand est-ce arrivé ?", "C'est arrivé mardi dernier, le 14 mars.",
                 "Si je comprends bien, c'était mardi dernier, le 14 mars ?")  # fmt: skip
    assert right.kind == "confirm"
    wrong = plan("Quand est-ce arrivé ?", "C'est arrivé mardi dernier, le 14 mars.",
                 "Si je comprends bien, c'était jeudi, le 16 mars ?")  # fmt: skip
    assert wrong.kind == "correct" and wrong.text.startswith("Non") and "14 mars" in wrong.text


def test_proposal_gets_the_objections_in_order_then_acceptance() -> None:
    first = plan("Je vous propose de réparer, avec une petite franchise.")
    assert first.lines == ["C'est encore une franchise à payer, c'est ça ?"]
    later = plan("La franchise est de 50 €.", "Hmm.", "La franchise ne change pas.", "Ah.",
                 "Je vous propose Z, ça vous va ?")  # fmt: skip
    assert later.kind in ("accept", "hesitate") and "?" not in later.text


@pytest.mark.parametrize(
    ("advisor", "kind"),
    [
        ("Un instant, je regarde votre dossier.", "wait"),
        ("Avez-vous d'autres questions ?", "no_more"),
        ("Merci, au revoir madame.", "goodbye"),
        ("azerty qsdf", "not_understood"),
        ("Bonjour madame, que puis-je pour vous ?", "greeting"),
    ],
)
def test_each_remaining_intent_has_its_answer(advisor: str, kind: str) -> None:
    assert plan(advisor).kind == kind


def test_greeting_restates_the_reason_of_the_call() -> None:
    p = plan("Bonjour madame, que puis-je pour vous ?")
    assert "plafond de ma cuisine" in p.text


def asked(advisor: str) -> Transcript:
    opening = Turn(speaker=Speaker.CLIENT, text=SCENARIO.opening_line)
    return Transcript(id="t", turns=[opening, Turn(speaker=Speaker.ADVISOR, text=advisor)])


def test_lines_mode_needs_no_model_and_script_mode_falls_back_to_the_same_content() -> None:
    transcript = asked("Votre nom, s'il vous plaît ?")
    lines = ClientSimulator(SCENARIO, None).reply(transcript)
    model = ScriptedChatModel(replies=["Bonjour, Assurances Test, Camille à votre écoute."])
    scripted = ClientSimulator(SCENARIO, model)
    assert scripted.reply(transcript) == lines and "Claire Martin" in lines and scripted.last.fallback


def test_a_reply_that_skips_the_asked_identity_gets_it_appended() -> None:
    transcript = asked("Votre numéro de contrat ?")
    sim = ClientSimulator(SCENARIO, ScriptedChatModel(replies=["Oui, bien sûr."]))
    reply = sim.reply(transcript)
    assert reply.startswith("Oui, bien sûr.") and "HA-1234567" in reply and sim.last.completed


def test_no_scenario_known_fact_gives_away_a_hidden_fact() -> None:
    from scenarios.library import load_scenarios

    problems = {sid: known_fact_problems(s) for sid, s in load_scenarios().items()}
    assert {sid: p for sid, p in problems.items() if p} == {}
    leaky = make_scenario(
        known_facts=[{"topic": "x", "cues": ["qui"], "content": "Mon voisin du dessus, M. Roux."}]
    )
    assert [field for field, _ in known_fact_problems(leaky)] == ["known_facts[0].content"]


def test_a_wrong_amount_in_words_is_corrected_with_the_true_one() -> None:
    wrong = plan(
        "Combien de temps ?", "Ça dure depuis cinq jours.", "Si je résume, ça dure depuis trois semaines ?"
    )
    assert wrong.kind == "correct" and wrong.text.startswith("Non") and "cinq jours" in wrong.text
    right = plan(
        "Combien de temps ?", "Ça dure depuis cinq jours.", "Donc ça dure depuis 5 jours, c'est bien ça ?"
    )
    assert right.kind == "confirm"


def test_a_summary_of_what_was_said_in_the_conversation_is_confirmed() -> None:
    """Names the client or the advisor brought up earlier are no error; a signature is no claim."""
    p = plan(
        "Qui est venu constater ?",
        "Mon beau-frère Julien est passé voir, avec Maître Blanc.",
        "Madame,\n\nJe résume : Julien et Maître Blanc ont constaté les dégâts. Est-ce exact ?\n\n"
        "Cordialement,\nSophie Leclerc",
    )
    assert p.kind == "confirm"


def test_a_hold_gets_no_goodbye_even_when_the_conversation_should_end() -> None:
    transcript = asked("Merci, bonne journée. Un instant, je regarde votre dossier.")
    director = Director(SCENARIO)
    waiting = director.state(
        Transcript(id="t", turns=[*asked("Un instant, je regarde votre dossier.").turns])
    )
    p = ContentPlanner(SCENARIO).plan(transcript, waiting, shared_classifier().classify("Un instant."))
    assert p.kind == "wait" and "revoir" not in p.text and not waiting.wants_to_end


def test_an_e_mail_signed_off_is_no_goodbye() -> None:
    state = Director(SCENARIO).state(asked("Madame,\n\nAvez-vous des photos ?\n\nCordialement,\nP. Roy"))
    assert not state.wants_to_end and state.unlocked == ["photos"]


def test_asked_when_the_client_gives_a_time_he_knows_rather_than_i_do_not_know() -> None:
    scenario = make_scenario(
        hidden_facts=[],
        known_facts=[{"topic": "x", "cues": ["plafond"], "content": "Ça a commencé hier soir, vers 23 h."}],
    )
    turns = [Turn(speaker=Speaker.CLIENT, text=scenario.opening_line),
             Turn(speaker=Speaker.ADVISOR, text="Et c'est arrivé quand ?")]  # fmt: skip
    transcript = Transcript(id="t", turns=turns)
    p = ContentPlanner(scenario).plan(
        transcript, Director(scenario).state(transcript), shared_classifier().classify(turns[-1].text)
    )
    assert p.kind == "known" and "hier soir" in p.text


def test_a_fact_earned_by_a_statement_but_never_said_is_given_when_asked() -> None:
    """« Il nous faut des photos. » unlocks the photos; asked « vous en avez ? » later, she gives them."""
    p = plan("Il nous faudra une photo du plafond.", "D'accord.", "Vous avez pu prendre une photo ?")
    assert p.kind == "facts" and p.lines == ["J'ai pris des photos du plafond qui gondole."]


def test_a_proposal_that_earns_a_fact_is_answered_before_the_fact() -> None:
    scenario = make_scenario(
        hidden_facts=[{"id": "v", "content": "Je roule 80 km par jour.", "reveal_when": ["véhicule de prêt"]}]
    )
    offer = "Je vous propose un véhicule de prêt. Ça vous va ?"
    turns = [
        Turn(speaker=Speaker.CLIENT, text=scenario.opening_line),
        Turn(speaker=Speaker.ADVISOR, text=offer),
    ]
    transcript = Transcript(id="t", turns=turns)
    state = Director(scenario).state(transcript)
    p = ContentPlanner(scenario).plan(transcript, state, shared_classifier().classify(turns[-1].text))
    assert (
        p.kind in ("accept", "hesitate") and p.lines[-1] == "Je roule 80 km par jour." and len(p.lines) == 2
    )


def test_a_known_fact_asked_again_is_said_as_a_reminder_not_word_for_word() -> None:
    first = plan("Et le plafond, il est dans quel état ?")
    again = plan("Et le plafond, il est dans quel état ?", first.text, "Le plafond est abîmé comment ?")
    assert first.text == "Le plafond de la cuisine est taché."
    assert again.kind == "known" and again.text != first.text and again.text.endswith(first.text[1:])
