"""Safety planning from the console: set or clear a survivor's safety word, note a safe place booked.

The same desk functions as the SMS commands (WORD K7Q2 pizza, BOOKED K7Q2). The word is posted once and never
sent back: no page shows it, in full or in part.
"""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for

from bot.safety_plan import CLEAR, place_booked, set_safety_word
from console.auth import signed_in
from console.blueprint import bp
from console.conversation import find
from console.dependencies import console_dependencies

MAX_WORD = 80


@bp.post("/c/<code>/safety-word")
@signed_in
def safety_word(code: str):
    conv, desk = find(code), console_dependencies().desk
    word = CLEAR if "clear" in request.form else request.form.get("word", "").strip()[:MAX_WORD]
    reply = set_safety_word(desk, g.advocate, conv.case_code, word)[0]
    flash(reply, "notice" if reply.startswith("Safety word") else "error")
    return redirect(url_for("console.conversation", code=conv.case_code) + "#safety-plan")


@bp.post("/c/<code>/booked")
@signed_in
def booked(code: str):
    conv, desk = find(code), console_dependencies().desk
    reply = place_booked(desk, g.advocate, conv.case_code)[0]
    flash(reply, "notice" if reply.startswith("Noted") else "error")
    return redirect(url_for("console.conversation", code=conv.case_code) + "#safety-plan")
