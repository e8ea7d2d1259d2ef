"""Outreach for supervisors: create a night and its card codes, record cards handed out, print the cards."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from console.auditing import audit_event
from console.auth import supervisors_only
from console.blueprint import bp
from store.exceptions import OutreachError
from console.dependencies import console_dependencies



@bp.get("/outreach")
@supervisors_only
def outreach():
    deps = console_dependencies()
    return render_template("console/outreach.html", outreaches=deps.outreaches.all(),
                           advocates=deps.roster.all())


@bp.post("/outreach/add")
@supervisors_only
def add_outreach():
    form = request.form
    try:
        created = console_dependencies().outreaches.create(form.get("name", ""), form.get("date", ""), form.get("area", ""),
                                               form.getlist("advocate"))
    except OutreachError as exc:
        flash(f"Not created: {exc}", "error")
        return redirect(url_for("console.outreach"))
    audit_event("outreach", detail=f"created {created.id} with {len(created.cards)} cards")
    codes = ", ".join(f"{c['code']} ({c['name']})" for c in created.cards)
    flash(f"Created {created.name}. Card codes: {codes}.", "notice")
    return redirect(url_for("console.outreach") + f"#outreach-{created.id}")


@bp.post("/outreach/<outreach_id>/handed-out")
@supervisors_only
def handed_out(outreach_id: str):
    raw = request.form.get("count", "").strip()
    try:
        found = console_dependencies().outreaches.record_handed_out(outreach_id, int(raw) if raw.isdigit() else -1)
    except OutreachError as exc:
        flash(f"Not saved: {exc}", "error")
        return redirect(url_for("console.outreach"))
    audit_event("outreach", detail=f"{found.id}: {found.handed_out} cards handed out")
    flash(f"{found.name}: {found.handed_out} cards handed out.", "notice")
    return redirect(url_for("console.outreach") + f"#outreach-{found.id}")


@bp.get("/outreach/<outreach_id>/cards")
@supervisors_only
def cards(outreach_id: str):
    """One card per code, made to print: the hotline number and 'text LUMA7', in English and Spanish."""
    deps = console_dependencies()
    found = deps.outreaches.get(outreach_id)
    if found is None:
        abort(404, "No such outreach: it may have been mistyped.")
    org = deps.settings.content.org
    return render_template("console/cards.html", outreach=found, number=pretty_number(deps.settings.twilio_number),
                           org_name=None if org.discreet else org.name)


def pretty_number(number: str) -> str:
    """(555) 555-0199 for a US number; others as they are given."""
    digits = "".join(ch for ch in number or "" if ch.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        return f"({digits[1:4]}) {digits[4:7]}-{digits[7:]}"
    return number or "the number on this card"
