"""Database exceptions translated into the domain's error kinds, with Dutch messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc

from elk_domain.errors import Conflict, ElkError, Rejected, Unavailable

UNAVAILABLE = "De database is op dit moment niet bereikbaar of te druk. Probeer het later opnieuw."
BUSY = "Iemand anders werkte tegelijk aan deze gegevens. Probeer het opnieuw."
DUPLICATE = "Deze gegevens bestaan al."
MISSING_REFERENCE = "De gegevens verwijzen naar iets dat niet (meer) bestaat."
INVALID = "De gegevens passen niet in de database."
STALE = (
    "Iemand anders heeft {what} intussen gewijzigd. Laad de pagina opnieuw en probeer het nog eens."
)

_UNIQUE_STATES = {"23505"}
_FOREIGN_KEY_STATES = {"23503"}
_RETRY_STATES = {"40001", "40P01"}  # serialization failure, deadlock


def _sqlstate(error: exc.DBAPIError) -> str:
    return str(getattr(error.orig, "sqlstate", "") or "")


def _is_unique(error: exc.DBAPIError) -> bool:
    return _sqlstate(error) in _UNIQUE_STATES or "UNIQUE constraint failed" in str(error.orig)


def _is_foreign_key(error: exc.DBAPIError) -> bool:
    state = _sqlstate(error)
    return state in _FOREIGN_KEY_STATES or "FOREIGN KEY constraint failed" in str(error.orig)


def translate(error: exc.DBAPIError, *, duplicate: str = DUPLICATE) -> ElkError:
    """The domain error for a database error; ``duplicate`` is the message for a unique key."""
    if isinstance(error, exc.IntegrityError):
        if _is_unique(error):
            return Rejected(duplicate)
        if _is_foreign_key(error):
            return Rejected(MISSING_REFERENCE)
        return Rejected(INVALID)
    if _sqlstate(error) in _RETRY_STATES:
        return Conflict(BUSY)
    if isinstance(error, exc.DataError):
        return Rejected(INVALID)
    return Unavailable(UNAVAILABLE)


@contextmanager
def database_errors(*, duplicate: str = DUPLICATE) -> Iterator[None]:
    """Raise domain errors for what the database refused; programming errors pass unchanged."""
    try:
        yield
    except exc.DBAPIError as error:
        raise translate(error, duplicate=duplicate) from error
