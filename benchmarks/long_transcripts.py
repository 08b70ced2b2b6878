"""Synthetic recorded exchanges for the scale benchmarks: long, many, and some malformed.

The sentences are plain advisor/client French in the style of the fixtures; only the size matters here.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

ADVISOR = [
    "Bonjour, Assur'Ouest, Julie à votre écoute, puis-je avoir votre numéro de contrat ?",
    "Si je comprends bien, votre véhicule a été heurté à l'arrêt par l'arrière.",
    "Je vérifie vos garanties : la franchise bris de glace est de 150 euros selon l'article 4.",
    "Je vous propose d'ouvrir la déclaration de sinistre et de missionner un expert.",
    "Avez-vous d'autres questions ? Je vous envoie la confirmation par e-mail, bonne journée.",
]
CLIENT = [
    "Bonjour, Paul Martin, contrat 4512, on m'a embouti à un feu rouge hier soir.",
    "Oui, j'ai un constat amiable signé par les deux conducteurs.",
    "Combien de temps faut-il pour l'indemnisation ? J'ai besoin de ma voiture pour travailler.",
    "D'accord, et le véhicule de remplacement est-il compris dans mon contrat ?",
]


def _text(pool: list[str], chars: int, rng: random.Random) -> str:
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < chars:
        parts.append(rng.choice(pool))
    return " ".join(parts)[:chars].rsplit(" ", 1)[0] + "."


def long_transcript(turns: int, turn_chars: int, *, ident: str = "long", seed: int = 0) -> dict:
    """A native JSON transcript of `turns` alternating turns of about `turn_chars` characters."""
    rng = random.Random(seed)
    items = [
        {"speaker": "advisor" if i % 2 == 0 else "client",
         "text": _text(ADVISOR if i % 2 == 0 else CLIENT, turn_chars, rng)}
        for i in range(turns)
    ]  # fmt: skip
    return {"id": ident, "channel": "phone", "turns": items}


def write_batch(
    folder: Path, count: int, bad_every: int = 20, *, turns: int = 12, turn_chars: int = 160
) -> list[Path]:
    """`count` transcript files, one in `bad_every` malformed (broken JSON, unknown speaker, empty,
    no advisor turn); returns the malformed ones."""
    folder.mkdir(parents=True, exist_ok=True)
    bad_kinds = [
        lambda i: f'{{"id": "cassé-{i}", "turns": [',
        lambda i: json.dumps({"id": f"inconnu-{i}", "turns": [{"speaker": "robot", "text": "Bip."}]}),
        lambda i: "",
        lambda i: json.dumps({"id": f"client-seul-{i}", "turns": [{"speaker": "client", "text": "Allô ?"}]}),
    ]
    bad: list[Path] = []
    for i in range(count):
        path = folder / f"t{i:05d}.json"
        if i % bad_every == bad_every - 1:
            path.write_text(bad_kinds[(i // bad_every) % len(bad_kinds)](i), encoding="utf-8")
            bad.append(path)
        else:
            data = long_transcript(turns, turn_chars, ident=f"t{i:05d}", seed=i)
            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return bad
