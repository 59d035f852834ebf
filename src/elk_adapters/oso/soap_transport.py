"""How ``ZeepOsoGateway`` reaches OSO: ELK's WSDL loaded once, zeep's settings, and an HTTP
transport that refuses oversized answers and keeps OSO traffic off proxies.

Nothing here knows an OSO operation; the calls and their reply fields are ``gateway``'s.
"""

from __future__ import annotations

import functools
import importlib.resources
import threading
from typing import Any

import requests
import zeep
import zeep.wsdl
from requests.structures import CaseInsensitiveDict
from zeep.transports import Transport

from elk_adapters.oso.dossiers.xmlsafe import MAX_XML_BYTES
from elk_adapters.oso.response_body import ACCEPT_ENCODING, read_capped

#: A 20 MB dossier is ~27 MB as base64, plus the envelope.
MAX_RESPONSE_BYTES = MAX_XML_BYTES * 4 // 3 + 1024 * 1024


class _CappedTransport(Transport):
    """zeep's transport that refuses responses above a size limit (unpacked size, checked
    while the body streams in).

    A SOAP call goes straight to the session's HTTP adapter (its pooled keep-alive
    connection, the session's ``cert`` and ``verify``; no proxies): ``Session.post`` spent
    about 1 ms of CPU per call on merging cookies, hooks, auth and redirect handling that a SOAP
    POST does not use. A redirect is therefore not followed but refused like any other
    non-SOAP answer. Loading the WSDL still goes through the session.
    """

    def __init__(self, *, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]
        self.max_bytes = max_bytes

    def post(self, address: str, message: bytes, headers: dict[str, str]) -> requests.Response:
        session: requests.Session = self.session
        request = requests.PreparedRequest()
        request.method, request.url, request.body = "POST", address, message
        request.headers = CaseInsensitiveDict(
            {
                **session.headers,
                **headers,
                "Accept-Encoding": ACCEPT_ENCODING,
                "Content-Length": str(len(message)),
            }
        )
        response: requests.Response = session.get_adapter(address).send(
            request,
            timeout=self.operation_timeout,
            verify=session.verify,
            cert=session.cert,
            proxies={},
            stream=True,
        )
        # Read in 64 KB pieces and unpacked step by step, stopped at the cap: never the whole
        # gzip body unpacked first (``response_body``).
        response._content = read_capped(response, self.max_bytes)
        response._content_consumed = True
        return response


#: zeep's settings for the WSDL and every call: strict, no DTD, entities or external references.
SETTINGS = zeep.Settings(
    strict=True,
    forbid_dtd=True,
    forbid_entities=True,
    forbid_external=True,
    # A base64 dossier exceeds libxml2's 10 MB text limit; the response size is capped instead.
    xml_huge_tree=True,
)


_WSDL_LOCK = threading.Lock()


@functools.cache
def _parsed_wsdl() -> Any:
    wsdl = importlib.resources.files("elk_adapters.oso").joinpath("transport.wsdl")
    with importlib.resources.as_file(wsdl) as path:
        loader = Transport()  # type: ignore[no-untyped-call]
        return zeep.wsdl.Document(str(path), loader, settings=SETTINGS)  # type: ignore[arg-type]


def shared_wsdl() -> Any:
    """ELK's WSDL parsed once per process and shared by every gateway (25 ms each before).

    zeep's parsed WSDL and types are read-only after loading and safe to share between
    threads (its maintainer in python-zeep#612); what is not, the HTTP session, stays per
    gateway. The transport given here only loads the local WSDL file. (The dossier XSD is
    compiled per thread, one thread at a time: ``dossier_parser.schema``.)
    """
    with _WSDL_LOCK:  # one parse, also when the first gateways start in several threads
        return _parsed_wsdl()


def capped_transport(
    operation_timeout: float, client_cert: tuple[str, str] | str | None, ca: str | None
) -> _CappedTransport:
    """A size-capped zeep transport on a session with the mutual-TLS settings."""
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: OSO traffic goes direct
    if client_cert is not None:
        session.cert = client_cert
    if ca is not None:
        session.verify = ca
    return _CappedTransport(
        max_bytes=MAX_RESPONSE_BYTES, session=session, operation_timeout=operation_timeout
    )
