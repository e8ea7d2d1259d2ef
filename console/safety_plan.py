"""Safety planning from the console: set or clear a survivor's safety word, note a safe place booked.

The same desk functions as the SMS commands (WORD K7Q2 pizza, BOOKED K7Q2). The word is posted once and never
sent back: no page shows it, in full or in part.
"""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for

from bot.safety_plan import CLEAR
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
    result = desk.safety_plan.set_safety_word(g.advocate, conv.case_code, word)
    flash(result.message, "notice" if result.done else "error")
    return redirect(url_for("console.conversation", code=conv.case_code) + "#safety-plan")


@bp.post("/c/<code>/booked")
@signed_in
def booked(code: str):
    conv, desk = find(code), console_dependencies().desk
    result = desk.safety_plan.place_booked(g.advocate, conv.case_code)
    flash(result.message, "notice" if result.done else "error")
    return redirect(url_for("console.conversation", code=conv.case_code) + "#safety-plan")
