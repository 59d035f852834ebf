"""Error pages: each error kind and HTTP status mapped once to a Dutch page with the request id.

On a parents' page the error page is the portal's, in the parent's language (decision 0048): the
texts are ``Message`` values that the template says with the ``translated`` filter.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from elk_adapters.logging import get_logger
from elk_domain.errors import ElkError, ErrorKind, Message, Violation

bp = Blueprint("errors", __name__)
log = get_logger("elk.web.errors")

STATUS_BY_KIND = {
    ErrorKind.REJECTED: 422,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.CONFLICT: 409,
    ErrorKind.UNAVAILABLE: 503,
}

_PAGES: dict[int, tuple[Message, Message]] = {
    400: (Message("Ongeldig verzoek"), Message("Het verzoek kon niet worden verwerkt.")),
    403: (Message("Geen toegang"), Message("U heeft geen toestemming voor deze pagina.")),
    404: (
        Message("Niet gevonden"),
        Message("De pagina of de gegevens die u zoekt bestaan niet (meer)."),
    ),
    405: (
        Message("Niet toegestaan"),
        Message("Deze actie kan niet op deze manier worden uitgevoerd."),
    ),
    409: (
        Message("Wijziging niet mogelijk"),
        Message(
            "Iemand anders heeft deze gegevens intussen gewijzigd, of de status staat dit niet toe."
        ),
    ),
    413: (Message("Bestand te groot"), Message("Het bestand is te groot om te uploaden.")),
    422: (Message("Controleer de invoer"), Message("De invoer voldoet niet aan de regels.")),
    429: (
        Message("Te veel pogingen"),
        Message("U heeft het te vaak geprobeerd. Wacht even en probeer het opnieuw."),
    ),
    500: (
        Message("Er ging iets mis"),
        Message(
            "Er is een onverwachte fout opgetreden. Probeer het later opnieuw. Blijft het misgaan, "
            "geef dan het foutnummer hieronder door aan de helpdesk."
        ),
    ),
    503: (
        Message("Tijdelijk niet beschikbaar"),
        Message("Een onderdeel van ELK is tijdelijk niet bereikbaar. Probeer het later opnieuw."),
    ),
}
_CSRF_MESSAGE = Message(
    "Het formulier is verlopen of ongeldig. Laad de pagina opnieuw en probeer het nog eens."
)


def error_page(
    status: int, message: str | None = None, violations: Iterable[Violation] = ()
) -> tuple[str, int]:
    """Render the Dutch error page for ``status``; ``message`` replaces the default text."""
    title, default = _PAGES.get(status, _PAGES[500] if status >= 500 else _PAGES[400])
    html = render_template(
        "errors/error.html",
        status=status,
        title=title,
        message=message or default,
        violations=list(violations),
    )
    return html, status


@bp.app_errorhandler(ElkError)
def domain_error(error: ElkError) -> tuple[str, int]:
    """A refusal from a use case: its kind decides the status, its message is shown."""
    if error.kind is ErrorKind.UNAVAILABLE:
        log.warning("unavailable", error=error.message)
    return error_page(STATUS_BY_KIND[error.kind], error.message, error.violations)


@bp.app_errorhandler(CSRFError)
def csrf_error(_error: CSRFError) -> tuple[str, int]:
    """A form without a valid CSRF token (expired page, or a forged request)."""
    return error_page(400, _CSRF_MESSAGE)


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    """Werkzeug's errors (404 for unknown URLs, 405, 500 for crashes, ...) as Dutch pages."""
    status = error.code or 500
    html, status = error_page(status)
    response = Response(html, status=status, mimetype="text/html")
    valid = getattr(error, "valid_methods", None)
    if valid:
        response.headers["Allow"] = ", ".join(valid)
    return response
