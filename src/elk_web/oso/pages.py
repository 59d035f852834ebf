"""The OSO pages: overview, Configureren, Aanvragen overdracht and Notificaties (R-OSO-1/2/3/7)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from elk_domain.access.authorize import Target
from elk_domain.errors import ElkError, Rejected, Unavailable
from elk_domain.kernel.permissions import Action
from elk_domain.oso.config import (
    delivery_points_for,
    ping_delivery_point,
    register_delivery_point,
    store_notifications,
)
from elk_domain.oso.pages import notifications_page, oso_school, transfer
from elk_web.context import current_actor, services
from elk_web.numbers import whole_number
from elk_web.oso._blueprint import bp
from elk_web.permission import authorize
from elk_web.session import login_required
from elk_web.views import Page

MAX_KEY = 200  # longer input is cut off before it reaches the use case


def school_param() -> int | None:
    """The school chosen with ``?school=`` (board contacts and administrators), if any."""
    return whole_number(request.values.get("school"))


@bp.route("/")
@login_required
def index() -> Page:
    """OSO: the school's delivery point at a glance and the ways in."""
    chosen = oso_school(services().reader(), current_actor(), school_param())
    return render_template("oso/index.html", chosen=chosen)


def _configure_page(error: ElkError | None = None, failed_school: int | None = None) -> Page:
    s, actor = services(), current_actor()
    if actor.school_id is not None:
        rows = delivery_points_for(s.uow(), actor, school_id=actor.school_id)
    else:
        rows = delivery_points_for(s.uow(), actor, board_id=actor.board_id)
    html = render_template(
        "oso/configure.html", rows=rows, error=error, failed_school=failed_school
    )
    return (html, 422) if error else html


@bp.route("/configureren")
@login_required
def configure() -> Page:
    """OSO → Configureren: the delivery point of every school location within reach."""
    return _configure_page()


@bp.route("/configureren/<int:school_id>/registreren", methods=["POST"])
@login_required
def register(school_id: int) -> Page:
    """Registreer: number and key from Mijn OSO; failure says what to check (R-OSO-1)."""
    authorize(Action.CONFIGURE_OSO, Target.school(school_id))
    s = services()
    number = request.form.get("nummer", "")[:MAX_KEY]
    key = request.form.get("sleutel", "")[:MAX_KEY]
    try:
        point = register_delivery_point(
            s.uow(), s.oso, s.clock, current_actor(), school_id, number, key
        )
    except Rejected as refused:
        return _configure_page(refused, school_id)
    flash(f"Het aanleverpunt van {point.location} is geregistreerd.", "success")
    return redirect(url_for("oso.configure"))


@bp.route("/configureren/<int:school_id>/ping", methods=["POST"])
@login_required
def ping(school_id: int) -> Page:
    """Ping: check the connection and show what the Traffic Center says (R-OSO-2)."""
    authorize(Action.CONFIGURE_OSO, Target.school(school_id))
    s = services()
    try:
        point = ping_delivery_point(s.uow(), s.oso, s.clock, current_actor(), school_id)
    except Rejected as refused:
        return _configure_page(refused, school_id)
    if point.last_error:
        flash(f"Ping mislukt voor {point.location}: {point.last_error}", "error")
    elif not point.may_request:
        flash(
            f"Verbinding met OSO in orde, maar {point.location} mag geen overdracht aanvragen.",
            "warning",
        )
    else:
        flash(f"Verbinding met OSO in orde voor {point.location}.", "success")
    return redirect(url_for("oso.configure"))


@bp.route("/aanvragen", methods=["GET", "POST"])
@login_required
def request_transfer() -> Page:
    """Aanvragen overdracht: paste BSNs, see per BSN what happened (R-OSO-3)."""
    s, actor = services(), current_actor()
    if request.method == "POST":
        school_id = school_param()
        authorize(Action.SYNC_OSO, Target.school_or_own(school_id))
        text = request.form.get("bsns", "")
        overwrite = request.form.get("overschrijven") == "1"
        try:
            if school_id is None:
                raise Rejected("Kies eerst een school.")
            named = transfer(
                s.oso_ports,
                actor,
                school_id,
                text,
                overwrite=overwrite,
                trust_inferred_advice=s.settings.oso_trust_inferred_advice,
            )
        except Rejected as refused:
            chosen = oso_school(s.uow(), actor, school_id)
            html = render_template("oso/request.html", chosen=chosen, error=refused, text=text)
            return html, 422
        chosen = oso_school(s.uow(), actor, school_id)
        return render_template("oso/request_result.html", named=named, chosen=chosen)
    chosen = oso_school(s.uow(), actor, school_param())
    return render_template("oso/request.html", chosen=chosen, error=None, text="")


@bp.route("/notificaties", methods=["GET", "POST"])
@login_required
def notifications() -> Page:
    """OSO notificaties: fetch new messages from OSO and list them (R-OSO-7)."""
    s, actor = services(), current_actor()
    if request.method == "POST":
        authorize(Action.SYNC_OSO, Target.school_or_own(school_param()))
        school_id = oso_school(s.uow(), actor, school_param()).school.id  # default: the own
        try:
            fresh = store_notifications(s.uow(), s.oso, s.clock, actor, school_id)
        except (Rejected, Unavailable) as failure:
            flash(f"Ophalen mislukt: {failure.message}", "error")
        else:
            flash(
                f"{fresh} nieuwe melding(en) opgehaald." if fresh else "Geen nieuwe meldingen.",
                "success",
            )
        return redirect(url_for("oso.notifications", school=school_id))
    page = notifications_page(s.uow(), actor, school_param())
    return render_template("oso/notifications.html", page=page, chosen=page.school)
