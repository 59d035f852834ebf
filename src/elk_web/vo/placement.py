"""The VO school's placement page (issue 16, item 5): the pupils placed at the own school and
the reserve lists per level, from the published run. Decision 0055."""

from __future__ import annotations

from flask import render_template

from elk_domain.placement.views import school_placement
from elk_web.context import current_actor, services
from elk_web.session import login_required
from elk_web.vo._blueprint import bp


@bp.get("/plaatsing")
@login_required
def placement() -> str:
    """Placed pupils (by level and name) and the reserve lists in order."""
    s = services()
    listing = school_placement(s.reader(), current_actor(), s.settings.procedure)
    return render_template("vo/placement.html", listing=listing)
