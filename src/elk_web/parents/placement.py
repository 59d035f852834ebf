"""The parents' page of the placement (issue 16, item 5): where the child is placed, and for
each school ranked higher why not, with the place on its reserve list. The mail sent when the
placement is published links here. Decision 0055."""

from __future__ import annotations

from flask import Response, render_template

from elk_domain.errors import Message, NotFound
from elk_domain.placement.views import parent_placement
from elk_web.context import services
from elk_web.parents._blueprint import bp, own, parent_required
from elk_web.views import pdf_response

NOT_PUBLISHED = Message("De uitslag van de plaatsing is nog niet bekend.")


@bp.get("/plaatsing")
@parent_required
def placement() -> str:
    """The own child's placement in the published run, or that it is not published yet."""
    s = services()
    view = parent_placement(s.reader(), own(), s.settings.procedure)
    return render_template("parents/placement.html", view=view)


@bp.get("/plaatsing.pdf")
@parent_required
def placement_pdf() -> Response:
    """The placement letter as a PDF: the same placement and reasons, to print or keep."""
    s = services()
    view = parent_placement(s.reader(), own(), s.settings.procedure)
    if view is None:
        raise NotFound(NOT_PUBLISHED)
    context = {
        "view": view,
        "procedure": s.settings.procedure.capitalize(),
        "printed_on": s.clock.now().strftime("%d-%m-%Y"),
    }
    letter = s.documents.render("placement_letter.html", context)
    return pdf_response(letter, f"plaatsing-{view.elk_number}.pdf")
