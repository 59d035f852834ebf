"""The pupils overview's bulk actions: OKI-docs synchroniseren, with overwrite, final test only.

The overview posts ``pupil_ids`` (repeated) and ``mode`` (``fill``, ``overwrite``,
``final_test``); with ``alle=1`` every pupil matching the overview's filter (``school``,
``groep``, ``zoek``) is meant instead of the ticked ones. Overwriting first shows a preview of
every change; its confirm button posts again with ``bevestigd=1`` and only then are the
changes saved (R-OSO-4/6).
"""

from __future__ import annotations

from flask import render_template, request

from elk_domain.access.authorize import Target
from elk_domain.errors import Rejected
from elk_domain.kernel.permissions import Action
from elk_domain.oso.dossiers.merge import MergeMode
from elk_domain.oso.pages import sync_selected
from elk_domain.overview.page import OverviewRequest, matching_pupil_ids
from elk_web.context import current_actor, services
from elk_web.numbers import whole_number, whole_numbers
from elk_web.oso._blueprint import bp
from elk_web.permission import authorize
from elk_web.session import login_required
from elk_web.views import Page

MODES = {
    "fill": MergeMode.FILL,
    "overwrite": MergeMode.OVERWRITE,
    "final_test": MergeMode.FINAL_TEST_ONLY,
}
TITLES = {
    MergeMode.FILL: "OKI-docs synchroniseren",
    MergeMode.OVERWRITE: "OKI-docs synchroniseren met overschrijven",
    MergeMode.FINAL_TEST_ONLY: "Doorstroomtoets / definitief advies synchroniseren",
}
MAX_PUPILS = 2000


def _target() -> Target:
    """The ticked pupils, or (``alle=1``) the school whose pupils the filter means."""
    if request.form.get("alle") == "1":
        return Target.school_or_own(whole_number(request.form.get("school")))
    ticked = whole_numbers(request.form.getlist("pupil_ids")[: MAX_PUPILS + 1])
    return Target.pupils(sorted(ticked)) if ticked else Target.own()


def _pupil_ids() -> list[int]:
    if request.form.get("alle") == "1":
        return _matching_filter()
    values = request.form.getlist("pupil_ids")[: MAX_PUPILS + 1]
    if len(values) > MAX_PUPILS:
        raise Rejected(f"Kies hoogstens {MAX_PUPILS} leerlingen tegelijk.")
    return sorted(whole_numbers(values))


def _matching_filter() -> list[int]:
    wanted = OverviewRequest(
        school_id=whole_number(request.form.get("school")),
        group_ids=whole_numbers(request.form.getlist("groep")),
        search=request.form.get("zoek", ""),
    )
    s, actor = services(), current_actor()
    ids = matching_pupil_ids(s.uow(), actor, wanted, limit=MAX_PUPILS + 1)
    if len(ids) > MAX_PUPILS:
        raise Rejected(f"Kies hoogstens {MAX_PUPILS} leerlingen tegelijk.")
    return ids


@bp.route("/synchroniseren", methods=["POST"])
@login_required
def bulk_sync() -> Page:
    """Sync the selected pupils; overwriting is previewed first and needs a confirmation."""
    authorize(Action.SYNC_OSO, _target())
    s, actor = services(), current_actor()
    mode, pupil_ids = MODES.get(request.form.get("mode", "")), _pupil_ids()
    preview = mode is MergeMode.OVERWRITE and request.form.get("bevestigd") != "1"
    named = sync_selected(
        s.oso_ports,
        actor,
        pupil_ids,
        mode,
        preview=preview,
        trust_inferred_advice=s.settings.oso_trust_inferred_advice,
    )
    template = "oso/sync_preview.html" if preview else "oso/sync_result.html"
    return render_template(
        template,
        named=named,
        title=TITLES[named.report.mode],
        mode=request.form.get("mode", ""),
        school=request.form.get("school", ""),
    )
