"""The Leerlingen area: the pupil overview and the Oki-doc editor (issue 6)."""

from __future__ import annotations

from flask import Blueprint, render_template

from elk_web.session import login_required

bp = Blueprint("pupils", __name__, url_prefix="/leerlingen")


@bp.get("/")
@login_required
def index() -> str:
    """The pupil overview (being built: issue 6)."""
    return render_template("pupils/index.html", page=None)
