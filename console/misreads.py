"""Teaching the bot from the console: beside a message, "the bot misread this", with the right reading.

The advocate gives a danger category (or not danger) and a paraphrase in their own words; the survivor's
words are never copied (bot/misreads.py refuses a paraphrase that repeats them). Stored encrypted by
store/misreads.py, audited without words, exported by a supervisor with `flask --app app understanding misreads`.
"""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for

from bot.misreads import NOT_DANGER, MisreadRefused, checked_misread
from console.auditing import audit_event
from console.auth import signed_in
from console.blueprint import bp
from console.conversation import find
from console.dependencies import console_dependencies


@bp.post("/c/<code>/misread")
@signed_in
def misread(code: str):
    conv, deps = find(code), console_dependencies()
    back = redirect(url_for("console.conversation", code=conv.case_code) + "#transcript-title")
    try:
        when = float(request.form.get("at", ""))
    except ValueError:
        when = -1.0
    entry = next((e for e in deps.store.transcript(conv.key) if e["by"] == "survivor" and e["at"] == when), None)
    if entry is None:
        flash("Mark a message they sent: that one is not in this conversation.", "error")
        return back
    bot_read = tuple(dict.fromkeys(s["category"] for s in conv.danger_signals if s.get("at") == when))
    try:
        reading, paraphrase = checked_misread(request.form.get("reading", ""), request.form.get("paraphrase", ""),
                                              entry["text"], deps.engine.understanding.categories)
    except MisreadRefused as exc:
        flash(str(exc), "error")
        return back
    if reading == NOT_DANGER and not bot_read or reading in bot_read:
        flash("The bot read that message that way already: nothing to teach.", "error")
        return back
    deps.misreads.add(conv.key, when, bot_read, reading, paraphrase, conv.lang, g.advocate.id)
    audit_event("misread", conv.case_code, f"bot read {', '.join(bot_read) or 'no danger'}; right reading {reading}")
    flash("Thank you: the bot will learn from your paraphrase.", "notice")
    return back
