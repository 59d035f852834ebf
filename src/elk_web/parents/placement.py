"""The parents' page of the placement (issue 16, item 5): where the child is placed, and for
each school ranked higher why not, with the place on its reserve list. The mail sent when the
placement is published links here. Decision 0055."""

from __future__ import annotations

from flask import render_template

from elk_domain.placement.views import parent_placement
from elk_web.context import services
from elk_web.parents._blueprint import bp, own, parent_required


@bp.get("/plaatsing")
@parent_required
def placement() -> str:
    """The own child's placement in the published run, or that it is not published yet."""
    s = services()
    view = parent_placement(s.reader(), own(), s.settings.procedure)
    return render_template("parents/placement.html", view=view)
