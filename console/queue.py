"""The queue of waiting requests, an advocate's own conversations, and claiming from either."""
from __future__ import annotations

import re
import time

from flask import abort, current_app, flash, g, jsonify, redirect, render_template, url_for

from bot.advocates import Command
from bot.desk_result import DeskKind
from console.auth import passive, signed_in
from console.blueprint import bp
from console.display import offered_text, request_row, state_text
from console.dependencies import console_dependencies

CODE = re.compile(r"^[A-Z0-9]{4}$")
# How often the pages ask for changes: short polling holds no web thread between two asks.
POLL_SECONDS = 3



def checked_code(code: str) -> str:
    code = code.upper()
    if not CODE.match(code):
        abort(404, f"{code[:12]} is not a case code: codes are four letters and digits, like K7Q2.")
    return code


def waiting_rows() -> list[dict]:
    """The queue, each row saying who it was offered to (first names only)."""
    deps, now = console_dependencies(), time.time()
    waiting = deps.store.waiting_requests()
    offers = deps.offers.of_many([c.key for c in waiting])
    names = {a.id: a.first_name for a in deps.roster.all()} if any(offers.values()) else {}
    return [dict(request_row(conv, now), offered=offered_text(offers.get(conv.key, []), names)) for conv in waiting]


def my_rows() -> list[dict]:
    """The conversations the signed-in advocate holds, oldest claim first, with who spoke last."""
    store, now, rows = console_dependencies().store, time.time(), []
    for conv in store.holds(g.advocate.id):
        entries = [e for e in store.transcript(conv.key) if e["by"] in ("survivor", "advocate", "bot")]
        last = entries[-1] if entries else None
        rows.append(dict(request_row(conv, now), state=state_text(conv),
                         their_turn=bool(last and last["by"] == "survivor"),
                         last_at=last["at"] if last else conv.updated_at,
                         href=url_for("console.conversation", code=conv.case_code)))
    return rows


@bp.get("/")
@signed_in
def queue():
    return render_template("console/queue.html", rows=waiting_rows(), poll=POLL_SECONDS)


@bp.get("/queue.json")
@signed_in
@passive
def queue_json():
    return jsonify(waiting=waiting_rows(), mine=len(console_dependencies().store.holds(g.advocate.id)))


@bp.get("/mine")
@signed_in
def mine():
    return render_template("console/mine.html", rows=my_rows(), poll=POLL_SECONDS)


@bp.get("/mine.json")
@signed_in
@passive
def mine_json():
    rows = my_rows()
    for row in rows:
        row["last"] = current_app.jinja_env.filters["clock"](row.pop("last_at"))
    return jsonify(mine=rows)


@bp.post("/claim/<code>")
@signed_in
def claim(code: str):
    code, me, deps = checked_code(code), g.advocate, console_dependencies()
    result = deps.desk.run(me, Command("claim", code))
    if not result.done and result.kind is not DeskKind.ALREADY_YOURS:
        flash(result.message, "error")  # with someone else, no longer waiting, or no such code
        return redirect(url_for("console.queue"))
    if result.kind is DeskKind.CLAIMED:
        flash(f"{code} is yours. They see you as {me.first_name}; they've been told you're here.", "notice")
    else:
        flash(result.message, "notice")  # already yours; or yours, but they asked for quiet or gave no consent
    return redirect(url_for("console.conversation", code=code))
