"""Pages for the functional administrator."""

from __future__ import annotations

from flask import Blueprint, render_template

from elk_domain.logbooks.outbox import list_sent_mail
from elk_web.context import current_actor, services
from elk_web.session import login_required

bp = Blueprint("admin", __name__, url_prefix="/beheer")


@bp.get("/verzonden-e-mail")
@login_required
def outbox() -> str:
    """The mail the demo captured instead of sending (the demo's "Verzonden e-mail")."""
    mails = list_sent_mail(current_actor(), services().outbox)
    return render_template("admin/outbox.html", mails=mails)
