"""Embedded backend latency vs raw llama-cpp-python on the same prompt, in one run.

Prints model load time, first-token latency on a cold prompt and on a follow-up turn
(prefix cache), and generation speed, for the served backend (the product's path:
openai client → llama_cpp.server) and for llama-cpp-python in process, with ratios.

    .venv/bin/python benchmarks/llm_latency.py [--tokens 64]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator

PERSONA = (
    "Tu joues le rôle de Martine Leroy, 52 ans, cliente d'Assurances Horizon Mutuelle depuis douze ans. "
    "Tu es assistante de direction à Nantes, mariée, deux enfants étudiants. Tu as un contrat "
    "multirisque habitation pour ta maison de 5 pièces et un contrat automobile tous risques pour "
    "une Peugeot 308 de 2019. Tu appelles parce qu'un dégât des eaux venu de la salle de bains de "
    "l'étage a abîmé le plafond du salon hier soir ; le plombier est passé ce matin et a trouvé un "
    "joint de canalisation encastrée qui fuyait. Tu es inquiète, un peu pressée, tu parles simplement "
    "et poliment, tu poses des questions quand tu ne comprends pas un mot technique. Tu ne connais pas "
    "les conventions entre assureurs ni le montant de ta franchise. Tu veux savoir si tu es couverte, "
    "ce que tu dois faire, qui va venir voir les dégâts et quand tu seras remboursée. Tu as fait des "
    "photos, tu as gardé la facture du plombier (180 euros) et tu n'as pas encore prévenu ton voisin "
    "du dessous car tu habites une maison individuelle. Règles : tu es la cliente, jamais le conseiller ; "
    "tu ne dis jamais que tu es une intelligence artificielle ; tu réponds en français, en une à quatre "
    "phrases, comme au téléphone ; tu ne donnes une information que si le conseiller te la demande ; tu "
    "ne proposes jamais toi-même la solution ; si le conseiller utilise un terme technique sans "
    "l'expliquer, tu demandes ce qu'il veut dire ; si le conseiller est aimable et clair, tu restes "
    "calme ; s'il est sec ou ne répond pas à ta question, tu t'agaces un peu. Informations que tu "
    "connais : numéro de contrat MRH-204518, le sinistre a eu lieu le 23 novembre vers 21 heures, la "
    "fuite est réparée, le plafond est taché sur environ quatre mètres carrés et un peu de peinture "
    "s'écaille, le parquet n'a rien. Tu n'as pas d'autre assurance pour la maison. Tu préfères être "
    "rappelée en fin de journée. Tu as l'application mobile de l'assureur mais tu ne sais pas bien "
    "t'en servir. "
) * 2

TURNS = [
    ("assistant", "Bonjour, j'appelle pour un dégât des eaux chez moi, le plafond du salon est abîmé."),
    (
        "user",
        "Bonjour Madame, Assurances Horizon Mutuelle, Julien à votre écoute. Pouvez-vous me donner "
        "votre nom et votre numéro de contrat ?",
    ),
]
FOLLOW_UP = [
    ("assistant", "Oui, Martine Leroy, contrat MRH-204518."),
    ("user", "Merci Madame Leroy. Quand le dégât s'est-il produit et la fuite est-elle réparée ?"),
]


def _messages(turns: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"role": "system", "content": PERSONA}] + [{"role": r, "content": c} for r, c in turns]


def _measure(stream: Iterator[str]) -> tuple[float, float, int]:
    """(first-token seconds, tokens/s after the first, token count) of a token stream."""
    start = time.perf_counter()
    first = None
    count = 0
    for piece in stream:
        if not piece:
            continue
        count += 1
        if first is None:
            first = time.perf_counter()
    end = time.perf_counter()
    assert first is not None, "aucun jeton reçu"
    rate = (count - 1) / (end - first) if count > 1 and end > first else 0.0
    return first - start, rate, count


def bench_served(tokens: int) -> dict[str, float]:
    from openai import OpenAI

    from crca.llm.embedded import MODEL_ALIAS
    from crca.llm.embedded_server import EmbeddedServer
    from crca.settings import load_settings

    server = EmbeddedServer(load_settings().embedded)
    t0 = time.perf_counter()
    url = server.start()
    load = time.perf_counter() - t0
    client = OpenAI(base_url=url, api_key="sk-no-key-needed", timeout=120)

    def run(turns: list[tuple[str, str]]) -> tuple[float, float, int]:
        stream = client.chat.completions.create(
            model=MODEL_ALIAS, messages=_messages(turns), stream=True, max_tokens=tokens,
            temperature=0, seed=42,
        )  # fmt: skip
        return _measure(c.choices[0].delta.content or "" for c in stream if c.choices)

    try:
        cold, rate, _ = run(TURNS)
        warm, rate2, _ = run(TURNS + FOLLOW_UP)
    finally:
        server.stop()
    return {"load": load, "cold": cold, "warm": warm, "rate": (rate + rate2) / 2}


def bench_raw(tokens: int) -> dict[str, float]:
    from llama_cpp import Llama

    from crca.llm.embedded import ensure_model
    from crca.settings import load_settings

    settings = load_settings().embedded
    t0 = time.perf_counter()
    llm = Llama(
        model_path=str(ensure_model(settings)), n_ctx=settings.n_ctx, n_threads=settings.n_threads,
        verbose=False,
    )  # fmt: skip
    load = time.perf_counter() - t0

    def run(turns: list[tuple[str, str]]) -> tuple[float, float, int]:
        stream = llm.create_chat_completion(
            messages=_messages(turns), stream=True, max_tokens=tokens, temperature=0, seed=42
        )
        return _measure(c["choices"][0]["delta"].get("content") or "" for c in stream)

    cold, rate, _ = run(TURNS)
    warm, rate2, _ = run(TURNS + FOLLOW_UP)
    return {"load": load, "cold": cold, "warm": warm, "rate": (rate + rate2) / 2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=64, help="jetons générés par tour")
    args = parser.parse_args()
    served = bench_served(args.tokens)
    raw = bench_raw(args.tokens)
    print(f"{'mesure':34} {'servi (produit)':>16} {'llama-cpp brut':>16} {'ratio':>7}")
    rows = [
        ("chargement du modèle (s)", "load"),
        ("premier jeton, invite froide (s)", "cold"),
        ("premier jeton, tour suivant (s)", "warm"),
        ("génération (jetons/s)", "rate"),
    ]
    for label, key in rows:
        ratio = served[key] / raw[key] if raw[key] else float("nan")
        print(f"{label:34} {served[key]:16.2f} {raw[key]:16.2f} {ratio:7.2f}")


if __name__ == "__main__":
    main()
