"""Calibrates the embedded grader's yes/no threshold (`embedded.yes_bias`) on labelled sets.

    .venv/bin/python benchmarks/yes_threshold.py [--devset evaluation/sets/devset evaluation/sets/heldout]
        [--thresholds=-3,-2.75,-2.5,-2.25,-2] [--scores FILE.jsonl]

1. Grades the sets once with a recording model to collect every yes/no confirmation the grader
   asks (the product's own prompts, rendered by the model's chat template).
2. Evaluates each prompt once with llama-cpp in process and keeps log P(oui) − log P(non) of the
   first answer token (`--scores` keeps them, so a second run only pays for new prompts).
3. Replays the grading for each threshold and prints Cohen's κ per set: a yes bias of b on the
   'oui' tokens moves the model's decision threshold to −b.

Never run it on `evaluation/sets/testset3`: that set measures the chosen value, it must not choose it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from langchain_core.messages import BaseMessage  # noqa: E402

from crca.llm import ScriptedChatModel  # noqa: E402
from evaluation.agreement import summarise  # noqa: E402
from evaluation.grader import RubricGrader  # noqa: E402
from evaluation.sets import LabelledItem, load_set, set_dir  # noqa: E402

Scores = dict[str, float]
YES_WORDS, NO_WORDS = ("oui", "Oui", " oui", " Oui", "OUI"), ("non", "Non", " non", " Non", "NON")


FINAL_SET = "testset3"
"""The labelled set written blind and never tuned on: it measures, it never chooses."""


def prompt_key(messages: list[BaseMessage]) -> str:
    return hashlib.sha1("\n".join(str(m.content) for m in messages).encode()).hexdigest()


def grade_all(
    grader_for: Callable[[ScriptedChatModel], RubricGrader],
    sets: dict[str, list[LabelledItem]],
    responder: Callable[[list[BaseMessage], dict], str],
) -> dict[str, dict[str, dict[str, str]]]:
    """Set name → transcript id → criterion id → verdict, with `responder` answering every check."""
    grader = grader_for(ScriptedChatModel(responder=responder))
    return {
        name: {
            i.transcript.id: {c.criterion_id: c.verdict.value for c in grader.grade(i.transcript).criteria}
            for i in items
        }
        for name, items in sets.items()
    }


def sweep(
    grader_for: Callable[[ScriptedChatModel], RubricGrader],
    sets: dict[str, list[LabelledItem]],
    scores: Scores,
    thresholds: list[float],
    unseen: dict[str, list[BaseMessage]],
) -> list[tuple[float, dict[str, float]]]:
    """κ per set (and 'ensemble') for each threshold; -inf is the always-'oui' reference.

    Some answers open questions the always-'oui' pass never asked: they are answered 'oui' and
    put in `unseen`, to be scored before the sweep is trusted.
    """
    rows = []
    for threshold in [-math.inf, *thresholds]:

        def answer(messages: list[BaseMessage], kwargs: dict, t: float = threshold) -> str:
            key = prompt_key(messages)
            if key not in scores:
                unseen[key] = list(messages)
                return "oui"
            return "oui" if scores[key] > t else "non"

        predicted = grade_all(grader_for, sets, answer)
        gold = {name: {i.transcript.id: i.verdicts for i in items} for name, items in sets.items()}
        kappas = {name: summarise(gold[name], predicted[name]).kappa for name in sets}
        merged_gold = {k: v for g in gold.values() for k, v in g.items()}
        merged_pred = {k: v for p in predicted.values() for k, v in p.items()}
        kappas["ensemble"] = summarise(merged_gold, merged_pred).kappa
        rows.append((threshold, kappas))
    return rows


def score_prompts(prompts: dict[str, list[BaseMessage]], scores: Scores, out: Path | None) -> None:
    """First-token log-odds of 'oui' against 'non' for every prompt not yet scored."""
    import numpy as np
    from llama_cpp import Llama
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    from crca.llm.embedded import ensure_model
    from crca.settings import load_settings

    settings = load_settings().embedded
    llm = Llama(
        model_path=str(ensure_model(settings)),
        n_ctx=settings.n_ctx,
        n_threads=settings.n_threads,
        verbose=False,
    )
    meta = llm.metadata
    formatter = Jinja2ChatFormatter(meta["tokenizer.chat_template"], eos_token="", bos_token="")
    first = {w: llm.tokenize(w.encode(), add_bos=False)[0] for w in (*YES_WORDS, *NO_WORDS)}
    yes, no = sorted({first[w] for w in YES_WORDS}), sorted({first[w] for w in NO_WORDS})
    todo = [(k, m) for k, m in prompts.items() if k not in scores]
    for n, (key, messages) in enumerate(todo, 1):
        chat = [
            {"role": "system" if m.type == "system" else "user", "content": str(m.content)} for m in messages
        ]
        text = formatter(messages=chat).prompt
        tokens = llm.tokenize(text.encode(), add_bos=False, special=True)
        common = next(
            (
                i
                for i, (a, b) in enumerate(zip(llm.input_ids[: llm.n_tokens], tokens, strict=False))
                if a != b
            ),
            min(llm.n_tokens, len(tokens)),
        )
        llm.n_tokens = min(common, len(tokens) - 1)
        llm.eval(tokens[llm.n_tokens :])
        logits = np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(llm.n_vocab(),)).astype(np.float64)
        scores[key] = float(np.logaddexp.reduce(logits[yes]) - np.logaddexp.reduce(logits[no]))
        if out:
            with out.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"key": key, "log_odds": scores[key]}) + "\n")
        print(f"  {n}/{len(todo)} log-odds {scores[key]:+.2f}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--devset",
        nargs="+",
        type=Path,
        default=[set_dir("devset"), set_dir("heldout")],
    )
    parser.add_argument("--thresholds", default="-3.5,-3,-2.75,-2.5,-2.25,-2,-1.5")
    parser.add_argument("--scores", type=Path, help="fichier JSONL des log-odds (repris s'il existe)")
    args = parser.parse_args(argv)
    if any(p.resolve().name == FINAL_SET for p in args.devset):
        parser.error(f"evaluation/{FINAL_SET} mesure le seuil choisi : il ne doit pas servir à le choisir")

    from knowledge.factory import open_fact_checker

    checker = open_fact_checker()
    grader_for = lambda model: RubricGrader(model, fact_checker=checker)  # noqa: E731
    sets = {p.name: load_set(p) for p in args.devset}
    prompts: dict[str, list[BaseMessage]] = {}

    def record(messages: list[BaseMessage], kwargs: dict) -> str:
        prompts[prompt_key(messages)] = list(messages)
        return "oui"

    grade_all(grader_for, sets, record)
    scores: Scores = {}
    if args.scores and args.scores.exists():
        for line in args.scores.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            scores[entry["key"]] = entry["log_odds"]
    print(f"{len(prompts)} questions, {len(prompts.keys() - scores.keys())} à évaluer", file=sys.stderr)
    thresholds = [float(x) for x in args.thresholds.split(",")]
    for _ in range(3):  # until no threshold opens a question without a score
        score_prompts(prompts, scores, args.scores)
        unseen: dict[str, list[BaseMessage]] = {}
        rows = sweep(grader_for, sets, scores, thresholds, unseen)
        if not unseen:
            break
        prompts.update(unseen)
    print("seuil      " + "  ".join(f"{name:>10}" for name in [*sets, "ensemble"]))
    for threshold, kappas in rows:
        label = "toujours oui" if threshold == -math.inf else f"{threshold:+.2f}"
        print(f"{label:12}" + "  ".join(f"{k:10.3f}" for k in kappas.values()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
