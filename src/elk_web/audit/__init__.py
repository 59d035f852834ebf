"""Logboek: who did what, when, and on whose behalf (impersonation visible)."""

from __future__ import annotations

from flask import Blueprint, render_template

from elk_domain.logbooks.audit import audit_lines
from elk_web.context import current_actor, services
from elk_web.session import login_required

bp = Blueprint("audit", __name__, url_prefix="/beheer/logboek")


@bp.get("/")
@login_required
def index() -> str:
    """The newest entries within the actor's reach."""
    lines = audit_lines(services().reader(), current_actor())
    return render_template("audit/index.html", lines=lines)
