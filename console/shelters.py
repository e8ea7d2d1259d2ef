"""Safe places tonight: every advocate reads it; supervisors record tonight's beds and whom each takes."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from bot.advocates import Role
from config.console_content import TAKES
from console.auditing import audit_event
from console.auth import signed_in, supervisors_only
from console.blueprint import bp
from store.exceptions import ShelterError
from console.dependencies import console_dependencies


@bp.get("/shelters")
@signed_in
def shelters():
    board = console_dependencies().shelters
    return render_template("console/shelters.html", places=board.tonight(), night=board.night(), takes=TAKES,
                           editable=g.advocate.role is Role.SUPERVISOR, any_room=board.available_tonight())


@bp.post("/shelters/<place_id>")
@supervisors_only
def update_shelter(place_id: str):
    board = console_dependencies().shelters
    try:
        entry = board.update(place_id, request.form.get("beds", ""), request.form.getlist("takes"),
                             request.form.get("languages", ""), by=g.advocate.id)
    except ShelterError as exc:
        flash(f"Not saved: {exc}", "error")
        return redirect(url_for("console.shelters") + f"#place-{place_id}")
    audit_event("shelters", detail=f"{entry.place.id}: {entry.beds} tonight, takes {', '.join(entry.takes)}")
    flash(f"Saved: {entry.place.name} has {entry.beds} tonight.", "notice")
    return redirect(url_for("console.shelters") + f"#place-{place_id}")
