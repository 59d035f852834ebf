"""Every zeep, requests and lxml failure becomes one domain error with a Dutch reason."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import requests
import zeep.exceptions
from lxml import etree

from elk_domain.errors import Rejected, Unavailable

_TNS = "http://xml.kennisnet.nl/schemas/Overstapservice/20200910"


def _fault_code(fault: zeep.exceptions.Fault) -> str:
    detail = fault.detail
    if detail is None:
        return ""
    found = detail.find(f".//{{{_TNS}}}foutcode")
    return (found.text or "").strip() if found is not None else ""


def _transport(exc: zeep.exceptions.TransportError, what: str) -> Exception:
    if exc.status_code >= 500:
        return Unavailable(f"OSO gaf een serverfout (HTTP {exc.status_code}) bij {what}.")
    if exc.status_code == 200:
        return Rejected(f"OSO stuurde een onleesbaar antwoord (geen geldige XML) bij {what}.")
    return Rejected(f"OSO weigerde {what} (HTTP {exc.status_code}).")


@contextlib.contextmanager
def translated(what: str, timeout: float) -> Iterator[None]:
    """Run one SOAP call; ``what`` is a Dutch noun phrase such as 'het opvragen van het dossier'."""
    try:
        yield
    except (Rejected, Unavailable):
        raise
    except requests.Timeout as exc:
        raise Unavailable(
            f"OSO reageerde niet binnen de ingestelde tijd ({timeout:g} s) bij {what}."
        ) from exc
    except requests.ConnectionError as exc:
        raise Unavailable(f"OSO is niet bereikbaar bij {what}.") from exc
    except requests.RequestException as exc:
        raise Unavailable(f"De verbinding met OSO mislukte bij {what}.") from exc
    except zeep.exceptions.Fault as exc:
        code = _fault_code(exc)
        suffix = f" (code {code})" if code else ""
        raise Rejected(f"OSO weigerde {what}: {exc.message}{suffix}") from exc
    except (zeep.exceptions.DTDForbidden, zeep.exceptions.EntitiesForbidden) as exc:
        raise Rejected(
            f"Het antwoord van OSO bij {what} bevat een DOCTYPE of entity "
            "(mogelijk een aanval) en is geweigerd."
        ) from exc
    except zeep.exceptions.TransportError as exc:
        raise _transport(exc, what) from exc
    except (zeep.exceptions.XMLSyntaxError, etree.XMLSyntaxError) as exc:
        raise Rejected(
            f"OSO stuurde een onleesbaar antwoord (geen geldige XML) bij {what}."
        ) from exc
    except zeep.exceptions.Error as exc:
        raise Rejected(
            f"Het antwoord van OSO bij {what} past niet bij het contract: {exc}"
        ) from exc
