"""The body of a written message: an e-mail's salutation line and sign-off block taken away.

Every e-mail a trainee writes ends with « Cordialement, » and a signature, and often opens with
« Madame, ». Those formulas are the letter's frame, not what it asks of the client: read as cues they
turned every e-mail into a goodbye and every signature into a name the client never heard of.
"""

from __future__ import annotations

import re

from crca.text import fold

SIGN_OFF = re.compile(
    r"^(bien |tres |tres bien |bien a vous,? )?(cordialement|a vous|respectueusement|sinceres salutations)\b"
    r"|^bien a vous\b|salutations|veuillez agreer|(je )?vous prie d'agreer|(je )?vous prie de croire|"
    r"^(a bientot|belle journee|bonne journee|merci d'avance)[ ,.!]*$"
)
SALUTATION = re.compile(r"^(bonjour|bonsoir|cher|chere|madame|monsieur|mme|m\.)\b[^.?!]{0,40},$")
SIGNATURE_WORDS = 8  # a signature line (name, job, company) is short and asks nothing


def _short(line: str) -> bool:
    return len(line.split()) <= SIGNATURE_WORDS and "?" not in line


def letter_parts(text: str) -> tuple[str, str]:
    """(body, sign-off) of a message; a message with no sign-off is all body.

    The sign-off starts at the last line holding a closing formula (« Cordialement, », « Veuillez
    agréer… ») when every line after it is a short signature line.
    """
    lines = [line.strip() for line in text.strip().splitlines()]
    start = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if not line:
            continue
        if SIGN_OFF.search(fold(line)):
            start = i
        elif not _short(line) or start == len(lines) and i < len(lines) - 3:
            break
    if start == len(lines):
        return text.strip(), ""
    body, sign_off = lines[:start], lines[start:]
    while body and not body[0]:
        body.pop(0)
    if body and SALUTATION.match(fold(body[0])) and len(body) > 1:
        body.pop(0)
    return "\n".join(body).strip(), "\n".join(sign_off).strip()


def letter_body(text: str) -> str:
    """What the message says, without its frame; the whole text when nothing else is left."""
    body, _ = letter_parts(text)
    return body or text.strip()
