"""The pupil overview (R-LL-1/2): filter, search, sort, page, bulk actions, row menu."""

from __future__ import annotations

from flask import current_app, render_template, request

from elk_domain.model.overview import OverviewSort
from elk_domain.services.overview import PAGE_SIZES, OverviewRequest, pupil_overview
from elk_web.context import current_actor, services
from elk_web.pupils._blueprint import bp
from elk_web.session import login_required


def _int(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() else default


def overview_request() -> OverviewRequest:
    """The overview's filters, sort and page from the query string (bad values: defaults)."""
    sorts = {s.value: s for s in OverviewSort}
    school = request.args.get("school", "")
    return OverviewRequest(
        school_id=int(school) if school.isdigit() else None,
        group_ids=frozenset(int(g) for g in request.args.getlist("groep") if g.isdigit()),
        search=request.args.get("zoek", ""),
        sort=sorts.get(request.args.get("sorteer", ""), OverviewSort.NAME),
        descending=request.args.get("richting") == "af",
        page=_int("pagina", 1),
        page_size=_int("per_pagina", 50),
    )


def endpoint_exists(name: str) -> bool:
    """Whether another area (OSO, documents) has built this page yet."""
    return name in current_app.view_functions


@bp.get("/")
@login_required
def index() -> str:
    """R-LL-1/2: the school's pupils with filter, search, sort, paging and bulk actions."""
    overview = pupil_overview(services().uow(), current_actor(), overview_request())
    return render_template(
        "pupils/index.html",
        overview=overview,
        page_sizes=PAGE_SIZES,
        sorts=OverviewSort,
        endpoint_exists=endpoint_exists,
    )
