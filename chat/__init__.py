"""The web chat channel: the same line in a browser tab, with a quick exit."""
from chat.views import bp

__all__ = ["bp"]
