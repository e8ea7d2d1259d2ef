"""One conversation: transcript, answers, notes, canned replies, reply, release, close, transfer.

Replies go through AdvocateDesk.relay, exactly as an advocate's SMS does: the same outbox record, the
same RQ job and the same safety re-check just before sending.
"""
from __future__ import annotations

import time
from typing import Iterable

from flask import abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for

from bot.advocates import Command, Role
from bot.conversation import Conversation
from bot.desk_result import DeskResult
from bot.misreads import MAX_PARAPHRASE, NOT_DANGER
from console.auditing import audit_event
from console.auth import passive, signed_in
from console.blueprint import bp
from console.delivery import delivery_states, window_view
from console.display import LANGUAGE_NAMES, masked_address, state_text
from console.queue import checked_code
from console.dependencies import console_dependencies
from store.misreads import Misreads

MAX_REPLY = 1600  # Twilio's limit for one message body
MAX_NOTE = 2000
SPEAKERS = ("survivor", "bot", "advocate", "event")
FOREIGN_CODES_PER_HOUR = 20  # for an advocate; a supervisor, who reviews others' work, has five times this



def find(code: str) -> Conversation:
    code = checked_code(code)
    store = console_dependencies().store
    conv_key = store.conversation_for_code(code)
    conv = store.get(conv_key) if conv_key else None
    limit_foreign_reads(code, conv)
    if conv is None:
        abort(404, f"No conversation {code}: the code may be mistyped, or the conversation was erased "
                   "(the survivor texted DELETE, or it ended long ago).")
    return conv


def limit_foreign_reads(code: str, conv: Conversation | None) -> None:
    """Codes that are neither yours nor waiting in the queue (or that don't exist) are bounded per hour."""
    me = g.advocate
    if conv is not None and (conv.advocate == me.id or conv.has_open_request):
        return
    opened = console_dependencies().foreign_reads.opened(me.id, code)
    allowed = FOREIGN_CODES_PER_HOUR * (5 if me.role is Role.SUPERVISOR else 1)
    if opened > allowed:
        audit_event("view", code, f"refused: more than {allowed} codes not theirs in an hour")
        abort(429, f"You have opened {allowed} conversations that are not yours this hour. Ask a supervisor if "
                   "you need more; the queue's waiting requests are always open to you.")


def entry_view(entry: dict, deliveries: dict[str, str] | None = None) -> dict:
    by = entry["by"]
    who = {"survivor": "Them", "bot": "Lantern bot", "event": "", "note": "Note"}.get(by, entry.get("name", by))
    if by == "note":
        who = f"Note by {entry.get('name', '?')}"
    text = entry["text"] + (" (arrived while the line was busy)" if entry.get("unprocessed") else "") + (
        " (arrived while blocked: only the safety message was sent)" if entry.get("blocked") else "")
    # What became of an advocate's message: sent, delivered, read, held, not delivered and why.
    delivery = (deliveries or {}).get(entry.get("out", ""), "")
    return {"by": by, "who": who, "text": text, "at": current_app.jinja_env.filters["clock"](entry["at"]),
            "delivery": delivery, "when": entry["at"]}


def transcript_view(conv: Conversation, entries: list[dict], speakers=SPEAKERS) -> list[dict]:
    deps = console_dependencies()
    deliveries = delivery_states(deps.deliveries, deps.outbox, conv, [e["out"] for e in entries if e.get("out")])
    return [entry_view(e, deliveries) for e in entries if e["by"] in speakers]


def danger_view(conv: Conversation) -> list[dict]:
    """Each danger category the bot read, with the message that raised it (newest first)."""
    clock = current_app.jinja_env.filters["clock"]
    return [{"category": s["category"].replace("_", " "), "said": s["said"], "at": clock(s["at"])}
            for s in reversed(conv.danger_signals)]


def misread_view(categories: Iterable[str], misreads: Misreads, conv: Conversation) -> dict:
    """For "the bot misread this": the readings to choose from, and the messages already marked."""
    readings = [(NOT_DANGER, "not danger")] + [(c, c.replace("_", " ")) for c in categories]
    return {"readings": readings, "marked": misreads.for_conversation(conv.key), "max": MAX_PARAPHRASE}


def status(conv: Conversation) -> dict:
    return {"state": state_text(conv), "priority": conv.priority.value if conv.priority else "",
            "holder": conv.advocate_name or "", "mine": conv.advocate == g.advocate.id,
            "waiting": conv.has_open_request}


@bp.get("/c/<code>")
@signed_in
def conversation(code: str):
    conv, me, deps = find(code), g.advocate, console_dependencies()
    mine = conv.advocate == me.id
    entries = deps.store.transcript(conv.key)
    # Every opening of a transcript is audited; someone else's is read-only and says so in the audit.
    audit_event("view", conv.case_code, "their own" if mine else
                f"read-only, held by {conv.advocate}" if conv.advocate else "read-only, not held")
    others = [a for a in deps.roster.all() if a.id != me.id]
    return render_template(
        "console/conversation.html", conv=conv, mine=mine, status=status(conv), number=masked_address(conv.address),
        language=LANGUAGE_NAMES.get(conv.lang, conv.lang), others=others, count=len(entries),
        transcript=transcript_view(conv, entries),
        notes=[entry_view(e) for e in entries if e["by"] == "note"],
        canned=deps.canned_replies.get(conv.lang, ()), max_reply=MAX_REPLY, max_note=MAX_NOTE,
        danger=danger_view(conv), safety_word=deps.desk.safety_word_details(conv),
        window=window_view(deps.whatsapp, conv, current_app.jinja_env.filters["clock"]),
        blocked=deps.blocks.get(conv.key), emergency=deps.settings.content.org.emergency_number,
        outcomes=deps.desk.outcomes,
        misread=misread_view(deps.engine.understanding.categories, deps.misreads, conv),
    )


@bp.get("/c/<code>/updates.json")
@signed_in
@passive
def updates(code: str):
    """What is new since the page counted `after` entries: messages, notes and the conversation's state."""
    code = checked_code(code)
    store = console_dependencies().store
    conv_key = store.conversation_for_code(code)
    conv = store.get(conv_key) if conv_key else None
    limit_foreign_reads(code, conv)
    if conv is None:
        return jsonify(gone=True, message=f"{code} was erased or has ended; there is nothing more to show.")
    after = request.args.get("after", "0")
    entries = store.transcript(conv.key)
    start = int(after) if after.isdigit() else 0
    if start > len(entries):  # the transcript was erased and started again: the page starts over
        return jsonify(reload=True)
    new = transcript_view(conv, entries[start:], SPEAKERS + ("note",))
    if new:  # a read of transcript text, as much as opening the page is
        audit_event("view", conv.case_code, f"live update: {len(new)} new, "
                    + ("their own" if conv.advocate == g.advocate.id else "read-only"))
    return jsonify(entries=new, count=len(entries), status=status(conv))


@bp.post("/c/<code>/reply")
@signed_in
def reply(code: str):
    conv, me = find(code), g.advocate
    text = request.form.get("text", "").strip()
    if not text:
        flash("Write a message first: nothing was sent.", "error")
    elif len(text) > MAX_REPLY:
        flash(f"A message can have at most {MAX_REPLY} characters; that one has {len(text)}. Nothing was sent.",
              "error")
    else:
        result = console_dependencies().desk.run(me, Command("say", conv.case_code, text))
        if not result.done:
            flash(result.message, "error")
        else:
            held_notice(conv)
    return redirect(url_for("console.conversation", code=conv.case_code) + "#reply")


def held_notice(conv: Conversation) -> None:
    """Their WhatsApp window is closed: say at once that the message waits for them (the job holds it)."""
    window = window_view(console_dependencies().whatsapp, conv, current_app.jinja_env.filters["clock"])
    if window is not None and not window["open"]:
        flash(f"Held, not sent yet: WhatsApp's 24-hour window with {conv.case_code} is closed. It goes the moment "
              "they write; you'll get a text saying whether they were sent a note that a message waits.", "notice")


@bp.post("/c/<code>/note")
@signed_in
def note(code: str):
    conv, me = find(code), g.advocate
    if conv.advocate != me.id:
        abort(403, f"{conv.case_code} isn't yours: only the advocate holding it adds notes.")
    text = request.form.get("text", "").strip()
    if not text or len(text) > MAX_NOTE:
        flash(f"A note needs between 1 and {MAX_NOTE} characters. Nothing was saved.", "error")
    else:
        # In the transcript's own list: kept and erased with it (retention, DELETE), never texted to anyone.
        console_dependencies().store.append_log(conv.key, time.time(), "note", text, name=me.first_name)
        audit_event("note", conv.case_code)
    return redirect(url_for("console.conversation", code=conv.case_code) + "#notes")


@bp.post("/c/<code>/release")
@signed_in
def release(code: str):
    conv = find(code)
    return _after(console_dependencies().desk.run(g.advocate, Command("release", conv.case_code)), conv.case_code)


@bp.post("/c/<code>/close")
@signed_in
def close(code: str):
    """Close, with the wrap-up's outcome codes ticked (only known codes are taken: never words)."""
    conv, desk = find(code), console_dependencies().desk
    outcomes = " ".join(o for o in desk.outcomes if o in request.form.getlist("outcome"))
    return _after(desk.run(g.advocate, Command("close", conv.case_code, outcomes)), conv.case_code)


@bp.post("/c/<code>/transfer")
@signed_in
def transfer(code: str):
    conv, deps = find(code), console_dependencies()
    target = deps.roster.get(request.form.get("to", ""))
    if target is None:
        flash("Choose an advocate on the roster to hand this conversation to.", "error")
        return redirect(url_for("console.conversation", code=conv.case_code))
    return _after(deps.desk.transfer(g.advocate, conv.case_code, target), conv.case_code)


def _after(result: DeskResult, code: str):
    """Back to my conversations when it left my hands; otherwise back to it, with the reason it didn't."""
    flash(result.message, "notice" if result.done else "error")
    if result.done:
        return redirect(url_for("console.mine"))
    return redirect(url_for("console.conversation", code=code))
