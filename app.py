"""Gradio entry point of the CRCA practice bot (`crca app` or `python app.py`)."""

from __future__ import annotations

import crca  # noqa: F401  (offline environment defaults, before gradio is imported)


def build_app():  # noqa: ANN201  (gradio imported lazily: it costs seconds)
    """The app's Blocks on the configured database and models (built lazily, on first use)."""
    from crca.ui.app import build_app as build

    return build()


def launch(host: str = "127.0.0.1", port: int = 7860, *, block: bool = True):  # noqa: ANN201
    """Serve the app, then warm the models and the conditions index in the background.

    Serving comes first so the page answers within seconds; the first trainee message
    waits only if the warm-up has not finished yet.
    """
    from crca.ui.app import build_app as build
    from crca.ui.services import AppServices

    services = AppServices.from_settings()
    demo = build(services).queue(default_concurrency_limit=8)
    demo.launch(server_name=host, server_port=port, prevent_thread_lock=True, footer_links=[], quiet=False)
    services.warm(on_done=_announce_warm)
    if block:
        demo.block_thread()
    return demo


def _announce_warm(failed: list[str]) -> None:
    if failed:
        print(f"Préchargement incomplet ({', '.join(failed)}) : l'erreur s'affichera à l'usage.", flush=True)
    else:
        print("Modèles chargés : le client simulé et l'évaluateur sont prêts.", flush=True)


if __name__ == "__main__":
    launch()
