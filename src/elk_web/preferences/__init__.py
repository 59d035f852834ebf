"""Voorkeursinstellingen: a school administrator sets the school's defaults for the LAT, CAP
and SEM on the Ind. LWOO/PrO tab (R-AUTH-3; Amsterdam route only)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from elk_domain.access.authorize import Target
from elk_domain.errors import Rejected
from elk_domain.kernel.permissions import Action
from elk_domain.okidoc.preferences import SetPreferences, get_preferences, set_preferences
from elk_domain.okidoc.school_preferences import PREFERENCE_PATHS
from elk_domain.organisation.procedure import uses_lwoo_pro
from elk_web.context import chosen_or_own_school_id, current_actor, services
from elk_web.numbers import whole_number_or
from elk_web.permission import authorize
from elk_web.session import login_required
from elk_web.views import Page

bp = Blueprint("preferences", __name__, url_prefix="/beheer/voorkeursinstellingen")

MAX_TEXT = 300  # longer input is cut off before it reaches the use case (which allows 200)


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> Page:
    """The school's defaults for the Ind. LWOO/PrO tab, with the form to change them."""
    s, actor = services(), current_actor()
    school_id = chosen_or_own_school_id()
    error, submitted = None, None
    if request.method == "POST":
        authorize(Action.SET_PREFERENCES, Target.school(school_id))
        version = request.form.get("versie", "")
        submitted = {path: request.form.get(path, "")[:MAX_TEXT] for path in PREFERENCE_PATHS}
        command = SetPreferences(
            school_id=school_id,
            expected_version=whole_number_or(version, -1),
            values=submitted,
        )
        try:
            set_preferences(s.uow(), s.clock, actor, command)
        except Rejected as refused:
            error = refused
        else:
            flash("De voorkeursinstellingen zijn opgeslagen.", "success")
            return redirect(url_for("preferences.index", school=school_id))
    form = get_preferences(s.uow(), actor, school_id)
    html = render_template(
        "preferences/index.html",
        form=form,
        values=submitted if submitted is not None else form.preferences.defaults(),
        errors={v.path: v.message for v in error.violations} if error else {},
        error=error,
        tab_in_use=uses_lwoo_pro(s.settings.procedure),
    )
    return (html, 422) if error else html
