"""Signing in and out, who is signed in, and the checks every console view starts with."""
from __future__ import annotations

import functools
import time
from urllib.parse import urlsplit

from flask import (
    abort, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for,
)
from flask_limiter.util import get_remote_address
from redis.exceptions import RedisError

from bot.advocates import Role, advocate_id
from console.auditing import audit_event
from console.blueprint import bp
from console.limits import limiter
from store.exceptions import PasswordRejected

ENDED = {
    "idle": "You were signed out after 30 minutes without activity. Sign in again to go on.",
    "expired": "You were signed out: a session lasts at most 12 hours. Sign in again to go on.",
    "removed": "You were signed out: you are no longer on the roster.",
    "password": "You were signed out because your password was changed.",
}
WRONG = "That name and password don't match an advocate. Check both and try again."


def _lantern():
    return current_app.extensions["lantern"]


def passive(view):
    """Mark a view the page calls by itself (live updates): it must not keep an idle session alive."""
    view.passive = True
    return view


@bp.before_request
def load_advocate() -> None:
    """Find the signed-in advocate; end the session if they left the roster or changed their password."""
    g.advocate = None
    if getattr(session, "store_down", False):
        raise RedisError("the console's sessions could not be read")  # the console's own 503 page
    advocate_key = session.get("advocate")
    if not advocate_key:
        g.ended = getattr(session, "ended", "")
        return
    lantern = _lantern()
    advocate = lantern.roster.get(advocate_key)
    stamp = session.get("stamp")
    if advocate is None or stamp != lantern.credentials.stamp(advocate_key):
        session.regenerate()
        g.ended = "removed" if advocate is None else "password"
        return
    g.advocate = advocate
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "passive", False):
        session["seen"] = time.time()


def signed_in(view):
    """Only for a signed-in advocate: pages redirect to sign-in, live updates answer 401."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        if g.advocate is None:
            reason = g.get("ended") or ""
            if getattr(view, "passive", False) or request.accept_mimetypes.best == "application/json":
                return jsonify(signed_out=True, reason=ENDED.get(reason, "Please sign in.")), 401
            if reason in ENDED:
                flash(ENDED[reason], "notice")
            return redirect(url_for("console.login", next=request.full_path if request.method == "GET" else None))
        return view(*args, **kwargs)

    return checked


def supervisors_only(view):
    """Signed in and a supervisor, checked on the server for every supervisor action."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        if g.advocate.role is not Role.SUPERVISOR:
            abort(403, "Only supervisors can do that. Ask a supervisor on shift.")
        return view(*args, **kwargs)

    return signed_in(checked)


def _account_key() -> str:
    """Sign-in attempts are counted per account (the name as typed, normalised) as well as per address."""
    return "account:" + advocate_id(request.form.get("name", ""))[:80]


def _failed(response) -> bool:
    return response.status_code == 401


@bp.route("/login", methods=["GET", "POST"])
# Page views are limited too: each one costs a counter, never a stored session.
@limiter.limit("30 per minute", key_func=get_remote_address, methods=["GET"], scope="sign-in-page")
@limiter.limit("5 per minute;30 per hour", key_func=_account_key, methods=["POST"], deduct_when=_failed,
               scope="sign-in-account")
@limiter.limit("20 per minute;200 per hour", key_func=get_remote_address, methods=["POST"],
               deduct_when=_failed, scope="sign-in-address")
def login():
    if request.method == "GET":
        if g.advocate is not None:
            return redirect(url_for("console.queue"))
        if g.get("ended") in ENDED:
            flash(ENDED[g.ended], "notice")
        return render_template("console/login.html", name="")
    name, password = request.form.get("name", "").strip(), request.form.get("password", "")
    if not name or not password:
        flash("Give your name as it is on the roster, and your password.", "error")
        return render_template("console/login.html", name=name), 401
    lantern = _lantern()
    advocate = lantern.roster.get(advocate_id(name))
    if not lantern.credentials.verify(advocate.id if advocate else None, password):
        why = "no such name" if advocate is None else "wrong password" if lantern.credentials.has_password(
            advocate.id) else "no password set"
        audit_event("sign-in failed", detail=f"{why}, from {get_remote_address()}",
                    advocate=advocate.id if advocate else "-")
        flash(WRONG, "error")
        return render_template("console/login.html", name=name), 401
    _start_session(advocate.id)
    audit_event("sign-in", detail=f"from {get_remote_address()}", advocate=advocate.id)
    return redirect(_safe_next(request.args.get("next")))


def _start_session(advocate_key: str) -> None:
    session.regenerate()
    session["advocate"] = advocate_key
    session["stamp"] = _lantern().credentials.stamp(advocate_key)
    session["created"] = session["seen"] = time.time()


def _safe_next(target: str | None) -> str:
    """Only back to a console page: never off to another site after sign-in."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and parts.path.startswith("/console/"):
            return target
    return url_for("console.queue")


@bp.post("/logout")
def logout():
    if g.advocate is not None:
        audit_event("sign-out")
    session.regenerate()  # the old id is deleted from Redis: a copy of the cookie opens nothing
    flash("You're signed out.", "notice")
    return redirect(url_for("console.login"))


@bp.route("/password", methods=["GET", "POST"])
@signed_in
def password():
    if request.method == "GET":
        return render_template("console/password.html")
    me, credentials = g.advocate, _lantern().credentials
    new = request.form.get("new", "")
    if not credentials.verify(me.id, request.form.get("current", "")):
        flash("Your current password is not that one.", "error")
        return render_template("console/password.html"), 400
    if new != request.form.get("confirm", ""):
        flash("The new password and its confirmation differ.", "error")
        return render_template("console/password.html"), 400
    try:
        credentials.set_password(me.id, new, me.name)
    except PasswordRejected as exc:
        flash(str(exc), "error")
        return render_template("console/password.html"), 400
    audit_event("password", detail="changed on the console")
    _start_session(me.id)  # this browser stays signed in; every other session ended with the old password
    flash("Password changed. Any other place you were signed in has been signed out.", "notice")
    return redirect(url_for("console.queue"))
