"""Roster and on-call for supervisors: the same operations as `flask --app app advocates …`."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from bot.advocates import Role
from console.auditing import audit_event
from console.auth import supervisors_only
from console.blueprint import bp
from store.exceptions import RosterError
from store.roster import masked
from console.dependencies import console_dependencies

TOGGLES = {"available": "available", "on_call": "on call"}



@bp.get("/roster")
@supervisors_only
def roster():
    deps = console_dependencies()
    advocates = deps.roster.all()
    loads = deps.roster.loads(advocates)
    with_factor = deps.two_factor.enrolled_ids()
    people = [{"advocate": a, "phone": masked(a.phone), "password": deps.credentials.has_password(a.id),
               "load": loads.get(a.id, 0), "two_factor": a.id in with_factor} for a in advocates]
    return render_template("console/roster.html", people=people, roles=[r.value for r in Role])


@bp.post("/roster/add")
@supervisors_only
def add_advocate():
    form = request.form
    try:
        role = Role(form.get("role", Role.ADVOCATE.value))
    except ValueError:
        role = None
    try:
        if role is None:
            raise RosterError("Choose a role: advocate or supervisor.")
        advocate = console_dependencies().roster.add(form.get("name", ""), form.get("phone", ""), role,
                                         on_call="on_call" in form, available="available" in form,
                                         capacity=form.get("capacity", "3"), languages=form.get("languages", "en"))
    except RosterError as exc:
        flash(f"Not added: {exc}", "error")
        return redirect(url_for("console.roster"))
    audit_event("roster", detail=f"added {advocate.id} ({advocate.role.value})")
    flash(f"Added {advocate.name} ({masked(advocate.phone)}). They set a password with "
          f"flask --app app advocates set-password \"{advocate.name}\".", "notice")
    return redirect(url_for("console.roster"))


@bp.post("/roster/<advocate_key>/toggle")
@supervisors_only
def toggle(advocate_key: str):
    field, value = request.form.get("field", ""), request.form.get("value") == "on"
    if field not in TOGGLES:
        flash("Only available and on call can be switched here.", "error")
        return redirect(url_for("console.roster"))
    try:
        advocate = console_dependencies().roster.update(advocate_key, **{field: value})
    except RosterError as exc:
        flash(str(exc), "error")
        return redirect(url_for("console.roster"))
    audit_event("roster", detail=f"{advocate.id}: {TOGGLES[field]} {'on' if value else 'off'}")
    flash(f"{advocate.name}: {TOGGLES[field]} {'on' if value else 'off'}.", "notice")
    return redirect(url_for("console.roster"))


@bp.post("/roster/<advocate_key>/capacity")
@supervisors_only
def set_capacity(advocate_key: str):
    """Capacity (the most conversations held at once) and languages, as `advocates capacity` sets them."""
    try:
        advocate = console_dependencies().roster.update(advocate_key, capacity=request.form.get("capacity", ""),
                                            languages=request.form.get("languages", ""))
    except RosterError as exc:
        flash(f"Not changed: {exc}", "error")
        return redirect(url_for("console.roster"))
    audit_event("roster", detail=f"{advocate.id}: capacity {advocate.capacity}, languages {','.join(advocate.languages)}")
    flash(f"{advocate.name}: capacity {advocate.capacity}, speaks {', '.join(advocate.languages)}.", "notice")
    return redirect(url_for("console.roster"))


@bp.post("/roster/<advocate_key>/remove")
@supervisors_only
def remove(advocate_key: str):
    if advocate_key == g.advocate.id:
        flash("You can't remove yourself here: ask another supervisor (or use the command line).", "error")
        return redirect(url_for("console.roster"))
    try:
        advocate = console_dependencies().roster.remove(advocate_key)
    except RosterError as exc:
        flash(str(exc), "error")
        return redirect(url_for("console.roster"))
    # Their console sessions end at their next request: the roster is checked on every one.
    audit_event("roster", detail=f"removed {advocate.id}")
    flash(f"Removed {advocate.name}. Anywhere they were signed in, they are signed out.", "notice")
    return redirect(url_for("console.roster"))


@bp.post("/roster/<advocate_key>/two-factor/reset")
@supervisors_only
def reset_two_factor(advocate_key: str):
    """A lost phone: take the advocate's second factor away; they sign in with their password and set one up."""
    if advocate_key == g.advocate.id:
        flash("You can't reset your own second factor here: ask another supervisor (or use the command line).",
              "error")
        return redirect(url_for("console.roster"))
    advocate = console_dependencies().roster.get(advocate_key)
    if advocate is None:
        flash("Nobody on the roster has that name.", "error")
        return redirect(url_for("console.roster"))
    had = console_dependencies().two_factor.reset(advocate.id)
    audit_event("two-factor", detail=f"reset for {advocate.id}{'' if had else ' (had none)'}; their sessions ended")
    flash(f"Reset {advocate.name}'s second factor. Anywhere they were signed in, they are signed out; they set up "
          "a new one after signing in with their password.", "notice")
    return redirect(url_for("console.roster"))
