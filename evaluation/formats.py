"""Transcript files in, `Transcript` out: native JSON, plain text, OpenAI-style messages.

Errors are for the person who wrote the file: `TranscriptFormatError` names the file,
the line (text, bad JSON) or turn/message number (1-based) and says what is wrong, in French.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from crca.text import fold
from domain.transcript import Action, Channel, Speaker, Transcript, Turn

SUFFIXES = (".json", ".txt", ".md")

_ADVISOR = "conseiller conseillere advisor agent stagiaire apprenant gestionnaire charge chargee operateur"
_CLIENT = "client cliente assure assuree prospect souscripteur souscriptrice customer societaire adherent"
_SPEAKERS = {
    **dict.fromkeys(_ADVISOR.split(), Speaker.ADVISOR),
    **dict.fromkeys(_CLIENT.split(), Speaker.CLIENT),
}
_CHANNELS: dict[str, Channel] = {
    **{c.value: c for c in Channel}, "telephone": Channel.PHONE, "tel": Channel.PHONE, "tchat": Channel.CHAT,
    "e_mail": Channel.EMAIL, "mail": Channel.EMAIL, "courriel": Channel.EMAIL, "agence": Channel.FACE_TO_FACE,
    "face_a_face": Channel.FACE_TO_FACE,
}  # fmt: skip
"""Keys as `_channel` folds a value: lower case, no accents, spaces and dashes as '_'."""
DEFAULT_ROLE_MAP: dict[str, str] = {"user": "advisor", "assistant": "client", "system": "context"}
"""OpenAI `messages`: the trainee typed as the human user; the simulated client was the model."""

_HEADER = re.compile(r"^#\s*([\w -]+?)\s*:\s*(.*)$")
_LABELLED = re.compile(r"^[-*>\s]*\**\s*([A-Za-zÀ-ÿ][\w'’()·.\- ]{0,40}?)\s*\**\s*:\s*\**\s*(.*)$")
_NAME_LIKE = re.compile(r"^[\w'’·.\-]+(?:\s*\d+)?(?:\s*\([^)]*\))?$")
"""A one-word label ('Superviseur', 'Agent 2'): read as a speaker, so an unknown one is an error."""
_HEADER_KEYS = {
    "id": "id", "channel": "channel", "canal": "channel", "context": "context", "contexte": "context",
    "scenario": "scenario_id", "scenario_id": "scenario_id", "action": "action",
}  # fmt: skip


class TranscriptFormatError(ValueError):
    """A transcript file that cannot be read; the message says where and why, in French."""

    def __init__(self, path: Path | str, reason: str, *, where: str = "") -> None:
        self.path, self.reason, self.where = Path(path), reason, where
        super().__init__(f"{self.path}{', ' + where if where else ''} : {reason}")


def _label_key(text: str) -> str:
    """Lower case without accents, parentheses or extra spaces: 'Conseiller(e)' → 'conseiller'."""
    text = re.sub(r"\([^)]*\)|·\w*|\.e\b", " ", text)
    text = fold(text)
    return " ".join(text.replace("_", " ").split())


def speaker_of(label: str) -> Speaker | None:
    """The speaker a label designates ('Conseillère (Julie)', 'ASSURÉ', 'Agent 2'), or None."""
    folded = _label_key(label)
    if folded in _SPEAKERS:
        return _SPEAKERS[folded]
    words = folded.split(" ")
    return _SPEAKERS.get(words[0]) if len(words) <= 4 else None


def _channel(path: Path, value: object, where: str) -> Channel:
    found = _CHANNELS.get(re.sub(r"[\s_-]+", "_", _label_key(value))) if isinstance(value, str) else None
    if found is None:
        allowed = ", ".join(c.value for c in Channel)
        raise TranscriptFormatError(path, f"canal invalide « {value} » (attendu : {allowed})", where=where)
    return found


def _finish(path: Path, fields: dict[str, Any]) -> Transcript:
    """Build the transcript and apply the rules every format shares."""
    fields.setdefault("id", path.stem)
    if not str(fields["id"] or "").strip():
        raise TranscriptFormatError(path, "identifiant vide")
    turns = fields.get("turns") or []
    if not turns:
        raise TranscriptFormatError(path, "aucun tour de parole")
    if not any(t.speaker == Speaker.ADVISOR for t in turns):
        raise TranscriptFormatError(path, "aucun tour du conseiller (le stagiaire évalué)")
    try:
        return Transcript(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise TranscriptFormatError(path, f"champ {loc} invalide ({first['msg']})") from exc


def parse_text(path: Path, text: str) -> Transcript:
    """Plain text: '# key: value' headers, 'Conseiller: …' / 'Client: …' turns, indented continuations."""
    fields: dict[str, Any] = {"turns": [], "actions": []}
    turns: list[tuple[Speaker, list[str], int]] = []  # speaker, lines, line number
    context: list[str] = []
    if not text.strip():
        raise TranscriptFormatError(path, "fichier vide")
    for number, raw in enumerate(text.splitlines(), start=1):
        where = f"ligne {number}"
        line = raw.rstrip()
        if not line.strip():
            continue
        if line.lstrip().startswith("#"):
            header = _HEADER.match(line.strip())
            if not header:
                continue  # a comment or a Markdown heading, not a header
            key = _HEADER_KEYS.get(_label_key(header.group(1)).replace(" ", "_"))
            value = header.group(2).strip()
            if key == "action":
                kind, _, detail = value.partition(":")
                if not kind.strip():
                    raise TranscriptFormatError(
                        path, "action sans type (# action: type: détail)", where=where
                    )
                after = len(turns) - 1 if turns else None
                fields["actions"].append(Action(type=kind.strip(), detail=detail.strip(), after_turn=after))
            elif key == "channel":
                fields["channel"] = _channel(path, value, where)
            elif key == "context":
                context.append(value)
            elif key:
                fields[key] = value
            continue
        match = None if raw[:1].isspace() else _LABELLED.match(line)
        speaker = speaker_of(match.group(1)) if match else None
        if match and speaker:
            turns.append((speaker, [match.group(2).strip()], number))
        elif match and (not turns or _NAME_LIKE.match(match.group(1).strip())):
            reason = f"locuteur inconnu « {match.group(1).strip()} » (attendu : Conseiller ou Client)"
            raise TranscriptFormatError(path, reason, where=where)
        elif turns:
            turns[-1][1].append(line.strip())
        else:
            reason = "texte hors d'un tour (commencez par « Conseiller: » ou « Client: »)"
            raise TranscriptFormatError(path, reason, where=where)
    for index, (speaker, lines, number) in enumerate(turns, start=1):
        body = "\n".join(part for part in lines if part)
        if not body:
            raise TranscriptFormatError(path, "tour vide", where=f"ligne {number} (tour {index})")
        fields["turns"].append(Turn(speaker=speaker, text=body))
    if context:
        fields["context"] = "\n".join(context)
    return _finish(path, fields)


def _content(value: object) -> str:
    """Message content as text (a string, or OpenAI content parts)."""
    if isinstance(value, list):
        return "\n".join(str(p.get("text", "")) for p in value if isinstance(p, dict))
    return value if isinstance(value, str) else ""


def _json_turns(path: Path, data: dict[str, Any]) -> tuple[list[Turn], list[str]]:
    """Turns and context lines from native `turns` (speaker/text) or `messages` (role/content)."""
    resolve: Callable[[Any], str | None]
    if isinstance(data.get("messages"), list):
        items, unit, who_key, text_key = data["messages"], "message", "role", "content"
        role_map = {**DEFAULT_ROLE_MAP, **(data.get("role_map") or {})}
        resolve, hint = role_map.get, "advisor, client, context ou ignore, via role_map"
    elif isinstance(data.get("turns"), list):
        items, unit, who_key, text_key = data["turns"], "tour", "speaker", "text"
        resolve, hint = (lambda label: (s := speaker_of(label)) and s.value), "advisor ou client"
    else:
        raise TranscriptFormatError(path, "clé « turns » (liste de tours) ou « messages » attendue")
    turns: list[Turn] = []
    context = [data["context"]] if isinstance(data.get("context"), str) and data["context"] else []
    for number, item in enumerate(items, start=1):
        where = f"{unit} {number}"
        if not isinstance(item, dict):
            raise TranscriptFormatError(path, f"objet {{{who_key}, {text_key}}} attendu", where=where)
        label = str(item.get(who_key, ""))
        target = resolve(label)
        if target not in ("advisor", "client", "context", "ignore"):
            raise TranscriptFormatError(path, f"locuteur inconnu « {label} » (attendu : {hint})", where=where)
        text = _content(item.get(text_key))
        if target == "ignore" or (target == "context" and not text.strip()):
            continue
        if not text.strip():
            raise TranscriptFormatError(path, "tour vide", where=where)
        if target == "context":
            context.append(text.strip())
        else:
            turns.append(Turn(speaker=Speaker(target), text=text))
    return turns, context


def _actions(path: Path, raw: object) -> list[Action]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise TranscriptFormatError(path, "« actions » doit être une liste")
    actions = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not str(item.get("type") or "").strip():
            raise TranscriptFormatError(path, "action sans type", where=f"action {number}")
        detail, after = str(item.get("detail") or ""), item.get("after_turn")
        actions.append(Action(type=str(item["type"]).strip(), detail=detail, after_turn=after))
    return actions


def parse_structured(path: Path, data: dict[str, Any]) -> Transcript:
    """A decoded JSON object: native `{id, channel, context, scenario_id, turns, actions}` or `messages`."""
    turns, context = _json_turns(path, data)
    fields = {k: data[k] for k in ("id", "scenario_id") if data.get(k) is not None}
    if "channel" in data:
        fields["channel"] = _channel(path, data["channel"], "champ channel")
    actions = _actions(path, data.get("actions"))
    return _finish(path, {**fields, "context": "\n".join(context), "turns": turns, "actions": actions})


def parse_json(path: Path, text: str) -> Transcript:
    """A JSON file's text; a bare list is read as `messages`."""
    if not text.strip():
        raise TranscriptFormatError(path, "fichier vide")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptFormatError(
            path, f"JSON invalide ({exc.msg})", where=f"ligne {exc.lineno}, colonne {exc.colno}"
        ) from exc
    if isinstance(data, list):
        data = {"messages": data}
    if not isinstance(data, dict):
        raise TranscriptFormatError(path, "un objet JSON est attendu à la racine")
    return parse_structured(path, data)


def load_transcript(path: Path | str) -> Transcript:
    """Read one transcript file (.json: native or messages; anything else: plain text)."""
    path = Path(path)
    if not path.is_file():
        raise TranscriptFormatError(path, "fichier introuvable")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TranscriptFormatError(path, f"encodage non UTF-8 (octet {exc.start})") from exc
    if path.suffix.lower() == ".json":
        return parse_json(path, text)
    return parse_text(path, text)


def iter_transcript_files(paths: Iterable[Path | str]) -> list[Path]:
    """Files named on the command line as given; folders searched recursively (.json/.txt/.md).

    Hidden entries and README files in folders are skipped (documentation, not transcripts).
    """
    found: dict[Path, None] = {}
    for item in map(Path, paths):
        children = sorted(item.rglob("*")) if item.is_dir() else [item]
        for child in children:
            if child is item or (
                child.is_file()
                and child.suffix.lower() in SUFFIXES
                and not any(p.startswith(".") for p in child.relative_to(item).parts)
                and not child.stem.upper().startswith("README")
            ):
                found[child] = None
    return list(found)
