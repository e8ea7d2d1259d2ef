"""Read a chat request: its origin, its token, its JSON. Every refusal names what is wrong."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Request

from chat.errors import BadMessage, NotJson, TooLarge, WrongOrigin
from config.content import LANGUAGES
from bot.message_text import MAX_BODY, clean_body

MAX_REQUEST_BYTES = 16 * 1024  # 1600 characters of any script, as JSON, fit well inside this


def site_origin(public_base_url: str) -> str:
    parts = urlsplit(public_base_url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def check_origin(request: Request, public_base_url: str) -> None:
    """CSRF: a browser names the page that sent a POST; only our own may change a chat."""
    origin = (request.headers.get("Origin") or "").rstrip("/").lower()
    if origin != site_origin(public_base_url):
        raise WrongOrigin(f"Origin must be {site_origin(public_base_url)} (open the chat at "
                          f"{public_base_url}/chat).")


def json_body(request: Request) -> dict:
    """The request's JSON object, or a 413, 415 or 400 that says why not."""
    if request.content_length is not None and request.content_length > MAX_REQUEST_BYTES:
        raise TooLarge(f"The request is larger than {MAX_REQUEST_BYTES} bytes.")
    if request.mimetype != "application/json":
        raise NotJson("Send JSON with Content-Type: application/json.")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadMessage("The body is not a JSON object.")
    return data


def message_text(data: dict) -> str:
    text = data.get("text")
    if not isinstance(text, str):
        raise BadMessage("'text' must be a string.")
    if len(text) > MAX_BODY:
        raise TooLarge(f"A message can be at most {MAX_BODY} characters, as a text message can.")
    text = clean_body(text)
    if not text:
        raise BadMessage("The message is empty.")
    return text


def chosen_language(data: dict) -> str:
    lang = data.get("lang", "en")
    if lang not in LANGUAGES:
        raise BadMessage(f"'lang' must be one of {', '.join(LANGUAGES)}.")
    return lang


def page_language(request: Request) -> str:
    """?lang= when the visitor switched, else the browser's own language (en or es)."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES, default="en") or "en"


def client_address(request: Request) -> str:
    """The visitor's network address. A header is read only through ProxyFix, for trusted_proxies."""
    return request.remote_addr or "unknown"
