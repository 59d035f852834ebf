"""The home page: news from the functional administrator."""

from __future__ import annotations

import attrs
from flask import Blueprint, current_app, render_template, url_for

from elk_domain.organisation.news import latest_news
from elk_domain.overview.home import notification_count
from elk_domain.parents.correction import correction_notices
from elk_web.context import current_actor, services
from elk_web.session import login_required

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home() -> str:
    """Everyone's start page after logging in: parents' correction requests for the school
    (R-OUD-3), and the latest news, newest first."""
    news = latest_news(services().reader())
    corrections = correction_notices(services().reader(), current_actor())
    return render_template(
        "main/home.html", news=news, notifications=_notifications(), corrections=corrections
    )


@attrs.frozen
class NotificationIndicator:
    """The header's OSO notifications symbol (R-OSO-7): how many, and where to read them."""

    count: int
    url: str | None


def _notifications() -> NotificationIndicator | None:
    """The indicator when the actor's school has notifications; None hides it."""
    count = notification_count(services().reader(), current_actor())
    if not count:
        return None
    built = current_app.view_functions
    endpoint = next((e for e in ("oso.notifications", "oso.index") if e in built), None)
    return NotificationIndicator(count, url_for(endpoint) if endpoint else None)
