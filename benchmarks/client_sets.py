"""The client benchmark's own rules: whether a reply answers a probe, audit rates, detector agreement.

Written apart from the client's code on purpose: a probe is judged by what the reply contains
(the probe's words, a negation, a confirmation), never by the director's decision, and the
reading audit is compared with the guards, not computed by them.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from crca.text import fold
from evaluation.sets.client import AuditReading, AuditReply, Probe

NEGATION = r"\b(non|pas|plutot|en fait|erreur|inexact|faux|pas tout a fait)\b"
CONFIRM = r"\b(oui|c'est ca|exactement|tout a fait|c'est bien|absolument|effectivement|voila|c'est exact)\b"
NO_MORE = r"(c'est tout|ce sera tout|rien d'autre|pas d'autres? questions?|non merci|ca ira|c'est bon)"
REACT = (
    r"\b(d'accord|ca me va|ok|oui|non|mais|cher|trop|pourquoi|hesite|convient|accepte|bon|combien|delai)\b"
)
WAIT = (
    r"\b(j'attends|je patiente|attends|patiente|prenez votre temps|pas de souci|bien sur|d'accord|allez-y)\b"
)
GOODBYE = r"(au revoir|bonne (journee|soiree|fin de journee)|a bientot|merci)"
FALLBACK = r"(je n'ai pas (bien )?compris|vous pouvez repeter|pouvez-vous repeter|je ne comprends pas)"
LABELS = ["coherent", "non_sequitur", "role_break", "invented_fact", "repetition"]


def has_word(text: str, word: str) -> bool:
    """Whole word or phrase, ignoring case and accents (« HA-1608823 » and « Fontaine » alike)."""
    return re.search(r"(?<![\w-])" + re.escape(fold(word)) + r"(?![\w-])", fold(text)) is not None


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, fold(text)) is not None


def answered(probe: Probe, reply: str) -> bool:
    """Does `reply` give what the probe expects? (rules of the probes file, issue #11)."""
    if any(has_word(reply, w) for w in probe.none_of):
        return False
    hit = any(has_word(reply, w) for w in probe.any_of)
    kind = probe.expect
    if kind in ("identity", "fact"):
        return hit
    if kind == "corrects":
        return _has(NEGATION, reply) and (hit or not probe.any_of)
    if kind == "confirms":
        return _has(CONFIRM, reply) and not _has(r"^\W*non\b", reply)
    if kind == "anything_else":
        return hit or (_has(NO_MORE, reply) and "?" not in reply)
    if kind == "reacts":
        return hit or _has(REACT, reply)
    if kind == "waits":
        return _has(WAIT, reply) and "?" not in reply
    return _has(GOODBYE, reply)  # goodbye


def answered_rates(rows: list[tuple[Probe, str]]) -> dict[str, Any]:
    """Answered share per expectation kind and overall."""
    seen, ok = Counter(), Counter()
    for probe, reply in rows:
        seen[probe.expect] += 1
        ok[probe.expect] += answered(probe, reply)
    per_kind = {k: f"{ok[k]}/{seen[k]} ({100 * ok[k] / seen[k]:.0f} %)" for k in sorted(seen)}
    total = sum(seen.values())
    return {"answered_pct": round(100 * sum(ok.values()) / total, 1) if total else 0.0, "per_kind": per_kind}


def is_fallback(reply: str) -> bool:
    return _has(FALLBACK, reply)


def audit_rates(replies: list[AuditReply], readings: list[AuditReading]) -> dict[str, dict[str, Any]]:
    """Label shares per mode, by reading, plus the share of « je n'ai pas compris » lines."""
    label = {r.id: r.label for r in readings}
    out: dict[str, dict[str, Any]] = {}
    for mode in sorted({r.mode for r in replies}):
        read = [r for r in replies if r.mode == mode and r.id in label]
        n = len(read)
        counts = Counter(label[r.id] for r in read)
        rates = {k: round(100 * counts[k] / n, 1) if n else 0.0 for k in LABELS}
        fallback = round(100 * sum(is_fallback(r.reply) for r in read) / n, 1) if n else 0.0
        out[mode] = {"read": n, **rates, "fallback": fallback}
    return out


def precision_recall(flagged: dict[str, bool], truth: dict[str, bool]) -> dict[str, Any]:
    """Detector (flagged) against the reading (truth), over the ids both have."""
    ids = [i for i in truth if i in flagged]
    tp = sum(flagged[i] and truth[i] for i in ids)
    fp = sum(flagged[i] and not truth[i] for i in ids)
    fn = sum(truth[i] and not flagged[i] for i in ids)
    precision = round(tp / (tp + fp), 2) if tp + fp else None
    recall = round(tp / (tp + fn), 2) if tp + fn else None
    return {"precision": precision, "recall": recall, "flagged": tp + fp, "by_reading": tp + fn}


# --- runs over the sets (need the client) ------------------------------------------------------

AUDIT_SCRIPT = [
    "Bonjour, Horizon Mutuelle, Camille à votre écoute. Que puis-je faire pour vous ?",
    "Très bien. Pouvez-vous me donner votre nom et votre numéro de contrat ?",
    "Merci. Que s'est-il passé exactement ?",
    "D'accord. Et c'est arrivé quand ?",
    "Un instant, je regarde votre dossier.",
    "Si je comprends bien, vous voulez que ce soit réglé rapidement, c'est bien ça ?",
    "Je vous propose d'ouvrir un dossier aujourd'hui et de vous envoyer un récapitulatif par e-mail. "
    "Ça vous convient ?",
    "Avez-vous d'autres questions ?",
    "Merci pour votre appel, bonne journée, au revoir.",
]
"""An ordinary trainee, the same on every scenario: no scenario cue is used on purpose."""


def _paths(args: Any) -> tuple[Any, Any, Any]:
    """The intents, probes and audit files: the defaults, a named set (`--set client-probes-2`) or a file."""
    from evaluation.sets import client as sets

    base = args.sets
    if base is None:
        intents, probes, audit = sets.INTENTS_FILE, sets.PROBES_FILE, sets.AUDIT_DIR
    else:
        intents = base / "client-intents" / "turns.yaml"
        probes, audit = base / "client-probes" / "probes.yaml", base / "client-audit"
    name = getattr(args, "set", None)
    if name:
        intents, probes = sets.set_file(name, "turns.yaml", base), sets.set_file(name, "probes.yaml", base)
    file = getattr(args, "file", None)
    if file is not None:
        intents = probes = file
    return intents, probes, audit


def _simulator(scenario: Any, mode: str, model: Any) -> Any:
    from bot.simulator import ClientSimulator

    return ClientSimulator(scenario, model if mode == "model" else None, phrasing="script" if mode == "model"
                           else "lines")  # fmt: skip


def _model(mode: str) -> Any:
    if mode != "model":
        return None
    from crca.llm import chat_model

    model = chat_model("client")
    model.invoke("Bonjour")  # start and warm the server: latency is per reply, not startup
    return model


def run_intents(path: Any, limit: int, encoder: bool = False) -> dict[str, Any]:
    from bot.intents import IntentClassifier, default_encoder
    from evaluation.sets.client import load_intent_turns

    turns = load_intent_turns(path)[: limit or None]
    classifier = IntentClassifier(encoder=default_encoder() if encoder else None)
    seen, ok, asks_ok, asks_n = Counter(), Counter(), 0, 0
    for t in turns:
        got = classifier.classify(t.advisor)
        seen[t.intent] += 1
        ok[t.intent] += got.intent == t.intent
        if t.intent == "identification" and t.asks:
            asks_n += 1
            asks_ok += set(t.asks) <= set(got.asks)
    total = sum(seen.values())
    figures = {"turns": total, "accuracy_pct": round(100 * sum(ok.values()) / total, 1) if total else 0.0,
               "per_intent": {k: f"{ok[k]}/{seen[k]} ({100 * ok[k] / seen[k]:.0f} %)" for k in sorted(seen)},
               "identification_asks_found": f"{asks_ok}/{asks_n}"}  # fmt: skip
    print(f"Intents du conseiller — {total} tours : exactitude {figures['accuracy_pct']} %")
    for k, v in figures["per_intent"].items():
        print(f"  {k:20} {v}")
    print(f"  éléments d'identification trouvés : {figures['identification_asks_found']}")
    return figures


def probe_transcript(probe: Probe, scenario: Any) -> Any:
    from domain.transcript import Speaker, Transcript, Turn

    turns = [Turn(speaker=Speaker.CLIENT, text=scenario.opening_line)]
    turns += [Turn(speaker=Speaker(h.speaker), text=h.text) for h in probe.history]
    turns.append(Turn(speaker=Speaker.ADVISOR, text=probe.advisor))
    return Transcript(id=probe.id, turns=turns, scenario_id=scenario.id)


def run_probes(path: Any, mode: str, limit: int) -> dict[str, Any]:
    import statistics

    from evaluation.sets.client import load_probes
    from scenarios.library import load_scenarios

    probes = load_probes(path)[: limit or None]
    scenarios, model = load_scenarios(), _model(mode)
    rows, first, whole = [], [], []
    for probe in probes:
        sim = _simulator(scenarios[probe.scenario], mode, model)
        reply = sim.reply(probe_transcript(probe, scenarios[probe.scenario]))
        rows.append((probe, reply))
        first.append(sim.last.first_piece_s or 0.0)
        whole.append(sim.last.total_s)
    figures = {"mode": mode, "probes": len(rows), **answered_rates(rows)}
    if mode == "model" and rows:
        figures["median_first_sentence_s"] = round(statistics.median(first), 2)
        figures["median_whole_reply_s"] = round(statistics.median(whole), 2)
    print(f"Sondes de réactivité — {len(rows)} sondes, mode {mode} : répondu {figures['answered_pct']} %")
    for k, v in figures["per_kind"].items():
        print(f"  {k:14} {v}")
    for key in ("median_first_sentence_s", "median_whole_reply_s"):
        if key in figures:
            print(f"  {key:24} {figures[key]} s")
    return figures


def run_audit_write(folder: Any, modes: list[str], limit: int) -> dict[str, Any]:
    from bot.conversation import Conversation
    from evaluation.sets.client import AuditReply, HistoryTurn, write_audit_replies
    from scenarios.library import load_scenarios

    replies: list[AuditReply] = []
    timing: dict[str, list[tuple[float, float]]] = {}
    for mode in modes:
        model = _model(mode)
        for scenario in list(load_scenarios().values())[: limit or None]:
            conv = Conversation(scenario, _simulator(scenario, mode, model))
            for advisor in AUDIT_SCRIPT:
                if conv.ended:
                    break
                history = [
                    HistoryTurn(speaker=t.speaker.value, text=t.text) for t in conv.transcript.turns[1:]
                ]
                reply = "".join(conv.send(advisor))
                last = conv.simulator.last
                timing.setdefault(mode, []).append((last.first_piece_s or 0.0, last.total_s))
                replies.append(AuditReply(id=f"au-{len(replies) + 1:04d}", scenario=scenario.id, mode=mode,
                                          history=history, advisor=advisor, reply=reply))  # fmt: skip
            print(f"- {mode} {scenario.id}", flush=True)
            write_audit_replies(replies, folder / "replies.yaml")  # a run stopped early keeps its replies
    path = write_audit_replies(replies, folder / "replies.yaml")
    print(f"{len(replies)} répliques écrites dans {path} pour une lecture à l'aveugle.")
    return {"replies": len(replies), "latency": {m: _medians(v) for m, v in timing.items()}}


def _medians(pairs: list[tuple[float, float]]) -> dict[str, float]:
    import statistics

    return {"first_sentence_s": round(statistics.median(p[0] for p in pairs), 2),
            "whole_reply_s": round(statistics.median(p[1] for p in pairs), 2)}  # fmt: skip


def guard_flags(reply: AuditReply, scenario: Any) -> dict[str, bool]:
    """What the guards say of a shown reply: a role break, an invented fact."""
    from bot.guards import GuardContext, check_reply

    p = scenario.persona
    known = [p.name, str(p.age), p.situation, p.wants, scenario.opening_line, reply.advisor,
             *(h.text for h in reply.history), *(f.content for f in scenario.hidden_facts),
             *(k.content for k in scenario.known_facts), scenario.identity.birth_date,
             scenario.identity.postcode, scenario.identity.address,
             *scenario.identity.contract_numbers]  # fmt: skip
    ctx = GuardContext(persona_name=p.name, public_text="\n".join(known), advisor_last=reply.advisor)
    codes = {x.code for x in check_reply(reply.reply, ctx)}
    return {"role_break": bool(codes & {"advisor", "ai", "meta", "echo", "name"}),
            "invented_fact": bool(codes & {"contradiction", "leak"})}  # fmt: skip


def run_audit_report(folder: Any) -> dict[str, Any]:
    from evaluation.sets.client import load_audit_labels, load_audit_replies
    from scenarios.library import load_scenarios

    replies = load_audit_replies(folder / "replies.yaml")
    readings = load_audit_labels(folder / "labels.yaml")
    scenarios = load_scenarios()
    figures: dict[str, Any] = {"by_reading": audit_rates(replies, readings), "detectors": {}}
    truth = {r.id: r.label for r in readings}
    flags = {r.id: guard_flags(r, scenarios[r.scenario]) for r in replies}
    for label in ("role_break", "invented_fact"):
        figures["detectors"][label] = precision_recall(
            {i: f[label] for i, f in flags.items()}, {i: lab == label for i, lab in truth.items()}
        )
    print(f"Audit de lecture — {len(readings)} répliques lues")
    for mode, rates in figures["by_reading"].items():
        print(f"  {mode:6} " + "  ".join(f"{k} {v}" for k, v in rates.items()))
    for label, pr in figures["detectors"].items():
        print(f"  détecteur {label:14} précision {pr['precision']}  rappel {pr['recall']}")
    return figures


def run(args: Any) -> dict[str, Any]:
    intents, probes, audit = _paths(args)
    if args.part == "intents":
        return run_intents(intents, args.limit, args.encoder)
    if args.part == "probes":
        return run_probes(probes, args.mode, args.limit)
    if args.part == "audit-write":
        return run_audit_write(audit, [m for m in args.modes.split(",") if m], args.limit)
    return run_audit_report(audit)
