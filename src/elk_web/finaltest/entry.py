"""Invoeren doorstroomtoets (R-DT-3): test, date, outcome and advice for a page of pupils.

One form for the page, saved in one transaction (``finaltest.entry.enter_final_tests``). A
refused page is shown again with every typed value and each row's errors (422).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import flash, redirect, render_template, request
from werkzeug.wrappers import Response

from elk_domain.access.authorize import Target
from elk_domain.finaltest.entry import (
    SHEET_PATHS,
    RowResult,
    SheetRow,
    enter_final_tests,
    final_test_sheet,
    needs_motivation,
)
from elk_domain.kernel.permissions import Action
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.page import advice_choices
from elk_domain.organisation.procedure import uses_lwoo_pro
from elk_domain.overview.page import PAGE_SIZES
from elk_web.context import current_actor, services
from elk_web.finaltest._blueprint import bp
from elk_web.numbers import whole_number_or
from elk_web.permission import authorize
from elk_web.pupils.overview import overview_request
from elk_web.session import login_required

#: Form names: ``leerling`` lists the rows' pupil ids; per row ``v-<id>`` (the version the
#: page showed) and ``r-<id>-<key>`` per column.
KEYS = ("toets", "datum", "uitslag", "advies", "motivatie", "ouders")
PATH_OF = dict(zip(KEYS, SHEET_PATHS, strict=True))
MAX_ROWS = 200  # the largest page of the overview


def _render(
    *,
    status: int = 200,
    typed: Mapping[int, Mapping[str, str]] | None = None,
    results: Mapping[int, RowResult] | None = None,
    message: str = "",
) -> tuple[str, int]:
    sheet = final_test_sheet(services().reader(), current_actor(), overview_request())
    return render_template(
        "finaltest/index.html",
        sheet=sheet,
        overview=sheet.overview,
        page_sizes=PAGE_SIZES,
        advice_choices=advice_choices(),
        needs_motivation=needs_motivation,
        keys=KEYS,
        path_of=PATH_OF,
        labels={key: f.spec_for(path).label for key, path in PATH_OF.items()},
        typed=typed or {},
        results=results or {},
        message=message,
    ), status


@bp.get("/")
@login_required
def index() -> tuple[str, int]:
    """The page: filter by group, search by name, every row editable in one form."""
    return _render()


def _rows() -> list[SheetRow]:
    """The rows the form posted (at most a page), each with its version and values."""
    ids = dict.fromkeys(
        whole_number_or(raw, -1) for raw in request.form.getlist("leerling")[:MAX_ROWS]
    )
    return [
        SheetRow(
            pupil_id=pupil_id,
            expected_version=whole_number_or(request.form.get(f"v-{pupil_id}", ""), -1),
            values={PATH_OF[k]: request.form.get(f"r-{pupil_id}-{k}", "") for k in KEYS},
        )
        for pupil_id in ids
    ]


@bp.post("/")
@login_required
def save_all() -> Response | tuple[str, int]:
    """Save every row of the page together; on any error nothing is saved."""
    rows = _rows()  # the pupils the form names are its target (decision 0036)
    ids = [row.pupil_id for row in rows]
    authorize(Action.EDIT_OKIDOC, Target.pupils(ids) if ids else Target.own())
    s = services()
    result = enter_final_tests(
        s.uow(), s.clock, current_actor(), rows, uses_lwoo_pro=uses_lwoo_pro(s.settings.procedure)
    )
    if not result.saved:
        wrong = sum(1 for row in result.rows if row.errors)
        return _render(
            status=422,
            typed={row.pupil_id: row.values for row in rows},
            results={row.pupil_id: row for row in result.rows},
            message=f"Er is niets opgeslagen: {wrong} "
            f"rij{'' if wrong == 1 else 'en'} bevat{'' if wrong == 1 else 'ten'} een fout. "
            "Uw invoer staat er nog; verbeter de rijen met een foutmelding en sla opnieuw op.",
        )
    findings = sum(1 for row in result.rows if row.findings)
    flash(f"Opgeslagen: {result.changed} leerling(en) gewijzigd.", "success")
    if findings:
        flash(
            f"Bij {findings} leerling(en) is de uitslag hoger dan het advies: stel het advies "
            "bij, of vul de motivatie en de datum waarop de ouders zijn betrokken in.",
            "warning",
        )
    return redirect(request.full_path if request.query_string else request.path)
