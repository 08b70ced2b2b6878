"""Sub-commands `app` and `model`: the web app and the embedded model."""

from __future__ import annotations

import argparse


def add_commands(sub: argparse._SubParsersAction) -> None:
    app = sub.add_parser("app", help="lancer l'application web (Gradio)")
    app.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut 127.0.0.1)")
    app.add_argument("--port", type=int, default=7860, help="port (défaut 7860)")
    app.set_defaults(handler=_run_app)

    model = sub.add_parser("model", help="préparer ou tester le modèle embarqué")
    model_sub = model.add_subparsers(dest="model_command", metavar="ACTION", required=True)
    fetch = model_sub.add_parser("prepare", help="assembler et vérifier le modèle embarqué")
    fetch.set_defaults(handler=_prepare_model)
    ping = model_sub.add_parser("ping", help="démarrer le modèle et lui poser une question")
    ping.add_argument("--role", choices=["client", "grader"], default="client")
    ping.set_defaults(handler=_ping_model)


def _run_app(args: argparse.Namespace) -> int:
    import app

    app.launch(host=args.host, port=args.port)
    return 0


def _prepare_model(args: argparse.Namespace) -> int:
    from crca.llm.embedded import ensure_model
    from crca.settings import load_settings

    path = ensure_model(load_settings().embedded)
    print(f"Modèle embarqué prêt et vérifié : {path}")
    return 0


def _ping_model(args: argparse.Namespace) -> int:
    from langchain_core.messages import HumanMessage

    from crca.llm import chat_model, stream_text

    model = chat_model(args.role)
    for piece in stream_text(model, [HumanMessage(content="Dis bonjour en une phrase, en français.")]):
        print(piece, end="", flush=True)
    print()
    return 0
