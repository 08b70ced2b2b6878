"""The web app: plain handler functions (auth, practice, review, importing) and thin Gradio tabs.

Only the `*_tab`, `widgets` and `app` modules import gradio; the handlers do not, so they
are tested without a server and `crca grade` never pays for gradio.
"""
