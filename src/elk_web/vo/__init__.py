"""The VO school's pages (R-AUTH-5, R-AAN-4): the pupils registered at the own school.

A view parses the filters from the URL, calls ``elk_domain.vo.registrations`` and renders; the
CSV is the same list, filters included.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from werkzeug.datastructures import MultiDict

from elk_domain.kernel.advice import Level
from elk_domain.vo.model import PriorityState, RegistrationFilter, claim_text
from elk_domain.vo.registrations import registrations_csv, registrations_list
from elk_web.context import current_actor, services
from elk_web.session import login_required

bp = Blueprint("vo", __name__, url_prefix="/vo")

_MAX_SEARCH = 100


def registration_filter(args: MultiDict[str, str]) -> RegistrationFilter:
    """The filters in the query string; unknown values mean "all"."""
    levels = {level.value: level for level in Level}
    states = {state.value: state for state in PriorityState}
    return RegistrationFilter(
        level=levels.get(args.get("niveau", "")),
        priority=states.get(args.get("voorrang", "")),
        search=args.get("zoek", "")[:_MAX_SEARCH],
    )


@bp.get("/aanmeldingen")
@login_required
def registrations() -> str:
    """The pupils whose definitive first choice is the own school, with counts per level."""
    wanted = registration_filter(request.args)
    listing = registrations_list(services().reader(), current_actor(), wanted)
    return render_template(
        "vo/registrations.html",
        listing=listing,
        levels=sorted(listing.school.levels, key=lambda level: level.rank),
        states=list(PriorityState),
        query=request.args.to_dict(),
        claim_text=claim_text,
    )


@bp.get("/aanmeldingen.csv")
@login_required
def registrations_export() -> Response:
    """The same list as CSV for a spreadsheet; cells that start like a formula are neutralised."""
    listing = registrations_list(
        services().reader(), current_actor(), registration_filter(request.args)
    )
    return Response(
        "\ufeff" + registrations_csv(listing),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="elk-aanmeldingen.csv"'},
    )
