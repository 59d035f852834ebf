"""Invoeren doorstroomtoets (R-DT-3): every pupil's result and definitive advice, editable."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from elk_domain.access.authorize import Target
from elk_domain.errors import Conflict, Rejected
from elk_domain.finaltest.entry import enter_final_test, needs_motivation, typed_input
from elk_domain.kernel.permissions import Action
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.edit import EditConflict
from elk_domain.okidoc.page import advice_choices
from elk_domain.overview.page import PAGE_SIZES, pupil_overview
from elk_web.context import current_actor, services
from elk_web.finaltest._blueprint import bp
from elk_web.numbers import whole_number_or
from elk_web.permission import authorize
from elk_web.pupils.overview import overview_request
from elk_web.session import login_required


@bp.get("/")
@login_required
def index() -> str:
    """The list: filter by group, search by name, each row with its own small form."""
    overview = pupil_overview(services().reader(), current_actor(), overview_request())
    return render_template(
        "finaltest/index.html",
        overview=overview,
        page_sizes=PAGE_SIZES,
        advice_choices=advice_choices(),
        needs_motivation=needs_motivation,
        paths=f,
    )


@bp.post("/<int:pupil_id>")
@login_required
def save(pupil_id: int) -> Response:
    """Save one pupil's result and advice, then back to the list (same filters)."""
    authorize(Action.EDIT_OKIDOC, Target.pupil(pupil_id))
    raw = request.form.get("expected_version", "")
    s = services()
    try:
        findings = enter_final_test(
            s.uow(),
            s.clock,
            current_actor(),
            pupil_id,
            whole_number_or(raw, -1),
            request.form,
            procedure=s.settings.procedure,
        )
    except EditConflict as conflict:  # the row is rendered afresh: repeat what was typed
        flash(f"{conflict.message} {typed_input(request.form)}".strip(), "error")
    except (Rejected, Conflict) as error:
        details = " ".join(v.message for v in error.violations)
        flash(f"{error.message} {details}".strip(), "error")
    else:
        for finding in findings:
            flash(finding.message, "warning")
        flash("De doorstroomtoets en het definitief advies zijn opgeslagen.", "success")
    back = request.form.get("terug", "")
    return redirect(
        back if back.startswith("/") and not back.startswith("//") else url_for(".index")
    )
