"""What the desk and the console write to the audit stream, and from which side it came."""
from __future__ import annotations

from typing import Callable

from flask import g, has_request_context, request

from store.audit import AuditLog
from console.dependencies import console_dependencies


def desk_auditor(audit: AuditLog, outside: str = "sms") -> Callable[..., None]:
    """The `audit` callable a desk is given: what it did, by channel (`outside` when not a console request)."""

    def record(event: str, advocate_id: str, code: str, detail: str = "") -> None:
        via = "console" if has_request_context() and request.blueprint == "console" else outside
        audit.record(event, advocate_id, code, via=via, detail=detail)

    return record


def audit_event(event: str, code: str = "", detail: str = "", advocate: str | None = None) -> None:
    """Record a console event for the signed-in advocate (or the one named)."""
    from flask import current_app

    who = advocate if advocate is not None else (g.advocate.id if g.get("advocate") else "-")
    console_dependencies().audit.record(event, who, code, via="console", detail=detail)
