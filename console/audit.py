"""The audit page for supervisors: the append-only stream, newest first, filtered by advocate and code."""
from __future__ import annotations

import re

from flask import render_template, request

from console.auth import supervisors_only
from console.blueprint import bp
from store.audit import PAGE_SIZE
from console.dependencies import console_dependencies

STREAM_ID = re.compile(r"^\d+-\d+$")


@bp.get("/audit")
@supervisors_only
def audit():
    deps = console_dependencies()
    advocate = request.args.get("advocate", "").strip()[:80]
    code = request.args.get("code", "").strip().upper()[:4]
    before = request.args.get("before", "")
    entries = deps.audit.entries(advocate=advocate, code=code,
                                    before=before if STREAM_ID.match(before) else "+")
    names = {a.id: a.name for a in deps.roster.all()}
    return render_template("console/audit.html", entries=entries, names=names, advocate=advocate, code=code,
                           older=entries[-1].id if len(entries) == PAGE_SIZE else None)
