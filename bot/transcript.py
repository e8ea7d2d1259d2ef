"""What a transcript keeps of a message."""
from __future__ import annotations

from bot.conversation import Inbound


def transcript_text(inbound: Inbound) -> str:
    """Its words, and "[media]" for pictures (never fetched)."""
    parts = [inbound.body] if inbound.body else []
    if inbound.num_media:
        parts.append("[media]")
    return " ".join(parts)
