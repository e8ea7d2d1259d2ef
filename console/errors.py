"""The console's error pages: one plain sentence of what happened and what to do, never a traceback."""
from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError
from redis.exceptions import RedisError
from werkzeug.exceptions import HTTPException

from bot.errors import ConversationBusy
from console.blueprint import bp
from console.dependencies import console_dependencies

log = logging.getLogger(__name__)
TITLES = {400: "That didn't work", 403: "Not for this account", 404: "Not found", 405: "Not like that",
          409: "Busy", 413: "Too long", 429: "Too many tries", 500: "Something broke", 503: "Can't reach the store"}


def error_page(status: int, message: str):
    return render_template("console/error.html", title=TITLES.get(status, "Error"), message=message), status


@bp.errorhandler(CSRFError)
def csrf_refused(exc: CSRFError):
    return error_page(400, "This form was out of date or did not come from the console, so nothing was done. "
                           "Go back, reload the page and try again.")


@bp.errorhandler(RateLimitExceeded)
def too_many_sign_ins(exc: RateLimitExceeded):
    # No name here: the page views limited carry none, and one typed could be a password. Once a minute at
    # most, from whatever address: the audit stream is never trimmed, and a flood of views must not grow it.
    console_dependencies().audit.record_at_most_every(
        60, "sign-in-page-views", "sign-in failed", detail=f"sign-in page views limited, from {get_remote_address()}"
        " (more this minute are not recorded)")
    return error_page(429, "The sign-in page was opened too often from here. Wait a minute, then try again.")


@bp.errorhandler(ConversationBusy)
def conversation_busy(exc: ConversationBusy):
    return error_page(409, "That conversation is busy with another message right now. Try again in a moment.")


@bp.errorhandler(RedisError)
def store_down(exc: RedisError):
    log.error("console could not reach redis: %s", type(exc).__name__)
    return error_page(503, "The console can't reach its store right now. Try again in a minute; the hotline "
                           "still answers survivors with the safety message.")


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    own_words = exc.description if exc.description != type(exc).description else None
    message = own_words or {
        404: "There is no such page in the console.", 405: "That page can't be used that way.",
        413: "That was too long to send.",
    }.get(exc.code, exc.name)
    return error_page(exc.code or 500, message)


@bp.errorhandler(Exception)
def unexpected(exc: Exception):
    # The log formatter keeps frames and the type only: a message could quote a survivor's words.
    log.error("console view failed: %s", type(exc).__name__, exc_info=True)
    return error_page(500, "Something went wrong on our side and nothing was changed. Try again; if it "
                           "keeps happening, tell the organisation's technical person.")


def register_for_unmatched_urls(app: Flask) -> None:
    """URLs under /console that match no view never reach the blueprint: give them the console's page."""

    def not_found(exc: HTTPException):
        # An app-wide handler for a code wins over the blueprint's, so pass the console's own on to it.
        if request.path == "/console" or request.path.startswith("/console/"):
            return http_error(exc)
        return exc

    app.register_error_handler(404, not_found)
    app.register_error_handler(405, not_found)
