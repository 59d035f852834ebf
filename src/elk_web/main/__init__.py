"""The home page: news from the functional administrator."""

from __future__ import annotations

from flask import Blueprint, render_template

from elk_domain.services.news import latest_news
from elk_web.context import services
from elk_web.session import login_required

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home() -> str:
    """Everyone's start page after logging in: the latest news, newest first."""
    news = latest_news(services().uow())
    return render_template("main/home.html", news=news)
