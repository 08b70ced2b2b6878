"""The trainers' « Connexions » tab: the sign-in journal, newest first.

Why trainers see it: in a training room they are the first to hear « je ne peux plus me
connecter »; the journal tells them whether it is a lock-out (then `crca users unlock`).
"""

from __future__ import annotations

import gradio as gr

from webapp.ui.auth import require_trainer
from webapp.ui.services import AppServices
from webapp.ui.widgets import guarded

JOURNAL_HEADERS = ["Date", "Adresse", "Identifiant saisi", "Événement", "Détail"]
JOURNAL_ROWS = 200


def journal_rows(services: AppServices, token: str | None, username: str = "") -> list[list[str]]:
    """The latest journal lines (one typed name's only, if given); trainers only."""
    require_trainer(services, token)
    events = services.repo.sign_in_log(username.strip() or None, limit=JOURNAL_ROWS)
    return [[e.local_time, e.address, e.username, e.label, e.detail] for e in events]


def build_journal_tab(services: AppServices, token: gr.BrowserState) -> None:
    with gr.Tab("Connexions"):
        gr.Markdown(
            f"Les {JOURNAL_ROWS} dernières lignes du journal des connexions. Un compte verrouillé se "
            "débloque seul à la fin du délai affiché, ou tout de suite avec `crca users unlock NOM`."
        )
        with gr.Row():
            name = gr.Textbox(label="Identifiant (vide : tous)", scale=3, elem_id="journal-user")
            show = gr.Button("Afficher le journal", scale=1, elem_id="journal-btn")
        table = gr.Dataframe(headers=JOURNAL_HEADERS, interactive=False, elem_id="sign-in-journal")

    @guarded
    def on_show(tok: str | None, username: str) -> list[list[str]]:
        return journal_rows(services, tok, username or "")

    show.click(on_show, [token, name], table, api_name="sign_in_log")
