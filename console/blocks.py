"""Blocking numbers from the console (supervisors): the same desk as `flask --app app block …`."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from bot.blocking import BlockKind
from console.auth import supervisors_only
from console.blueprint import bp
from console.queue import checked_code
from store.blocks import DURATIONS
from console.dependencies import console_dependencies


def _desk():
    return console_dependencies().blocking


@bp.get("/blocks")
@supervisors_only
def blocks():
    return render_template("console/blocks.html", blocks=_desk().blocks.all())


@bp.post("/c/<code>/block")
@supervisors_only
def block(code: str):
    code, duration = checked_code(code), request.form.get("duration", "")
    if duration not in DURATIONS:
        flash("Choose how long: 24 hours, 30 days or for good. Nothing was blocked.", "error")
        return redirect(url_for("console.conversation", code=code))
    result = _desk().block(code, duration, by=g.advocate.id)
    flash(result.message, "notice" if result.kind is BlockKind.BLOCKED else "error")
    return redirect(url_for("console.conversation", code=code))


@bp.post("/c/<code>/unblock")
@supervisors_only
def unblock(code: str):
    result = _desk().unblock(checked_code(code), by=g.advocate.id)
    flash(result.message, "notice" if result.kind is BlockKind.UNBLOCKED else "error")
    return redirect(request.form.get("back") == "blocks" and url_for("console.blocks")
                    or url_for("console.conversation", code=code.upper()))
