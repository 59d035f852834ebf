"""The language of a page: parents pick Dutch or English, everything else stays Dutch.

Flask-Babel supplies ``gettext`` to views and ``_``/``{% trans %}`` to templates; the catalogue
lives in ``elk_web/translations``. Only the parents' portal is translated (issue 14): staff, VO
and beheer pages are Dutch whatever the browser asks. The parent's choice is kept in a cookie so
that it survives logging out and the next visit from the mail's link.
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import Babel

DEFAULT = "nl"
LANGUAGES = ("nl", "en")
COOKIE = "elk_taal"
TRANSLATED_BLUEPRINTS = frozenset({"parents"})


def selected_language() -> str:
    """The language of this request: the parent's remembered choice on parents' pages."""
    if request.blueprint not in TRANSLATED_BLUEPRINTS:
        return DEFAULT
    chosen = request.cookies.get(COOKIE, "")
    return chosen if chosen in LANGUAGES else DEFAULT


def init_language(app: Flask) -> None:
    """Install Flask-Babel with ELK's language choice."""
    Babel(app, locale_selector=selected_language, default_translation_directories="translations")
