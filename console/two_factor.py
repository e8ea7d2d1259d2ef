"""The second factor: the code page of a half-finished sign-in, and setting up an authenticator app."""
from __future__ import annotations

import math
import time

import segno
from flask import flash, g, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address

from console.auditing import audit_event
from console.auth import enrolment, safe_next, signed_in, start_session
from console.blueprint import bp
from store.attempts import FREE_PER_ACCOUNT, SignInAttempts
from store.two_factor import CodeCheck, grouped, provisioning_uri
from console.dependencies import console_dependencies

PENDING_SECONDS = 5 * 60  # from the right password to the code
WRONG_CODE = "That code is not right. Check the time on your phone, wait for the next code and try again."
REUSED_CODE = "That code was already used. Wait for the next one in your app (a new one every 30 seconds)."



def code_attempts() -> SignInAttempts:
    return console_dependencies().code_attempts


def _pending_advocate():
    """Whose sign-in waits for a code in this session; None when there is none or it went stale."""
    deps, key = console_dependencies(), session.get("pending")
    if not key:
        return None
    advocate = deps.roster.get(key)
    fresh = time.time() - session.get("created", 0) <= PENDING_SECONDS
    if (advocate is None or not fresh or session.get("stamp") != deps.credentials.stamp(key)
            or session.get("factor") != deps.two_factor.state(key).epoch):
        session.regenerate()
        return None
    return advocate


@bp.route("/login/code", methods=["GET", "POST"])
def sign_in_code():
    advocate = _pending_advocate()
    if advocate is None:
        flash("Sign in with your name and password first (a sign-in waits 5 minutes for its code).", "notice")
        return redirect(url_for("console.login"))
    if request.method == "GET":
        return render_template("console/login_code.html")
    address = get_remote_address()
    wait = code_attempts().wait(advocate.id, address)
    if wait:
        audit_event("sign-in failed", detail=f"code slowed down, from {address}", advocate=advocate.id)
        flash(f"Too many wrong codes from here. Wait {math.ceil(wait)} seconds, then try again.", "error")
        return render_template("console/login_code.html"), 429, {"Retry-After": str(math.ceil(wait))}
    code = request.form.get("code", "")[:64]
    digits = "".join(code.split())
    if len(digits) == 6 and digits.isdigit():  # from the app; anything else may be a recovery code
        checked, left = console_dependencies().two_factor.check_code(advocate.id, code), None
    else:
        left = console_dependencies().two_factor.use_recovery(advocate.id, code)
        checked = CodeCheck.WRONG if left is None else CodeCheck.OK
    if checked is not CodeCheck.OK:
        return _wrong_code(advocate, address, checked)
    code_attempts().succeeded(advocate.id, address)
    next_page = session.get("next")
    start_session(advocate.id)
    how = "an authenticator code" if left is None else "a recovery code"
    audit_event("sign-in", detail=f"from {address}, with {how}", advocate=advocate.id)
    if left is not None:
        audit_event("two-factor", detail=f"recovery code used ({left} left); other sessions ended", advocate=advocate.id)
        flash(f"You signed in with a recovery code: it won't work again, and {left} are left. Anywhere else you "
              "were signed in has been signed out. Lost your phone? Ask a supervisor to reset your second factor.",
              "notice")
    return redirect(safe_next(next_page))


def _wrong_code(advocate, address: str, checked: CodeCheck):
    why = "code already used" if checked is CodeCheck.REUSED else "wrong code"
    audit_event("sign-in failed", detail=f"{why}, from {address}", advocate=advocate.id)
    verdict = code_attempts().failed(advocate.id, address)
    if verdict.newly_slowed:
        deps = console_dependencies()
        for supervisor in deps.roster.supervisors():
            deps.postbox.to_advocate(supervisor.id, deps.texts(
                "two_factor_slowed", count=str(FREE_PER_ACCOUNT), name=advocate.name), "notice")
    flash(REUSED_CODE if checked is CodeCheck.REUSED else WRONG_CODE, "error")
    slowed = {"Retry-After": str(math.ceil(verdict.wait))} if verdict.wait else {}
    return render_template("console/login_code.html"), 401, slowed


@bp.get("/two-factor")
@signed_in
@enrolment
def two_factor():
    me, factors = g.advocate, console_dependencies().two_factor
    enrolled = factors.enrolled(me.id)
    return render_template("console/two_factor.html", enrolled=enrolled,
                           left=factors.recovery_left(me.id) if enrolled else 0)


@bp.post("/two-factor/start")
@signed_in
@enrolment
def two_factor_start():
    me, factors = g.advocate, console_dependencies().two_factor
    if factors.enrolled(me.id):
        flash("You already have a second factor. To set up another phone, ask a supervisor to reset it.", "notice")
        return redirect(url_for("console.two_factor"))
    return _enrol_page(factors.begin(me.id))


@bp.post("/two-factor/confirm")
@signed_in
@enrolment
def two_factor_confirm():
    me, factors = g.advocate, console_dependencies().two_factor
    secret = factors.pending(me.id)
    if secret is None or factors.enrolled(me.id):
        flash("That set-up is over (it waits 15 minutes). Start again.", "notice")
        return redirect(url_for("console.two_factor"))
    codes = factors.confirm(me.id, request.form.get("code", "")[:64])
    if codes is None:
        flash("That code is not the one your app shows for this set-up. Scan the code again and try the next one.",
              "error")
        return _enrol_page(secret, 400)
    start_session(me.id)  # this browser stays signed in; every other session ends
    audit_event("two-factor", detail="set up an authenticator app; other sessions ended")
    return render_template("console/two_factor_codes.html", codes=[grouped(c) for c in codes])


def _enrol_page(secret: str, status: int = 200):
    uri = provisioning_uri(secret, g.advocate.name, console_dependencies().settings.content.org.name)
    qr = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", title="QR code to scan with "
                                                "your authenticator app", svgclass="qr")
    spaced = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return render_template("console/two_factor_enrol.html", qr=qr, secret=spaced), status
