"""The web chat: one page, and the JSON endpoints it calls. Views read the request, call the desk, answer JSON."""
from __future__ import annotations

import logging
import time

from flask import Blueprint, Response, jsonify, render_template, request, send_file
from werkzeug.exceptions import HTTPException

from bot.conversation import Inbound
from bot.web_chat import web_message_sid
from chat import limits
from chat.errors import ChatEnded, ChatRefused, TooMany
from chat.inputs import (
    check_origin, chosen_language, client_address, json_body, message_text, page_language,
)
from chat.dependencies import chat_dependencies
from chat.stream import event_stream
from chat.tokens import HEADER, address_of, checked_token, new_token
from config.chat_words import advocate_line, page_words
from messaging.inbound import is_outage
from store.webchat import BadCursor, check_cursor

log = logging.getLogger(__name__)
bp = Blueprint("chat", __name__, url_prefix="/chat", static_folder="static", template_folder="templates")
BUILT_IN_ICON = "icon.svg"


@bp.get("")
def page():
    settings, lang = chat_dependencies().settings, page_language(request)
    chat, org = settings.content.chat, settings.content.org
    return render_template("chat.html", lang=lang, words=page_words(lang, org), title=chat.tab_title,
                           discreet=org.discreet, exit_url=chat.exit_url, poll_ms=chat.poll_seconds * 1000)


@bp.get("/icon")
def icon():
    """The tab's neutral icon: the organisation's (chat.yaml) or a plain cloud."""
    configured = chat_dependencies().settings.content.chat.icon
    return bp.send_static_file(BUILT_IN_ICON) if configured is None else send_file(configured)


@bp.post("/session")
def start():
    """A new chat: a fresh token, and the engine's first message (the safety check) in the page's language."""
    line = chat_dependencies()
    check_origin(request, line.settings.public_base_url)
    lang = chosen_language(json_body(request))
    address = visitor_address()
    limits.check_new_chat(line.web_chats, line.settings.content.chat.limits, address)
    token = new_token(line.settings.secret_key)
    # Before the first turn: a burst of chats from one network is paged once (messaging/bursts.py).
    line.web_chats.set_source(line.store.conversation_key(address_of(token)), line.web_chats.address_name(address))
    replies = line.web_desk.open(address_of(token), lang)
    conv_key = line.store.conversation_key(address_of(token))
    entries = line.web_chats.deliver(conv_key, [("bot", text, "") for text in replies])
    line.web_chats.touch(conv_key)
    return jsonify(token=token, entries=[e.to_dict() for e in entries]), 201


@bp.post("/messages")
def send():
    line = chat_dependencies()
    check_origin(request, line.settings.public_base_url)
    token = checked_token(line.settings.secret_key, request.headers.get(HEADER))
    text = message_text(json_body(request))
    inbound, arrived = Inbound(sid=web_message_sid(), address=address_of(token), body=text), time.time()
    try:
        return run_turn(line, inbound)
    except Exception as exc:
        if not is_outage(exc):
            raise
        # Redis unreachable: their words wait in the spool (replayed when it is back); 911 and the hotline now.
        line.intake.keep(inbound, arrived)
        return degraded(line)


def degraded(line):
    """What the tab shows when the line can't run a turn: 911 and the hotline."""
    return jsonify(entries=[{"id": "", "by": "bot", "text": line.safety_message, "name": ""}], degraded=True)


def run_turn(line, inbound: Inbound):
    conv_key, text = line.store.conversation_key(inbound.address), inbound.body
    if line.web_chats.ended(conv_key):
        raise ChatEnded("This chat has ended. Start a new one with POST /chat/session.")
    conv = line.store.get(conv_key)
    safety = limits.is_safety_message(line.engine, conv, text)
    limits.check_message(line.web_chats, line.settings.content.chat.limits, conv_key, visitor_address(), safety)
    replies = line.intake.receive(inbound)
    if replies is None:  # blocked, or kept in the spool behind older ones: 911 and the hotline only
        replies = [line.safety_message]
    intent = line.engine.keywords.command(text)  # only DELETE and STOP change what the tab shows
    entries = show_turn(line, conv_key, text, replies, intent, conv.lang if conv else "en")
    return jsonify(entries=[e.to_dict() for e in entries], cleared=intent == "delete")


def show_turn(line, conv_key: str, text: str, replies: list[str], intent: str, lang: str) -> list:
    """What the tab shows of one turn. DELETE empties it, their word too; STOP, which Twilio answers for a
    text, is answered here."""
    if intent == "delete":
        line.web_chats.clear(conv_key)
    if intent == "stop" and not replies:
        replies = [page_words(lang, line.settings.content.org)["stopped"]]
    shown = ([] if intent == "delete" else [("you", text, "")]) + [("bot", reply, "") for reply in replies]
    entries = line.web_chats.deliver(conv_key, shown)
    line.web_chats.touch(conv_key)
    return entries


@bp.get("/messages")
def receive():
    """What the tab hasn't shown yet, after `?after=` (or Last-Event-ID): SSE when asked for, else JSON."""
    line = chat_dependencies()
    _, conv_key = open_chat(line)
    after = request.args.get("after") or request.headers.get("Last-Event-ID") or None
    line.web_chats.touch(conv_key)
    if request.accept_mimetypes.best == "text/event-stream":
        chat = line.settings.content.chat
        check_cursor(after)  # refused with a 400 before the stream's headers are sent
        stream = event_stream(line.web_chats, conv_key, after, chat.stream_seconds, chat.poll_seconds * 1000,
                              line.stream_slots)
        return Response(stream, mimetype="text/event-stream", headers={"X-Accel-Buffering": "no"})
    return jsonify(entries=[e.to_dict() for e in line.web_chats.since(conv_key, after)])


@bp.post("/exit")
def leave():
    """Quick exit, or the page left any other way: the token stops working, the chat leaves the queue, an
    advocate with them is told."""
    line = chat_dependencies()
    check_origin(request, line.settings.public_base_url)
    token = checked_token(line.settings.secret_key, request.headers.get(HEADER))
    conv_key = line.store.conversation_key(address_of(token))
    body = request.get_json(silent=True)
    left = isinstance(body, dict) and body.get("reason") == "left"
    if not line.web_chats.ended(conv_key):
        line.web_chats.end(conv_key)
        line.web_desk.end(conv_key, "web chat page left" if left else "web chat left with quick exit",
                          notice=lambda code: advocate_line("left" if left else "exit", code=code))
    return Response(status=204)


def open_chat(line) -> tuple[str, str]:
    """The request's token and conversation; ChatEnded once the visitor left it."""
    token = checked_token(line.settings.secret_key, request.headers.get(HEADER))
    conv_key = line.store.conversation_key(address_of(token))
    if line.web_chats.ended(conv_key):
        raise ChatEnded("This chat has ended. Start a new one with POST /chat/session.")
    return token, conv_key


def visitor_address() -> str:
    return client_address(request)


@bp.errorhandler(ChatRefused)
def refused(exc: ChatRefused):
    response = jsonify(error=exc.message, safety=chat_dependencies().safety_message)
    response.status_code = exc.status
    if isinstance(exc, TooMany):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


@bp.errorhandler(BadCursor)
def bad_cursor(exc: BadCursor):
    return jsonify(error=str(exc)), 400


@bp.errorhandler(Exception)
def fail_safe(exc: Exception):
    # Whatever broke (Redis down, a lock not had in time, a bug), the visitor is shown 911 and the hotline.
    if isinstance(exc, HTTPException) and exc.code and exc.code < 500:
        return jsonify(error=exc.description or exc.name), exc.code
    log.error("web chat failed, static safety message shown: %s", type(exc).__name__, exc_info=True)
    if request.endpoint == "chat.page":
        return Response(chat_dependencies().safety_message, mimetype="text/plain")
    return degraded(chat_dependencies())
