"""Overzichten (R-LL-4): pupils per Oki-doc and registration status, per school and board."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from elk_domain.overview.page import status_csv, status_overview
from elk_web.context import current_actor, services
from elk_web.session import login_required

bp = Blueprint("overviews", __name__, url_prefix="/overzichten")


@bp.get("/")
@login_required
def index() -> str:
    """ "PO – status leerlingen / Oki-doc" and "… > aanmelding" with counts."""
    return render_template(
        "overviews/index.html", overview=status_overview(services().reader(), current_actor())
    )


@bp.get("/status.csv")
@login_required
def csv() -> Response:
    """The same counts as CSV; cells that start like a formula are neutralised."""
    text = status_csv(status_overview(services().reader(), current_actor()))
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="elk-status-leerlingen.csv"'},
    )
