"""The language of a page: parents pick Dutch or English, everything else stays Dutch.

Flask-Babel supplies ``gettext`` to views and ``_``/``{% trans %}`` to templates; the catalogue
lives in ``elk_web/translations`` (Dutch is the msgid, so a Dutch page needs no catalogue). Only
the parents' portal is translated (issue 14): staff, VO and beheer pages are Dutch whatever the
browser or the cookie asks. The parent's choice is kept in a cookie so that it survives logging
out and the next visit from the mail's link. The domain's texts for parents are ``Message``
values (Dutch, with their template and params): ``translated`` says them in the page's language.
See docs/decisions/0048-parents-in-english.md and docs/translations.md.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask, current_app, request
from flask_babel import Babel, get_translations
from werkzeug.wrappers import Response

from elk_domain.errors import Message

DEFAULT = "nl"
LANGUAGES = ("nl", "en")
COOKIE = "elk_taal"
COOKIE_LIFETIME = dt.timedelta(days=400)  # the longest a browser keeps a cookie (RFC 6265bis)
TRANSLATED_BLUEPRINTS = frozenset({"parents"})


def selected_language() -> str:
    """The language of this request: the parent's remembered choice on parents' pages."""
    if request.blueprint not in TRANSLATED_BLUEPRINTS:
        return DEFAULT
    chosen = request.cookies.get(COOKIE, "")
    return chosen if chosen in LANGUAGES else DEFAULT


def translated(text: str) -> str:
    """A Dutch text in the page's language: a ``Message`` by its template, filled in afterwards
    (so a school's name is never looked up); any other text as it is, when the catalogue has it.
    """
    if not text:
        return text
    if isinstance(text, Message):
        return str(get_translations().ugettext(text.template)).format(**text.params)
    return str(get_translations().ugettext(text))


def remember_language(response: Response, language: str) -> None:
    """Keep the parent's choice in the browser, as safely as the session cookie is kept."""
    if language not in LANGUAGES:
        return
    response.set_cookie(
        COOKIE,
        language,
        max_age=int(COOKIE_LIFETIME.total_seconds()),
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )


def init_language(app: Flask) -> None:
    """Install Flask-Babel with ELK's language choice; ``translated`` as a template filter."""
    Babel(app, locale_selector=selected_language, default_translation_directories="translations")
    app.add_template_filter(translated, "translated")
    app.add_template_global(selected_language, "page_language")
