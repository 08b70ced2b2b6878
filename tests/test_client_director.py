"""Director rules: what the client may say, from the transcript alone."""

from __future__ import annotations

from bot.director import Director
from crca.text import has_cue
from domain.transcript import Speaker, Transcript, Turn
from scenarios.models import Scenario


def make_scenario(**changes: object) -> Scenario:
    """A small hand-built scenario the client tests share (independent of the library files)."""
    data: dict = {
        "id": "test-degat-eaux",
        "title": "Dégât des eaux",
        "product": "habitation",
        "path": "sinistre",
        "channel": "phone",
        "difficulty": 1,
        "client_file": {"company": "Assurances Test", "client_summary": "Mme Claire Martin, 45 ans"},
        "persona": {
            "name": "Claire Martin",
            "age": 45,
            "situation": "Locataire d'un appartement à Lyon, vit seule avec son chat.",
            "temperament": "anxieuse",
            "speech_style": "phrases courtes",
            "wants": "Savoir qui paie la réparation du plafond.",
            "objections": [
                "C'est encore une franchise à payer, c'est ça ?",
                "Et ça prendra combien de temps ?",
            ],
            "objection_cues": ["je vous propose", "franchise"],
            "initial_mood": -1,
        },
        "hidden_facts": [
            {
                "id": "voisin",
                "content": "La fuite vient de chez mon voisin du dessus, M. Roux.",
                "reveal_when": ["origine", "d'où vient", "voisin"],
            },
            {
                "id": "date",
                "content": "C'est arrivé mardi dernier, le 14 mars, vers 22 heures.",
                "reveal_when": ["quand", "date"],
            },
            {
                "id": "photos",
                "content": "J'ai pris des photos du plafond qui gondole.",
                "reveal_when": ["photo", "preuve", "justificatif"],
            },
        ],
        "expected": {
            "solution": "Ouvrir le sinistre dégât des eaux, appliquer la convention IRSI entre "
            "assureurs, missionner un expert et demander les coordonnées de l'assureur du voisin."
        },
        "opening_line": "Bonjour, j'ai de l'eau qui coule du plafond de ma cuisine, que dois-je faire ?",
        "fallback_lines": ["Pardon, vous pouvez répéter ?", "Je ne suis pas sûre de comprendre."],
        "end": {"max_turns": 12, "client_ends_when": ["on vous rappelle"]},
    }
    data.update(changes)
    return Scenario.model_validate(data)


def transcript_of(*advisor_and_client: str) -> Transcript:
    """Opening line, then alternating advisor / client texts."""
    turns = [Turn(speaker=Speaker.CLIENT, text=make_scenario().opening_line)]
    for i, text in enumerate(advisor_and_client):
        turns.append(Turn(speaker=Speaker.ADVISOR if i % 2 == 0 else Speaker.CLIENT, text=text))
    return Transcript(id="t", turns=turns)


def test_cues_ignore_case_and_accents_but_need_whole_words() -> None:
    assert has_cue("D'OÙ VIENT la fuite ?", "d'où vient")
    assert has_cue("Vous avez des photos ?", "photo")
    assert not has_cue("Photographe de métier ?", "photo")


def test_fact_unlocked_by_cue_is_revealed_once_in_the_next_reply() -> None:
    director = Director(make_scenario())
    state = director.state(transcript_of("Bonjour madame, savez-vous d'où vient cette eau ?"))
    assert state.unlocked == ["voisin"] and state.reveal_now == ["voisin"]
    assert director.facts_to_reveal(state) == ["La fuite vient de chez mon voisin du dessus, M. Roux."]
    later = director.state(transcript_of("Savez-vous d'où vient cette eau ?", "Du voisin.", "Et ensuite ?"))
    assert later.unlocked == ["voisin"] and later.reveal_now == []
    assert "La fuite vient de chez mon voisin du dessus, M. Roux." in director.facts_known(later)


def test_no_unlock_without_cue_and_locked_facts_are_forbidden() -> None:
    director = Director(make_scenario())
    state = director.state(transcript_of("Bonjour, je vous écoute, expliquez-moi tout."))
    assert state.unlocked == [] and state.reveal_now == []
    forbidden = director.must_not_say(state)
    assert len(forbidden) == 4 and forbidden[-1].startswith("Ouvrir le sinistre")


def test_mood_rises_with_empathy_and_falls_with_curtness_and_jargon() -> None:
    director = Director(make_scenario())
    assert director.initial().mood == -1
    kind = director.state(
        transcript_of("Bonjour madame, je comprends, ne vous inquiétez pas. Où en êtes-vous ?")
    )
    assert kind.mood == 0 and "empathie" in kind.mood_reasons
    curt = director.state(transcript_of("Numéro de contrat."))
    assert curt.mood == -2 and "sécheresse" in curt.mood_reasons
    jargon = director.state(
        transcript_of("Il y a subrogation et application de la vétusté selon la convention.")
    )
    assert jargon.mood == -2 and "jargon" in jargon.mood_reasons


def test_ignoring_the_clients_question_lowers_mood() -> None:
    director = Director(make_scenario(persona={**make_scenario().persona.model_dump(), "initial_mood": 0}))
    answered = director.state(
        transcript_of(
            "Bonjour madame.", "Qui va payer le plafond ?", "Le plafond sera payé après expertise, madame."
        )
    )
    ignored = director.state(
        transcript_of(
            "Bonjour madame.", "Qui va payer le plafond ?", "Donnez-moi votre adresse postale complète."
        )
    )
    assert not answered.question_ignored and ignored.question_ignored
    assert ignored.mood < answered.mood


def test_objections_come_once_each_and_only_about_what_is_offered() -> None:
    director = Director(make_scenario())
    first = director.state(transcript_of("Je vous propose de réparer, avec une petite franchise."))
    assert first.objection_now == "C'est encore une franchise à payer, c'est ça ?"
    second = director.state(
        transcript_of(
            "Je vous propose une franchise réduite.",
            "Une franchise ?",
            "Je vous propose un artisan, le temps de réparer.",
        )
    )
    assert second.objection_now == "Et ça prendra combien de temps ?" and second.objections_raised == 2
    untied = director.state(
        transcript_of(
            "Je vous propose une franchise réduite.", "Une franchise ?", "La franchise est de 150 euros."
        )
    )
    assert (
        untied.objection_now is None and untied.proposal_now
    )  # the delay objection is not about a franchise
    third = director.state(
        transcript_of(
            "La franchise est de 50 €.",
            "Hmm.",
            "Je vous propose un artisan, le temps de réparer.",
            "Ah.",
            "Je vous propose Z.",
        )
    )
    assert third.objections_raised == 2 and third.objection_now is None and third.proposal_now


def test_the_objection_tied_to_the_offer_is_raised_not_the_next_in_line() -> None:
    scenario = make_scenario()
    scenario.persona.objections = [
        "Franchement, 124 € d'un coup, je peux pas.",
        "Et ma cotisation, elle augmente ?",
    ]
    scenario.persona.objection_cues = ["payer", "cotisation", "échéancier"]
    director = Director(scenario)
    split = director.state(
        transcript_of("Je vous propose de payer 62 € maintenant et 62 € en échéancier. Ça vous va ?")
    )
    assert split.objection_now is None and split.proposal_now  # 124 € is not what was offered
    whole = director.state(transcript_of("Je vous propose de payer les 124 € aujourd'hui."))
    assert whole.objection_now == "Franchement, 124 € d'un coup, je peux pas."
    premium = director.state(
        transcript_of("Je vous propose un conducteur secondaire, la cotisation change un peu.")
    )
    assert premium.objection_now == "Et ma cotisation, elle augmente ?" and premium.objections_used == [1]


def test_no_objection_to_an_offer_on_another_topic_nor_to_a_question() -> None:
    director = Director(make_scenario())
    offer = director.state(transcript_of("Je vous propose d'ouvrir un dossier et de vous envoyer un e-mail."))
    assert offer.objection_now is None and offer.objections_raised == 0
    question = director.state(transcript_of("Avez-vous une franchise sur votre contrat ?"))
    assert question.objection_now is None


def test_end_on_closing_cue_scenario_cue_or_max_turns() -> None:
    director = Director(make_scenario())
    assert director.state(transcript_of("Merci, bonne journée madame !")).end_reason == "closing"
    assert director.state(transcript_of("Très bien, on vous rappelle demain.")).end_reason == "scenario"
    assert not director.state(transcript_of("Pouvez-vous décrire les dégâts ?")).wants_to_end
    ask = "Pouvez-vous me préciser ce point, madame ?"
    long = transcript_of(*[ask, "Oui."] * 5 + [ask])
    assert len(long.turns) == 12
    assert director.state(long).end_reason == "max_turns"


def test_directive_is_a_script_for_the_small_model_and_a_hint_for_a_strong_one() -> None:
    director = Director(make_scenario())
    state = director.state(transcript_of("Quand est-ce arrivé exactement ?"))
    content = "C'est arrivé mardi dernier, le 14 mars, vers 22 heures."
    script = director.directive(state, advisor="Quand ?", content=content)
    hint = director.directive(state, advisor="Quand ?", content=content, hint=True)
    assert "14 mars" in script and "14 mars" in hint
    assert "Dis exactement ceci" in script and "formule-le librement" in hint
    assert "Dis exactement" not in hint


def test_state_is_a_fold_rebuilt_identically_from_a_saved_transcript() -> None:
    director = Director(make_scenario())
    transcript = transcript_of(
        "Bonjour, je comprends. D'où vient l'eau ?",
        "De chez le voisin.",
        "Je vous propose d'ouvrir un dossier.",
        "Une franchise ?",
        "Avez-vous des photos ?",
    )
    live = director.initial()
    for i, turn in enumerate(transcript.turns):
        live = director.advance(live, turn, i + 1)
    reloaded = Transcript.model_validate_json(transcript.model_dump_json())
    assert director.state(reloaded) == live
    assert live.unlocked == ["voisin", "photos"] and live.reveal_now == ["photos"]
