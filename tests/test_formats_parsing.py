"""Each transcript format parses into the same `Transcript` the grader reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from domain.transcript import Channel, Speaker
from evaluation.formats import DEFAULT_ROLE_MAP, iter_transcript_files, load_transcript, speaker_of


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_native_json_with_actions_and_scenario(tmp_path: Path) -> None:
    data = {
        "id": "appel-42",
        "channel": "chat",
        "context": "Contrat habitation n° 123.",
        "scenario_id": "degat-des-eaux",
        "turns": [
            {"speaker": "advisor", "text": "Bonjour, Assur'Ouest, Julie à votre écoute."},
            {"speaker": "client", "text": "J'ai un dégât des eaux."},
        ],
        "actions": [{"type": "claim_opened", "detail": "Sinistre DDE", "after_turn": 1}],
    }
    t = load_transcript(write(tmp_path / "x.json", json.dumps(data)))
    assert (t.id, t.channel, t.scenario_id) == ("appel-42", Channel.CHAT, "degat-des-eaux")
    assert [turn.speaker for turn in t.turns] == [Speaker.ADVISOR, Speaker.CLIENT]
    assert t.actions[0].type == "claim_opened" and t.actions[0].after_turn == 1
    assert t.context == "Contrat habitation n° 123."


def test_native_json_defaults_id_to_stem_and_actions_optional(tmp_path: Path) -> None:
    data = {"turns": [{"speaker": "advisor", "text": "Bonjour"}]}
    t = load_transcript(write(tmp_path / "sous/mon-appel.json", json.dumps(data)))
    assert t.id == "mon-appel" and t.actions == [] and t.channel == Channel.PHONE


def test_plain_text_headers_variants_continuations_and_actions(tmp_path: Path) -> None:
    text = (
        "# id: txt-1\n"
        "# channel: téléphone\n"
        "# context: Client auto depuis 2019.\n"
        "# context: Bonus 0,50.\n"
        "Conseiller(e): Bonjour, Assur'Ouest.\n"
        "ASSURÉ : J'ai eu un accident.\n"
        "Ma voiture est au garage.\n"
        "   Objet : réparation\n"
        "# action: claim_opened: Sinistre auto n° 7\n"
        "**Agent :** Je vous ouvre un dossier.\n"
        "- Cliente: Merci.\n"
        "# action: callback_scheduled\n"
    )
    t = load_transcript(write(tmp_path / "appel.txt", text))
    assert t.id == "txt-1" and t.channel == Channel.PHONE
    assert t.context == "Client auto depuis 2019.\nBonus 0,50."
    assert [x.speaker for x in t.turns] == [Speaker.ADVISOR, Speaker.CLIENT, Speaker.ADVISOR, Speaker.CLIENT]
    assert t.turns[1].text == "J'ai eu un accident.\nMa voiture est au garage.\nObjet : réparation"
    assert t.turns[2].text == "Je vous ouvre un dossier."
    assert [(a.type, a.detail, a.after_turn) for a in t.actions] == [
        ("claim_opened", "Sinistre auto n° 7", 1),
        ("callback_scheduled", "", 3),
    ]


def test_markdown_headings_are_comments(tmp_path: Path) -> None:
    text = "# Appel du 3 mars\n\n## Déroulé\nConseillère (Julie) : Bonjour\nClient (M. Durand) : Bonjour\n"
    t = load_transcript(write(tmp_path / "note.md", text))
    assert t.id == "note" and len(t.turns) == 2 and t.turns[0].speaker == Speaker.ADVISOR


def test_openai_messages_default_mapping(tmp_path: Path) -> None:
    data = {
        "channel": "email",
        "messages": [
            {"role": "system", "content": "Tu joues un client mécontent."},
            {"role": "user", "content": "Bonjour Madame, je suis votre conseiller."},
            {"role": "assistant", "content": [{"type": "text", "text": "Je veux résilier."}]},
        ],
    }
    t = load_transcript(write(tmp_path / "chat.json", data and json.dumps(data)))
    assert DEFAULT_ROLE_MAP["user"] == "advisor" and DEFAULT_ROLE_MAP["assistant"] == "client"
    assert [x.speaker for x in t.turns] == [Speaker.ADVISOR, Speaker.CLIENT]
    assert t.turns[1].text == "Je veux résilier."
    assert t.context == "Tu joues un client mécontent." and t.channel == Channel.EMAIL


def test_openai_messages_role_map_override_and_bare_list(tmp_path: Path) -> None:
    data = {
        "role_map": {"user": "client", "assistant": "advisor", "tool": "ignore"},
        "messages": [
            {"role": "user", "content": "Bonjour"},
            {"role": "tool", "content": "{}"},
            {"role": "assistant", "content": "Bonjour, que puis-je pour vous ?"},
        ],
    }
    t = load_transcript(write(tmp_path / "inv.json", json.dumps(data)))
    assert [x.speaker for x in t.turns] == [Speaker.CLIENT, Speaker.ADVISOR]
    bare = [{"role": "user", "content": "Allô ?"}]
    assert (
        load_transcript(write(tmp_path / "bare.json", json.dumps(bare))).turns[0].speaker == Speaker.ADVISOR
    )


def test_speaker_labels() -> None:
    assert speaker_of("Conseiller·ère") == Speaker.ADVISOR
    assert speaker_of("Chargé de clientèle") == Speaker.ADVISOR
    assert speaker_of("Agent 2") == Speaker.ADVISOR
    assert speaker_of("Sociétaire") == Speaker.CLIENT
    assert speaker_of("Superviseur") is None


def test_iter_transcript_files_recurses_and_skips_docs(tmp_path: Path) -> None:
    for name in ["a.json", "b/c.txt", "b/d.md", "b/README.md", "b/.cache/e.json", "b/f.yaml"]:
        write(tmp_path / "set" / name, "x")
    single = write(tmp_path / "lone.dat", "x")
    found = iter_transcript_files([tmp_path / "set", single, tmp_path / "set" / "a.json"])
    names = [p.relative_to(tmp_path).as_posix() for p in found]
    assert names == ["set/a.json", "set/b/c.txt", "set/b/d.md", "lone.dat"]


@pytest.mark.parametrize(
    ("value", "channel"),
    [
        ("face_to_face", Channel.FACE_TO_FACE),
        ("Face à face", Channel.FACE_TO_FACE),
        ("face-à-face", Channel.FACE_TO_FACE),
        ("agence", Channel.FACE_TO_FACE),
        ("phone", Channel.PHONE),
        ("Téléphone", Channel.PHONE),
        ("e-mail", Channel.EMAIL),
        ("Courriel", Channel.EMAIL),
        ("email", Channel.EMAIL),
        ("Tchat", Channel.CHAT),
    ],
)
def test_channel_values_and_french_variants(tmp_path: Path, value: str, channel: Channel) -> None:
    data = {"channel": value, "turns": [{"speaker": "advisor", "text": "Bonjour"}]}
    assert load_transcript(write(tmp_path / "c.json", json.dumps(data))).channel == channel
    text = f"# canal: {value}\nConseiller: Bonjour\n"
    assert load_transcript(write(tmp_path / "c.txt", text)).channel == channel
