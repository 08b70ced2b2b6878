"""Malformed transcripts give errors naming the file, the place and the reason, in French."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.formats import TranscriptFormatError, load_transcript


def error_for(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TranscriptFormatError) as info:
        load_transcript(path)
    message = str(info.value)
    assert message.startswith(str(path)), message
    return message


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("vide.txt", "  \n\n", "fichier vide"),
        ("vide.json", "", "fichier vide"),
        (
            "inconnu.txt",
            "Conseiller: Bonjour\nSuperviseur: Je reprends.\n",
            "ligne 2 : locuteur inconnu « Superviseur »",
        ),
        ("debut.txt", "Bonjour tout le monde\nClient: oui\n", "ligne 1 : texte hors d'un tour"),
        ("canal.txt", "# channel: pigeon\nConseiller: Bonjour\n", "ligne 1 : canal invalide « pigeon »"),
        (
            "tourvide.txt",
            "Conseiller: Bonjour\nClient:\nConseiller: Allô ?\n",
            "ligne 2 (tour 2) : tour vide",
        ),
        ("sansconseiller.txt", "Client: Allô ?\nClient: Il y a quelqu'un ?\n", "aucun tour du conseiller"),
        ("action.txt", "Conseiller: Bonjour\n# action: : rien\n", "ligne 2 : action sans type"),
        (
            "json.json",
            '{"turns": [\n  {"speaker": "advisor", "text": "x"}\n  {"speaker": "client"}\n]}',
            "ligne 3, colonne 3 : JSON invalide",
        ),
        (
            "loc.json",
            json.dumps({"turns": [{"speaker": "advisor", "text": "a"}, {"speaker": "boss", "text": "b"}]}),
            "tour 2 : locuteur inconnu « boss »",
        ),
        (
            "tv.json",
            json.dumps({"turns": [{"speaker": "advisor", "text": "a"}, {"speaker": "client", "text": " "}]}),
            "tour 2 : tour vide",
        ),
        (
            "ch.json",
            json.dumps({"channel": "fax", "turns": [{"speaker": "advisor", "text": "a"}]}),
            "champ channel : canal invalide « fax »",
        ),
        (
            "role.json",
            json.dumps({"messages": [{"role": "user", "content": "a"}, {"role": "tool", "content": "b"}]}),
            "message 2 : locuteur inconnu « tool »",
        ),
        ("noturns.json", json.dumps({"id": "x"}), "clé « turns »"),
        (
            "noadv.json",
            json.dumps({"messages": [{"role": "assistant", "content": "Allô ?"}]}),
            "aucun tour du conseiller",
        ),
        (
            "act.json",
            json.dumps({"turns": [{"speaker": "advisor", "text": "a"}], "actions": [{"detail": "x"}]}),
            "action 1 : action sans type",
        ),
    ],
)
def test_malformed_files_are_located(tmp_path: Path, name: str, text: str, expected: str) -> None:
    assert expected in error_for(tmp_path, name, text)


def test_missing_file_and_bad_encoding(tmp_path: Path) -> None:
    with pytest.raises(TranscriptFormatError, match="fichier introuvable"):
        load_transcript(tmp_path / "absent.txt")
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Conseiller: Réponse\n".encode("latin-1"))
    with pytest.raises(TranscriptFormatError, match="non UTF-8"):
        load_transcript(bad)


def test_error_keeps_structured_parts(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("Client:\n", encoding="utf-8")
    with pytest.raises(TranscriptFormatError) as info:
        load_transcript(path)
    assert info.value.path == path and info.value.reason == "tour vide" and "ligne 1" in info.value.where
