"""The console's one blueprint, served under /console; its views live in the modules named after pages."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates", static_folder="static")
