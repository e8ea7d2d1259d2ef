"""Signing in and out, who is signed in, and the checks every console view starts with."""
from __future__ import annotations

import functools
import math
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
from console.limits import limiter, page_view_bucket
from store.attempts import FREE_PER_ACCOUNT, SignInAttempts
from store.exceptions import PasswordRejected
from console.dependencies import console_dependencies


ENDED = {
    "idle": "You were signed out after 30 minutes without activity. Sign in again to go on.",
    "expired": "You were signed out: a session lasts at most 12 hours. Sign in again to go on.",
    "removed": "You were signed out: you are no longer on the roster.",
    "password": "You were signed out because your password was changed.",
    "two-factor": "You were signed out: your second factor was set up or reset, or one of your recovery codes "
                  "was used. Sign in again to go on.",
}
MUST_ENROL = "The organisation asks for a second factor: set one up here before you use the console."
WRONG = "That name and password don't match an advocate. Check both and try again."



def passive(view):
    """Mark a view the page calls by itself (live updates): it must not keep an idle session alive."""
    view.passive = True
    return view


def enrolment(view):
    """Mark a view an advocate who must still set up a second factor may use (the set-up pages)."""
    view.while_enrolling = True
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
    deps = console_dependencies()
    advocate = deps.roster.get(advocate_key)
    stamp = session.get("stamp")
    if advocate is None or stamp != deps.credentials.stamp(advocate_key):
        session.regenerate()
        g.ended = "removed" if advocate is None else "password"
        return
    factor = deps.two_factor.state(advocate_key)
    if session.get("factor") != factor.epoch:
        session.regenerate()
        g.ended = "two-factor"
        return
    g.advocate = advocate
    g.must_enrol = deps.settings.require_two_factor and not factor.enrolled
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
        if g.must_enrol and not getattr(view, "while_enrolling", False):
            if getattr(view, "passive", False) or request.accept_mimetypes.best == "application/json":
                return jsonify(signed_out=False, reason=MUST_ENROL), 403
            flash(MUST_ENROL, "notice")
            return redirect(url_for("console.two_factor"))
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


@bp.route("/login", methods=["GET", "POST"])
# Page views are limited too: each one costs a counter in a bounded set, never a stored session.
@limiter.limit("60 per minute", key_func=page_view_bucket, methods=["GET"], scope="sign-in-page")
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
    deps, account, address = console_dependencies(), advocate_id(name)[:80], get_remote_address()
    advocate = deps.roster.get(account)
    wait = sign_in_attempts().wait(account, address)
    if wait:  # slowed, not locked: the right password works again in at most a minute, at once elsewhere
        audit_event("sign-in failed", detail=f"slowed down, from {address}", advocate=advocate.id if advocate else "-")
        flash(f"Too many wrong passwords for that name from here. Wait {math.ceil(wait)} seconds, then try "
              "again; if you forgot your password, ask a supervisor to set a new one.", "error")
        return render_template("console/login.html", name=name), 429, {"Retry-After": str(math.ceil(wait))}
    if not deps.credentials.verify(advocate.id if advocate else None, password):
        return _wrong_password(advocate, account, address, name)
    sign_in_attempts().succeeded(account, address)
    if deps.two_factor.enrolled(advocate.id):
        start_pending(advocate.id, request.args.get("next"))
        return redirect(url_for("console.sign_in_code"))
    start_session(advocate.id)
    audit_event("sign-in", detail=f"from {address}", advocate=advocate.id)
    return redirect(safe_next(request.args.get("next")))


def sign_in_attempts() -> SignInAttempts:
    return console_dependencies().sign_in_attempts


def _wrong_password(advocate, account: str, address: str, name: str):
    deps = console_dependencies()
    why = "no such name" if advocate is None else "wrong password" if deps.credentials.has_password(
        advocate.id) else "no password set"
    audit_event("sign-in failed", detail=f"{why}, from {address}", advocate=advocate.id if advocate else "-")
    verdict = sign_in_attempts().failed(account, address)
    if verdict.newly_slowed:
        # Never the name as typed (it may be a password typed in the wrong box): a roster name or nothing.
        who = advocate.name if advocate else "a name that is not on the roster"
        for supervisor in deps.roster.supervisors():
            deps.postbox.to_advocate(supervisor.id, deps.texts(
                "sign_in_slowed", count=str(FREE_PER_ACCOUNT), name=who), "notice")
    flash(WRONG, "error")
    slowed = {"Retry-After": str(math.ceil(verdict.wait))} if verdict.wait else {}
    return render_template("console/login.html", name=name), 401, slowed


def start_session(advocate_key: str) -> None:
    """A signed-in session for this browser under a new id, stamped with the password and second factor."""
    session.regenerate()
    session["advocate"] = advocate_key
    session["stamp"] = console_dependencies().credentials.stamp(advocate_key)
    session["factor"] = console_dependencies().two_factor.state(advocate_key).epoch
    session["created"] = session["seen"] = time.time()


def start_pending(advocate_key: str, next_page: str | None) -> None:
    """The right password, a second factor still to come: only the code page opens with this session."""
    session.regenerate()
    session["pending"] = advocate_key
    session["stamp"] = console_dependencies().credentials.stamp(advocate_key)
    session["factor"] = console_dependencies().two_factor.state(advocate_key).epoch
    session["created"] = session["seen"] = time.time()
    if next_page:
        session["next"] = next_page[:500]


def safe_next(target: str | None) -> str:
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
    me, credentials = g.advocate, console_dependencies().credentials
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
    start_session(me.id)  # this browser stays signed in; every other session ended with the old password
    flash("Password changed. Any other place you were signed in has been signed out.", "notice")
    return redirect(url_for("console.queue"))
