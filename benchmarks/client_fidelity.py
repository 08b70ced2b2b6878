"""Client fidelity: does the simulated client answer what the trainee asks, in character?

    .venv/bin/python benchmarks/client_fidelity.py PART [--mode model|lines] [--limit N] [--json FILE]

PART:
- `intents`: the advisor-intent classifier on evaluation/sets/client-intents/turns.yaml, per intent
  (another set: `--set client-intents-2`, or `--file PATH`);
- `probes`: responsiveness probes (evaluation/sets/client-probes/probes.yaml), answered rate per
  expectation kind, with the embedded model (`--mode model`) or the content lines alone (`lines`);
  latency (median first shown sentence, median whole reply) in model mode;
- `audit-write`: an ordinary trainee script on every scenario, both modes, written to
  evaluation/sets/client-audit/replies.yaml for a blind reader;
- `audit-report`: with the reader's labels.yaml, label rates per mode and the guards' precision and
  recall against the reading;
- `fidelity`: the older good/poor trainee run (role breaks, leaks, contradictions by detectors).
The blind files are written by others; until they exist the part says so and stops.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.conversation import Conversation
from bot.guards import GuardContext, check_reply, invented_numbers, is_french, reveals
from bot.simulator import ClientSimulator
from crca.llm import LLMError, ScriptedChatModel, chat_model
from crca.text import has_cue
from crca.text import words as normalize
from scenarios.library import load_scenarios
from scenarios.models import Scenario

sys.path.insert(0, str(Path(__file__).parent))
import client_sets  # noqa: E402  (the benchmark's own rules, beside this script)

ROLE_MARKERS = [
    r"(?<![a-z])nous (allons|pouvons|avons|vous)",
    r"(?<![a-z])notre ",
    r"assistant",
    r"(?<![a-z])ia(?![a-z])",
    r"je ne peux pas vous aider",
    r"je vais vous proposer",
    r"conseill(er|ere) :",
    r"(?<![a-z])client :",
    r"(de la|du) (precision|attention) du conseiller",
    r"je vous (remercie de votre appel|envoie)",
    r"solution suivante",
]
ENGLISH = {"the", "and", "is", "you", "i", "to", "of", "it", "that", "with", "your", "sorry", "can"}


def good_trainee(s: Scenario) -> list[str]:
    """Greets, empathises, asks each hidden fact's first cue, proposes, closes."""
    turns = [
        f"Bonjour, {s.client_file.company}, je comprends votre situation et je suis là pour vous aider. "
        "Pouvez-vous m'expliquer ce qui vous amène ?"
    ]
    turns += [
        f"Je comprends. Pour bien vous aider, pouvez-vous me préciser : {f.reveal_when[0]} ?"
        for f in s.hidden_facts
    ]
    turns.append("Merci. Je vous propose la solution suivante : " + s.expected.solution.split(".")[0] + ".")
    turns.append("Merci pour ces précisions. Je vous envoie un récapitulatif. Bonne journée, au revoir.")
    return turns


def poor_trainee(s: Scenario) -> list[str]:
    """Curt, no questions, jargon."""
    jargon = "C'est la procédure, franchise, vétusté, subrogation, c'est contractuel."
    return ["Oui.", "Numéro de contrat.", jargon, "Il faut attendre.", "Au revoir."]


def scripted_model() -> ScriptedChatModel:
    """Says what the directive asks for (quotes after 'dis :'), else a neutral line: a pipeline check."""

    def respond(messages: list[Any], kwargs: dict[str, Any]) -> str:
        said = re.findall(r"dis(?:ant)? : « (.+?) »(?:\n|$)", str(messages[-1].content))
        return " ".join(said) or "D'accord, je vous écoute."

    return ScriptedChatModel(responder=respond)


def verbatim_block(reply: str, fact: str) -> bool:
    """Independent leak check: a long block of the fact copied (>= 25 characters)."""
    a, b = normalize(reply), normalize(fact)
    match = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size >= 25


def leaked(reply: str, fact: str, public: str) -> bool:
    """Guard measure or independent one: own words, a copied block, or the fact's own numbers."""
    own_numbers = digits(fact) - digits(public)
    return reveals(reply, fact, public) or verbatim_block(reply, fact) or bool(own_numbers & digits(reply))


def digits(text: str) -> set[str]:
    """Independent of the guards' number parser: every run of digits, separators ignored."""
    return set(re.findall(r"\d+", re.sub(r"(?<=\d)[\s.\u202f\u00a0](?=\d{3}\b)", "", text)))


def judge(reply: str, s: Scenario, public: str, locked: list[str]) -> dict[str, Any]:
    """Role break, leak, contradiction, non-French for one shown reply (guards + independent checks)."""
    norm = normalize(reply) + " " + reply.lower()
    gctx = GuardContext(persona_name=s.persona.name, locked_facts=locked, solution="", public_text=public)
    codes = {p.code for p in check_reply(reply, gctx)}
    age = re.search(r"j'ai (\d+) ans", reply)
    words = normalize(reply).split()
    return {
        "role_break": bool(codes & {"advisor", "ai", "meta"})
        or any(re.search(m, norm) for m in ROLE_MARKERS),
        "leaked": [f for f in locked if leaked(reply, f, public)],
        "contradiction": bool(invented_numbers(reply, public + " " + " ".join(locked)))
        or bool(age and int(age.group(1)) != s.persona.age),
        "non_french": not is_french(reply)
        or (len(words) >= 4 and sum(w in ENGLISH for w in words) / len(words) > 0.2),
    }  # fmt: skip


def run_one(s: Scenario, trainee: list[str], model: Any, record: Callable[[dict[str, Any]], None]) -> None:
    sim = ClientSimulator(s, model)
    conv = Conversation(s, sim)
    asked: dict[str, int] = {}
    revealed: set[str] = set()
    leaks: set[str] = set()
    for advisor in trainee:
        if conv.ended:
            break
        locked_before = [f for f in s.hidden_facts if f.id not in conv.state.unlocked]
        try:
            reply = "".join(conv.send(advisor))
        except LLMError as exc:
            print(f"  ! {s.id}: {exc}", file=sys.stderr)
            return
        turn = len(conv.transcript.turns)
        for f in s.hidden_facts:
            if f.id not in asked and any(has_cue(advisor, c) for c in f.reveal_when):
                asked[f.id] = turn
        given = [f.content for f in s.hidden_facts if f.id in conv.state.unlocked]
        persona = [s.persona.name, str(s.persona.age), s.persona.situation, s.persona.wants, s.opening_line]
        turns = [t.text for t in conv.transcript.turns[:-1]]
        known = [k.content for k in s.known_facts]  # given whenever asked: no invention
        public = "\n".join([*persona, *given, *known, *turns, *s.persona.objections])
        still_locked = [f.content for f in locked_before if f.id not in conv.state.unlocked]
        verdict = judge(reply, s, public, still_locked)
        leaks |= set(verdict["leaked"])
        verdict["leak"] = bool(verdict["leaked"])
        base = "\n".join([s.persona.situation, s.opening_line])
        revealed |= {
            f.id
            for f in s.hidden_facts
            if reveals(reply, f.content, base) or verbatim_block(reply, f.content)
        }
        last = sim.last
        record({"scenario": s.id, "reply": reply, "words": len(reply.split()), "latency": last.total_s,
                "first_piece": last.first_piece_s, "fallback": last.fallback, "completed": last.completed,
                "guard_codes": [p.code for p in last.problems], "rejected": last.rejected,
                **verdict})  # fmt: skip
    record({"scenario": s.id, "asked": len(asked), "asked_not_revealed": len(set(asked) - revealed),
            "facts": len(s.hidden_facts), "facts_leaked": len(leaks)})  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    replies = [r for r in rows if "reply" in r]
    convs = [r for r in rows if "asked" in r]
    n = max(1, len(replies))
    facts = max(1, sum(c["facts"] for c in convs))
    rate = lambda key: round(100 * sum(r[key] for r in replies) / n, 1)  # noqa: E731
    return {
        "turns": len(replies),
        "role_break_pct": rate("role_break"),
        "leak_pct_of_facts": round(100 * sum(c["facts_leaked"] for c in convs) / facts, 1),
        "leaky_replies_pct": rate("leak"),
        "asked_never_revealed": sum(c["asked_not_revealed"] for c in convs),
        "facts_asked": sum(c["asked"] for c in convs),
        "contradiction_pct": rate("contradiction"),
        "non_french_pct": rate("non_french"),
        "fallback_pct": rate("fallback"),
        "completed_pct": rate("completed"),
        "raw_rejections": sum(len(r["guard_codes"]) for r in replies),
        "median_words": statistics.median([r["words"] for r in replies]) if replies else 0,
        "median_latency_s": round(statistics.median([r["latency"] for r in replies]), 2) if replies else 0,
        "p95_latency_s": round(percentile([r["latency"] for r in replies], 0.95), 2),
        "median_first_piece_s": round(statistics.median([r["first_piece"] or 0 for r in replies]), 2)
        if replies else 0,
    }  # fmt: skip


def run_fidelity(args: argparse.Namespace) -> int:
    scenarios = list(load_scenarios().values())[: args.limit or None]
    model = scripted_model() if args.backend == "scripted" else chat_model("client")
    model.invoke("Bonjour")  # start and warm the server first: latency figures are per reply, not startup
    rows: list[dict[str, Any]] = []
    for s in scenarios:
        for name, trainee in (("bon", good_trainee(s)), ("faible", poor_trainee(s))):
            print(f"- {s.id} ({name})", file=sys.stderr, flush=True)
            run_one(s, trainee, model, lambda row, name=name: rows.append({"trainee": name, **row}))
            if args.json:  # after each conversation: a long run stopped early still leaves its figures
                data = {"summary": summarize(rows), "rows": rows}
                Path(args.json).write_text(json.dumps(data, ensure_ascii=False, indent=1))
    summary = summarize(rows)
    print(f"Client fidelity — backend {args.backend}, {len(scenarios)} scenario(s)")
    for key, value in summary.items():
        print(f"  {key:24} {value}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["intents", "probes", "audit-write", "audit-report", "fidelity"])
    parser.add_argument("--mode", choices=["model", "lines"], default="lines", help="probes: who phrases")
    parser.add_argument("--modes", default="lines,model", help="audit-write: modes to generate")
    parser.add_argument("--backend", choices=["embedded", "scripted"], default="embedded")
    parser.add_argument("--limit", type=int, default=0, help="only the first N scenarios (or probes)")
    parser.add_argument("--sets", type=Path, default=None, help="folder holding the client sets (tests)")
    parser.add_argument("--set", default=None, help="intents/probes: a set's folder name (client-probes-2)")
    parser.add_argument("--file", type=Path, default=None, help="intents/probes: the set's YAML file itself")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--encoder", action="store_true", help="intents: add the nearest-example step")
    args = parser.parse_args(argv)
    if args.part == "fidelity":
        return run_fidelity(args)
    try:
        figures = client_sets.run(args)
    except FileNotFoundError as exc:
        print(f"{exc}\nCette partie du banc attend ce jeu ; rien n'est mesuré.")
        return 2
    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
