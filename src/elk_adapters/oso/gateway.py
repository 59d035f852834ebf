"""``ZeepOsoGateway``: the ``OsoGateway`` port over SOAP 1.1 with zeep (see docs/oso.md).

The contract is ELK's model (``transport.wsdl``); replacing it by the real Kennisnet WSDL
should only touch this module (the HTTP transport and the loading of the WSDL are
``soap_transport``'s). Safe, read-only operations are retried with exponential
backoff on ``Unavailable``; registration and session-changing calls are never retried.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import zeep

from elk_adapters.oso import gateway_notices
from elk_adapters.oso.dossiers.parser import parse_dossier
from elk_adapters.oso.gateway_errors import translated
from elk_adapters.oso.soap_transport import SETTINGS, capped_transport, shared_wsdl
from elk_domain.errors import Rejected, Unavailable
from elk_domain.kernel.values import Bsn, SchoolLocation
from elk_domain.oso.delivery_point import DeliveryPointStatus, OsoNotification, TransferTicket
from elk_domain.oso.dossiers.dossier import OsoDossier

if TYPE_CHECKING:
    from elk_domain.oso.ports import OsoGateway

T = TypeVar("T")
_TNS = "http://xml.kennisnet.nl/schemas/Overstapservice/20200910"
_BINDING = f"{{{_TNS}}}OverstapserviceBinding"
_BINNEN_BRIN = "overdrachtbinnenbrin"


class ZeepOsoGateway:
    """OSO over SOAP/HTTP(S); mutual TLS via ``client_cert`` (cert, key) and ``ca``."""

    def __init__(
        self,
        endpoint: str,
        *,
        operation_timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 0.5,
        client_cert: tuple[str, str] | str | None = None,
        ca: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        transport = capped_transport(operation_timeout, client_cert, ca)
        self._client = zeep.Client(shared_wsdl(), transport=transport, settings=SETTINGS)  # type: ignore[no-untyped-call]
        self._tc = self._client.create_service(_BINDING, endpoint)  # type: ignore[no-untyped-call]
        self.timeout, self.retries, self.backoff, self._sleep = (
            operation_timeout,
            retries,
            backoff,
            sleep,
        )

    def _call(self, what: str, call: Callable[[], T], *, safe: bool) -> T:
        """One SOAP call, translated; safe calls retry ``Unavailable`` with backoff."""
        attempts = 1 + (self.retries if safe else 0)
        for attempt in range(attempts):
            try:
                with translated(what, self.timeout):
                    return call()
            except Unavailable:
                if attempt == attempts - 1:
                    raise
                self._sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def register_delivery_point(
        self, location: SchoolLocation, number: str, key: str
    ) -> DeliveryPointStatus:
        """Registreer aanleverpunt with number and key from Mijn OSO (never retried)."""
        try:
            reply = self._call(
                "het registreren van het aanleverpunt",
                lambda: self._tc.registreerAanleverpunt(
                    brin=location.brin,
                    vestiging=location.vestiging,
                    aanleverpuntNummer=number.strip(),
                    aanleverpuntSleutel=key.strip(),
                ),
                safe=False,
            )
        except Rejected as exc:
            raise Rejected(
                f"{exc.message} Controleer het aanleverpuntnummer, de sleutel, de BRIN-code en "
                "de vestiging in Mijn OSO.",
                violations=exc.violations,
            ) from exc
        return gateway_notices.status(location, reply)

    def ping(self, location: SchoolLocation) -> DeliveryPointStatus:
        """Ping the Traffic Center for this location's delivery point."""
        reply = self._call(
            "de verbindingstest (ping)",
            lambda: self._tc.ping(brin=location.brin, vestiging=location.vestiging),
            safe=True,
        )
        return gateway_notices.status(location, reply.aanleverpunt)

    def request_transfer(self, location: SchoolLocation, bsn: Bsn) -> TransferTicket:
        """Open a binnen-BRIN transfer session for one pupil (never retried)."""
        reply = self._open(location, bsn)
        return TransferTicket(
            location=location,
            bsn=bsn,
            session_id=str(reply.sessieId),
            delivery_points=len(reply.aanleverpunt or []),
        )

    def _open(self, location: SchoolLocation, bsn: Bsn) -> Any:
        return self._call(
            "het aanvragen van de overdracht",
            lambda: self._tc.overdracht(
                bronBrin=location.brin,
                bronVestiging=location.vestiging,
                doelBrin=location.brin,
                doelVestiging=location.vestiging,
                zoeksleutel=bsn.value,
                overdrachtsoort=_BINNEN_BRIN,
            ),
            safe=False,
        )

    def fetch_dossier(self, location: SchoolLocation, bsn: Bsn) -> OsoDossier | None:
        """Open a session, ask each delivery point for the dossier, sign off with the result."""
        with self.fetching(location, bsn) as dossier:
            return dossier

    @contextlib.contextmanager
    def fetching(self, location: SchoolLocation, bsn: Bsn) -> Iterator[OsoDossier | None]:
        """``fetch_dossier`` that signs off when the block ends instead of before returning.

        A worker process (``pool_worker``) hands the dossier to ELK inside the block, so the
        merge overlaps the sign-off call; the calls to OSO and their order stay the same.
        """
        reply = self._open(location, bsn)
        result = "GeenDossier"
        try:
            try:
                dossier = self._first_dossier(reply, location, bsn)
            except (Rejected, Unavailable):
                result = "OverdrachtMislukt"
                raise
            if dossier is not None:
                result = "OverdrachtGeslaagd"
            yield dossier
        finally:
            self._sign_off(reply.sessieId, result)

    def _first_dossier(self, reply: Any, location: SchoolLocation, bsn: Bsn) -> OsoDossier | None:
        """Ask each delivery point of the session in turn; the first dossier delivered counts."""
        for point in reply.aanleverpunt or []:
            data = self._document(reply.sessieId, point, location, bsn)
            if data is not None:
                return parse_dossier(data, location=location, bsn=bsn)
        return None

    def _document(
        self, session: str, point: Any, location: SchoolLocation, bsn: Bsn
    ) -> bytes | None:
        """documentRequest at the delivery point's URL (the Traffic Center's when none given)."""
        url = str(point.url or "")
        service = self._tc
        if url:
            service = self._client.create_service(_BINDING, _checked(url))  # type: ignore[no-untyped-call]
        reply = self._call(
            "het opvragen van het dossier",
            lambda: service.document(
                sessieId=session,
                bronBrin=location.brin,
                bronVestiging=location.vestiging,
                zoeksleutel=bsn.value,
                overdrachtsoort=_BINNEN_BRIN,
            ),
            safe=True,
        )
        if reply.resultaat != "DossierGeleverd" or not reply.dossier:
            return None
        data: bytes = reply.dossier
        return data

    def _sign_off(self, session: str, result: str) -> None:
        """Afmelden sessie; a failure here does not undo a fetched dossier."""
        # The Traffic Center expires open sessions; the dossier itself is fine either way.
        with contextlib.suppress(Rejected, Unavailable):
            self._call(
                "het afmelden van de sessie",
                lambda: self._tc.afmelding(sessieId=session, resultaat=result),
                safe=False,
            )

    def notifications(self, location: SchoolLocation) -> Sequence[OsoNotification]:
        """Messages OSO holds for the location."""
        reply = self._call(
            "het ophalen van de OSO-notificaties",
            lambda: self._tc.notificatieOverzicht(brin=location.brin, vestiging=location.vestiging),
            safe=True,
        )
        return gateway_notices.notifications(location, reply or [])


def _checked(url: str) -> str:
    """Only plain http(s) URLs from the Traffic Center are followed."""
    if urlsplit(url).scheme not in {"http", "https"}:
        raise Rejected(f"OSO gaf een ongeldig adres voor het aanleverpunt: {url[:80]}")
    return url


if TYPE_CHECKING:
    _: type[OsoGateway] = ZeepOsoGateway  # mypy proves the adapter satisfies the port
