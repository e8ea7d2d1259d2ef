"""/demo: a survivor's phone and an advocate's side by side, texting the line through its signed webhook.

Registered only on the embedded line (never with LANTERN_ENV=production): it shows texts in a page.
"""
from demo.views import bp

__all__ = ["bp"]
