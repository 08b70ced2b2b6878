"""Model backends behind one seam: a langchain `BaseChatModel` per role."""

from crca.llm.calls import complete_text, stream_text, yes_no_call
from crca.llm.errors import LLMError, StructuredOutputError
from crca.llm.factory import chat_model, describe
from crca.llm.scripted import ScriptedChatModel
from crca.llm.structured import structured_call

__all__ = [
    "LLMError",
    "ScriptedChatModel",
    "StructuredOutputError",
    "chat_model",
    "complete_text",
    "describe",
    "stream_text",
    "structured_call",
    "yes_no_call",
]
