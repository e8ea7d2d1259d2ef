"""A message's words as every channel takes them: at most what one text can hold, no control characters."""
from __future__ import annotations

import unicodedata

MAX_BODY = 1600  # Twilio's own limit for one message; the web chat keeps to it too


def clean_body(text: str) -> str:
    """Cut to 1600 characters; drop NUL, control and unassigned characters; keep emoji and every script."""
    kept = (ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Cn", "Co"))
    return "".join(kept)[:MAX_BODY].strip()
