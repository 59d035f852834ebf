"""The pupil overview (R-LL-1/2): filter, search, sort, page, bulk actions, row menu."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import current_app, render_template, request, url_for

from elk_domain.overview.model import OverviewSort
from elk_domain.overview.page import PAGE_SIZES, OverviewRequest, PupilOverview, pupil_overview
from elk_web.context import current_actor, services
from elk_web.numbers import whole_number, whole_number_or, whole_numbers
from elk_web.pupils._blueprint import bp
from elk_web.pupils.lines import overview_lines
from elk_web.session import login_required


def overview_request() -> OverviewRequest:
    """The overview's filters, sort and page from the query string (bad values: defaults)."""
    sorts = {s.value: s for s in OverviewSort}
    return OverviewRequest(
        school_id=whole_number(request.args.get("school")),
        group_ids=whole_numbers(request.args.getlist("groep")),
        search=request.args.get("zoek", ""),
        sort=sorts.get(request.args.get("sorteer", ""), OverviewSort.NAME),
        descending=request.args.get("richting") == "af",
        page=whole_number_or(request.args.get("pagina"), 1),
        page_size=whole_number_or(request.args.get("per_pagina"), 50),
    )


def endpoint_exists(name: str) -> bool:
    """Whether another area (OSO, documents) has built this page yet."""
    return name in current_app.view_functions


@bp.get("/")
@login_required
def index() -> str:
    """R-LL-1/2: the school's pupils with filter, search, sort, paging and bulk actions."""
    overview = pupil_overview(services().reader(), current_actor(), overview_request())
    base = url_for("pupils.index")
    return render_template(
        "pupils/index.html",
        overview=overview,
        lines=overview_lines(base, overview.page.rows),
        base=base,
        link=overview_link(base, overview),
        pdf_links=(_pdf_link("documents.okidoc_pdf"), _pdf_link("documents.registration_pdf")),
        page_sizes=PAGE_SIZES,
        sorts=OverviewSort,
        endpoint_exists=endpoint_exists,
    )


# What werkzeug leaves unquoted when it builds a query string, so links match ``url_for``'s.
_URL_SAFE = "!$'()*,/:;?@"


def overview_link(base: str, overview: PupilOverview) -> Callable[..., str]:
    """Links to other sorts and pages of this overview (same school, groups and search).

    What ``url_for`` would build, without its routing work for every header and page number.
    """
    fixed: list[tuple[str, object]] = [("school", overview.school.id)]
    fixed += [("groep", g) for g in request.args.getlist("groep")]
    if overview.query.search:
        fixed.append(("zoek", overview.query.search))

    def link(**changes: object) -> str:
        items = fixed + [(k, v) for k, v in changes.items() if v is not None]
        return f"{base}?{urlencode(items, safe=_URL_SAFE)}"

    return link


def _pdf_link(endpoint: str) -> tuple[str, str] | None:
    """A PDF link split around the pupil id, so rows need no ``url_for`` each (None: not built)."""
    if not endpoint_exists(endpoint):
        return None
    prefix, suffix = url_for(endpoint, pupil_id=987654321).split("987654321")
    return prefix, suffix
