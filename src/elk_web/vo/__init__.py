"""The VO school's pages (R-AUTH-5, R-AAN-4): the pupils registered at the own school.

A view parses the filters from the URL, calls ``elk_domain.vo.registrations`` and renders; the
CSV is the same list, filters included. Judging a priority claim (R-AAN-5) is the parents'
area's ``judge_priority``: it stores the decision and queues the parent's mail.
"""

from __future__ import annotations

import itertools

from flask import Response, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from elk_domain.access.authorize import Target
from elk_domain.errors import Rejected
from elk_domain.kernel.advice import Level
from elk_domain.kernel.permissions import Action
from elk_domain.parents.claims import MAX_REASON, PriorityState
from elk_domain.parents.priority import JudgePriority, judge_priority
from elk_domain.vo.model import RegistrationFilter, claim_text
from elk_domain.vo.region import pupils_without_registration, region_registrations
from elk_domain.vo.registrations import registrations_csv, registrations_list
from elk_domain.vo.tafelmiddag import mark_tafelmiddag
from elk_web.context import current_actor, services
from elk_web.permission import authorize
from elk_web.session import login_required
from elk_web.views import Page
from elk_web.vo._blueprint import bp

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
        max_reason=MAX_REASON,
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


_VERDICTS = {"gehonoreerd": True, "niet_gehonoreerd": False}


@bp.post("/aanmeldingen/<int:pupil_id>/voorrang")
@login_required
def judge(pupil_id: int) -> Page:
    """R-AAN-5: grant or refuse the pupil's priority claim, with a reason (required when
    refused); the parent gets the mail."""
    authorize(Action.JUDGE_PRIORITY, Target.pupil(pupil_id))
    granted = _VERDICTS.get(request.form.get("besluit", ""))
    if granted is None:
        raise Rejected("Kies of de voorrang wordt gehonoreerd of niet.")
    s = services()
    reason = request.form.get("reden", "")
    command = JudgePriority(
        pupil_id=pupil_id, procedure=s.settings.procedure, granted=granted, reason=reason
    )
    judge_priority(s.uow(), s.clock, current_actor(), command)
    flash("De beoordeling van de voorrang is opgeslagen.", "success")
    return redirect(url_for("vo.registrations"))


_ATTENDED = {"ja": True, "nee": False}


@bp.post("/aanmeldingen/<int:pupil_id>/tafelmiddag")
@login_required
def tafelmiddag(pupil_id: int) -> Page:
    """R-LL-1: mark (or clear) that the pupil came to the school's Tafelmiddag VO."""
    authorize(Action.MARK_TAFELMIDDAG_VO, Target.pupil(pupil_id))
    attended = _ATTENDED.get(request.form.get("tafelmiddag", ""))
    if attended is None:
        raise Rejected("Kies of de leerling op de tafelmiddag is geweest.")
    s = services()
    mark_tafelmiddag(s.uow(), s.clock, current_actor(), pupil_id, attended=attended)
    flash("Tafelmiddag VO is opgeslagen.", "success")
    return redirect(url_for("vo.registrations"))


@bp.get("/regio")
@login_required
def region() -> str:
    """Issue 15 item 7: per VO school and level, the first choices against the capacity."""
    schools = region_registrations(services().reader(), current_actor())
    return render_template("vo/region.html", schools=schools)


@bp.get("/regio/zonder-aanmelding")
@login_required
def unregistered() -> str:
    """Issue 15 item 7: the pupils without a definitive registration, per primary school."""
    pupils = pupils_without_registration(services().reader(), current_actor())
    by_school = [
        (name, list(group))
        for (_id, name), group in itertools.groupby(
            pupils, key=lambda p: (p.school_id, p.school_name)
        )
    ]
    return render_template("vo/unregistered.html", by_school=by_school, total=len(pupils))


from elk_web.vo import placement  # noqa: E402  (issue 16: registers /vo/plaatsing on bp)

__all__ = ["bp", "placement"]
