"""The web application on top of the domain packages: Gradio UI, accounts, storage and the `crca` CLI.

Nothing else imports it.
"""
