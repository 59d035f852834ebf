"""Tijdpad and Nieuws: the functional administrator's regional settings (R-AUTH-1)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for

from elk_domain.access.authorize import Target
from elk_domain.errors import Rejected, Violation
from elk_domain.kernel.permissions import Action
from elk_domain.organisation.model import Period, Timeline
from elk_domain.organisation.news import AddNews, add_news, latest_news
from elk_domain.organisation.timeline import get_timeline, set_timeline
from elk_web.context import current_actor, services
from elk_web.permission import authorize
from elk_web.session import login_required
from elk_web.views import Page

bp = Blueprint("region", __name__, url_prefix="/beheer")

PERIODS = (
    ("parent_login", "Periode ouderinlog"),
    ("registration", "Aanmeldperiode"),
    ("registration_week", "Aanmeldweek"),
)


def _date(name: str, problems: list[Violation]) -> dt.date | None:
    text = request.form.get(name, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.append(Violation(name, f"'{text[:20]}' is geen datum (jjjj-mm-dd)."))
        return None


def _posted_timeline() -> Timeline:
    problems: list[Violation] = []
    periods: dict[str, Period | None] = {}
    for name, label in PERIODS:
        start, end = _date(f"{name}_start", problems), _date(f"{name}_end", problems)
        if (start is None) != (end is None):
            problems.append(Violation(name, f"{label}: vul begin- én einddatum in."))
        periods[name] = Period(start, end) if start and end else None
    placement = _date("placement_date", problems)
    deadline = _date("capacity_deadline", problems)
    if problems:
        raise Rejected("Het tijdpad is niet opgeslagen.", violations=problems)
    return Timeline(**periods, placement_date=placement, capacity_deadline=deadline)


@bp.route("/tijdpad", methods=["GET", "POST"])
@login_required
def timeline() -> Page:
    """The periods of the procedure: parent login, registration, registration week, placement."""
    authorize(Action.MANAGE_REGION, Target.region())
    s, actor = services(), current_actor()
    error = None
    if request.method == "POST":
        try:
            set_timeline(s.uow(), s.clock, actor, _posted_timeline())
        except Rejected as refused:
            error = refused
        else:
            flash("Het tijdpad is opgeslagen.", "success")
            return redirect(url_for("region.timeline"))
    html = render_template(
        "region/timeline.html", timeline=get_timeline(s.uow()), periods=PERIODS, error=error
    )
    return (html, 422) if error else html


@bp.route("/nieuws", methods=["GET", "POST"])
@login_required
def news() -> Page:
    """News for everyone's home page."""
    authorize(Action.MANAGE_REGION, Target.region())
    s, actor = services(), current_actor()
    error = None
    if request.method == "POST":
        command = AddNews(request.form.get("titel", "")[:200], request.form.get("tekst", "")[:5000])
        try:
            add_news(s.uow(), s.clock, actor, command)
        except Rejected as refused:
            error = refused
        else:
            flash("Het nieuwsbericht staat op de startpagina.", "success")
            return redirect(url_for("region.news"))
    html = render_template("region/news.html", news=latest_news(s.uow(), limit=20), error=error)
    return (html, 422) if error else html
