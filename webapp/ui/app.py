"""The Gradio Blocks of the app: sign-in, then the "Stagiaire" and "Formateur" tabs.

The browser keeps a sign-in token and the open session id in encrypted localStorage
(BrowserState); on page load both are checked against the database and the screen is
rebuilt from the stored session, so a reload or a server restart loses nothing.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from crca.settings import Settings, load_settings
from webapp.storage import ROLE_LABELS_FR, UserInfo
from webapp.ui import practice
from webapp.ui.auth import UIError, client_address, sign_in, sign_out
from webapp.ui.queue_tab import KEYS_JS
from webapp.ui.render import scenario_label
from webapp.ui.services import AppServices
from webapp.ui.trainee_tab import build_trainee_tab, history_choices, session_values
from webapp.ui.trainer_tab import build_trainer_tab
from webapp.ui.widgets import FRENCH_TOASTS_JS, browser_secret, guarded

TITLE = "Entraînement CQP CRCA"


def build_app(services: AppServices | None = None, settings: Settings | None = None) -> gr.Blocks:
    settings = settings or load_settings()
    services = services or AppServices.from_settings(settings)
    secret = browser_secret(settings.home)
    # Gradio's copies of downloads are dropped after a day (and all of them at restart).
    with gr.Blocks(title=TITLE, delete_cache=(3600, 86400)) as demo:
        token = gr.BrowserState(None, storage_key="crca-token", secret=secret)
        current = gr.BrowserState(None, storage_key="crca-session", secret=secret)
        with gr.Row():
            gr.Markdown(f"# {TITLE} — client simulé et évaluation sur le référentiel")
            who = gr.Markdown("Non connecté.", elem_id="who")
            logout = gr.Button("Se déconnecter", visible=False, size="sm", scale=0, elem_id="logout-btn")
        with gr.Column(visible=True, elem_id="login-box") as login_box:
            username = gr.Textbox(label="Identifiant", elem_id="login-user")
            password = gr.Textbox(label="Mot de passe", type="password", elem_id="login-pass")
            login = gr.Button("Se connecter", variant="primary", elem_id="login-btn")
        with gr.Tabs(visible=False, elem_id="main-tabs") as tabs:
            with gr.Tab("Stagiaire", id="trainee", elem_id="tab-trainee"):
                trainee = build_trainee_tab(services, token, current)
            with gr.Tab("Formateur", id="trainer", visible=False, elem_id="tab-trainer") as trainer_item:
                trainer = build_trainer_tab(services, token)

        outputs = [token, who, logout, login_box, tabs, trainer_item, trainee.scenario, trainee.history,
                   trainer.trainee, trainer.cohort, trainer.scenario, trainer.owner, password,
                   *trainee.session_outputs]  # fmt: skip

        def signed_out() -> list[Any]:
            hidden = gr.update(visible=False)
            return [None, "Non connecté.", hidden, gr.update(visible=True), hidden, hidden, gr.update(),
                    gr.update(), gr.update(), gr.update(), gr.update(), gr.update(), "",
                    *session_values(services, None, None)]  # fmt: skip

        def signed_in(tok: str, user: UserInfo, session_id: str | None) -> list[Any]:
            scenarios = services.scenarios.get()
            record = None
            if session_id:
                try:
                    record = practice.session_for(services, tok, session_id)
                except UIError:
                    record = None  # another user's session id left in this browser
            users = services.repo.list_users()
            trainees = [("Tous", "")] + [(u.username, u.username) for u in users if u.role == "trainee"]
            owners = [("Moi", "")] + [(u.username, u.username) for u in users if u.role == "trainee"]
            cohorts = [("Toutes", ""), *((c, c) for c in sorted({u.cohort for u in users if u.cohort}))]
            choices = [(scenario_label(s), s.id) for s in scenarios.values()]
            show = gr.update(visible=True)
            return [
                tok, f"Connecté : **{user.username}** ({ROLE_LABELS_FR[user.role]})", show,
                gr.update(visible=False), show, gr.update(visible=user.role == "trainer"),
                gr.update(choices=choices, value=record.scenario_id if record else None),
                gr.update(choices=history_choices(services, tok), value=record.id if record else None),
                gr.update(choices=trainees), gr.update(choices=cohorts),
                gr.update(choices=[("Tous", ""), *((s, s) for s in scenarios)]),
                gr.update(choices=owners), "", *session_values(services, tok, record),
            ]  # fmt: skip

        @guarded
        def on_login(name: str, secret_text: str, request: gr.Request) -> list[Any]:
            signed = sign_in(services, name, secret_text, client_address(request))
            return signed_in(signed.token, signed.user, None)

        def on_load(tok: str | None, session_id: str | None) -> list[Any]:
            user = services.repo.user_for_token(tok)
            return signed_in(tok, user, session_id) if tok and user else signed_out()

        def on_logout(tok: str | None, request: gr.Request) -> list[Any]:
            sign_out(services, tok, client_address(request))
            return signed_out()

        login.click(on_login, [username, password], outputs, api_name="sign_in")
        password.submit(on_login, [username, password], outputs, api_name=False)
        logout.click(on_logout, token, outputs, api_name="sign_out")
        demo.load(on_load, [token, current], outputs, api_name="restore")
        demo.load(None, None, None, js=KEYS_JS)
        demo.load(None, None, None, js=FRENCH_TOASTS_JS)
        # Opening the trainer tab lists the sessions, those awaiting review first: no extra click.
        trainer_item.select(trainer.list_sessions, trainer.list_inputs, trainer.table, api_name=False)
    return demo
