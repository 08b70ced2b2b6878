"""Gradio entry point of the CRCA practice bot (`crca app` or `python app.py`)."""

from __future__ import annotations

import crca  # noqa: F401  (offline environment defaults, before gradio is imported)


def build_app():  # noqa: ANN201  (gradio imported lazily: it costs seconds)
    import gradio as gr
    from langchain_core.messages import AIMessage, HumanMessage

    from crca.llm import LLMError, chat_model, stream_text

    def respond(message: str, history: list[dict]):
        messages = [
            HumanMessage(content=m["content"]) if m["role"] == "user" else AIMessage(content=m["content"])
            for m in history
        ]
        messages.append(HumanMessage(content=message))
        reply = ""
        try:
            for piece in stream_text(chat_model("client"), messages):
                reply += piece
                yield reply
        except LLMError as exc:
            yield f"⚠️ {exc}"

    with gr.Blocks(title="Entraînement CQP CRCA") as demo:
        gr.Markdown("# Entraînement CQP CRCA — client simulé")
        gr.ChatInterface(respond)
    return demo


def launch(host: str = "127.0.0.1", port: int = 7860) -> None:
    build_app().queue().launch(server_name=host, server_port=port, show_api=False)


if __name__ == "__main__":
    launch()
