"""Serving the app: the page first, then the models and the conditions index warm up behind it."""

from __future__ import annotations

from typing import Any


def launch(host: str = "127.0.0.1", port: int = 7860, *, block: bool = True) -> Any:
    """Serve the app, then warm the models and the conditions index in the background.

    Serving comes first so the page answers within seconds; the first trainee message
    waits only if the warm-up has not finished yet. Gradio is imported here: it costs seconds.
    """
    from crca.settings import load_settings
    from webapp.ui.app import build_app
    from webapp.ui.services import AppServices

    settings = load_settings()
    services = AppServices.from_settings(settings)
    # A chat turn mostly waits on the model server: a whole cohort's turns run at once, each in a
    # worker thread (Gradio's default, 40 threads, would queue a cohort of 50).
    limit = settings.concurrent_requests
    demo = build_app(services).queue(default_concurrency_limit=limit)
    demo.launch(
        server_name=host, server_port=port, prevent_thread_lock=True, footer_links=[], quiet=False,
        max_threads=limit + 8,
    )  # fmt: skip
    services.warm(on_done=_announce_warm)
    if block:
        demo.block_thread()
    return demo


def _announce_warm(failed: list[str]) -> None:
    if failed:
        print(f"Préchargement incomplet ({', '.join(failed)}) : l'erreur s'affichera à l'usage.", flush=True)
    else:
        print("Modèles chargés : le client simulé et l'évaluateur sont prêts.", flush=True)
