"""The simulator's world: delivery points, pupils' dossiers, sessions, notifications, faults.

Thread-safe (the HTTP server is threaded); tests and the demo drive it through the methods
below, in-process or via the ``/control`` JSON endpoints.
"""

from __future__ import annotations

import datetime as dt
import enum
import random
import threading
import uuid

import attrs

from elk_adapters.oso.simulator.dossier_data import DossierData, Transfer
from elk_adapters.oso.simulator.generator import build_dossier_xml
from elk_adapters.oso.simulator.samples import (
    REALISTIC,
    DossierProfile,
    random_bsn,
    random_dossier,
    with_final_test,
)
from elk_adapters.oso.simulator.soap import document_answer
from elk_domain.kernel.values import SchoolLocation


class FaultKind(enum.Enum):
    """Faults the simulator injects on request, per BSN or for every call."""

    LATENCY = "latency"  # answer correctly after ``seconds``
    TIMEOUT = "timeout"  # sleep ``seconds`` (beyond the client's timeout), then answer
    HTTP_500 = "http500"
    SOAP_FAULT = "soap_fault"
    MALFORMED = "malformed"  # a broken SOAP envelope
    OVERSIZED = "oversized"  # a dossier far above the size limit
    DOCTYPE = "doctype"  # a SOAP envelope with a DOCTYPE entity bomb
    DOSSIER_DOCTYPE = "dossier_doctype"  # the dossier itself carries a DOCTYPE
    INVALID = "invalid"  # a dossier that breaks the XSD
    BREAKS_RULES = "breaks_rules"  # passes the XSD, breaks the official business rules
    WRONG_VERSION = "wrong_version"  # a dossier of gegevensset 2020.1
    WRONG_BRIN = "wrong_brin"  # a dossier sent by another school
    GZIP_BOMB = "gzip_bomb"  # a ~0.5 MB gzip answer that unpacks to 512 MiB


@attrs.frozen
class Fault:
    """One injected fault."""

    kind: FaultKind
    seconds: float = 0.0


@attrs.define
class DeliveryPoint:
    """A school location's aanleverpunt: the number and key a contact copies from Mijn OSO."""

    location: SchoolLocation
    number: str
    key: str
    registered: bool = False
    may_request: bool = False

    @property
    def routing_key(self) -> str:
        """OSO'21 routeringskenmerk shape: 00000007000 + BRIN + 5 digits (vestiging padded)."""
        return f"00000007000{self.location.brin}{self.location.vestiging.zfill(5)}"


@attrs.frozen
class Notice:
    """A notification held for a location."""

    key: str
    kind: str
    at: dt.datetime
    text: str
    bsn: str = ""


ALL = "*"


@attrs.frozen
class _Export:
    """A dossier version as the LAS has it ready: the XML and the SOAP answer carrying it."""

    data: DossierData
    xml: bytes
    answer: bytes


class SimulatorState:
    """Everything the simulated Traffic Center and LASs know."""

    def __init__(
        self,
        *,
        seed: int = 0,
        today: dt.date | None = None,
        profile: DossierProfile = REALISTIC,
    ) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        self.today = today or dt.date(2026, 1, 15)
        self.profile = profile  # what generated dossiers carry (``samples.SMALL``: a few KB)
        self.lock = threading.RLock()
        self.points: dict[SchoolLocation, DeliveryPoint] = {}
        self.dossiers: dict[tuple[SchoolLocation, str], DossierData] = {}
        self.ready: set[tuple[SchoolLocation, str]] = set()
        self.sessions: dict[str, tuple[SchoolLocation, str, bool]] = {}  # id → (loc, bsn, open)
        self.notices: dict[SchoolLocation, list[Notice]] = {}
        self.faults: dict[str, Fault] = {}
        # The export last built per dossier, reused while the dossier object is the same one.
        self._exports: dict[tuple[SchoolLocation, str], _Export] = {}

    def add_school(self, location: SchoolLocation, number: str, key: str) -> DeliveryPoint:
        """Create the delivery point a school sees in Mijn OSO (not yet registered in ELK)."""
        with self.lock:
            point = DeliveryPoint(location, number, key)
            self.points[location] = point
            return point

    def add_pupil(
        self,
        location: SchoolLocation,
        bsn: str | None = None,
        *,
        ready: bool = True,
        transfer: Transfer = Transfer.BINNEN_BRIN,
        withheld: frozenset[str] = frozenset(),
    ) -> str:
        """Give the school's LAS a pupil with a generated dossier; returns the BSN.

        ``transfer`` is the dossier's OV profile; ``withheld`` the categories its parents
        withheld (``dossier_data.withholdable``), marked OPT-UIT and left out.
        """
        with self.lock:
            data = random_dossier(
                self.rng,
                location,
                self.today,
                bsn=bsn or random_bsn(self.rng),
                profile=self.profile,
                transfer=transfer,
                withheld=withheld,
            )
            self.dossiers[(location, data.bsn)] = data
            if ready:
                self.ready.add((location, data.bsn))
            return data.bsn

    def put_dossier(self, data: DossierData, *, ready: bool = True) -> None:
        """Store a dossier built by the caller (tests with exact content)."""
        with self.lock:
            self.dossiers[(data.location, data.bsn)] = data
            if ready:
                self.ready.add((data.location, data.bsn))

    def new_version(self, location: SchoolLocation, bsn: str, taken_on: dt.date) -> DossierData:
        """The LAS prepares a newer dossier: final test result and the revised advice."""
        with self.lock:
            data = with_final_test(self.dossiers[(location, bsn)], self.rng, taken_on)
            self.dossiers[(location, bsn)] = data
            self.ready.add((location, bsn))
            self._notify(
                location, "dossier_gereed", "Er is een nieuwe versie van het dossier.", bsn
            )
            return data

    def dossier_xml(self, location: SchoolLocation, bsn: str) -> bytes | None:
        """The ready dossier's XML, or None when the LAS has none ready.

        Built once per dossier version, as a LAS prepares the export when the transfer is set
        ready; a realistic dossier takes milliseconds to build.
        """
        export = self._export(location, bsn)
        return None if export is None else export.xml

    def dossier_answer(self, location: SchoolLocation, bsn: str) -> bytes | None:
        """The SOAP ``documentResponse`` carrying the ready dossier, or None when none is ready.

        Built with the XML, once per version: the simulator shares the machine's CPUs with ELK
        in tests and the benchmark, and encoding a 250 KB answer costs about 2 ms.
        """
        export = self._export(location, bsn)
        return None if export is None else export.answer

    def _export(self, location: SchoolLocation, bsn: str) -> _Export | None:
        with self.lock:
            if (location, bsn) not in self.ready:
                return None
            data = self.dossiers[(location, bsn)]
            cached = self._exports.get((location, bsn))
            if cached is None or cached.data is not data:
                xml = build_dossier_xml(data)
                cached = _Export(data, xml, document_answer(xml))
                self._exports[(location, bsn)] = cached
            return cached

    def switch_off(self, location: SchoolLocation, reason: str = "") -> None:
        """R-OSO-2: the Traffic Center switches 'mag overdracht aanvragen' off."""
        with self.lock:
            self.points[location].may_request = False
            text = (
                reason or "Na een foutief dossier mag dit aanleverpunt geen overdracht aanvragen."
            )
            self._notify(location, "aanleverpunt_uitgeschakeld", text)

    def set_fault(self, kind: FaultKind, *, bsn: str = ALL, seconds: float = 0.0) -> None:
        """Inject a fault for one BSN or (``ALL``) for every call."""
        with self.lock:
            self.faults[bsn] = Fault(kind, seconds)

    def clear_faults(self) -> None:
        """Back to normal behaviour."""
        with self.lock:
            self.faults.clear()

    def fault_for(self, bsn: str) -> Fault | None:
        """The fault that applies to a call about ``bsn`` ('' for calls without a pupil)."""
        with self.lock:
            return self.faults.get(bsn) or self.faults.get(ALL)

    def open_session(self, location: SchoolLocation, bsn: str) -> str:
        """A new transfer session; tells the school when the dossier is ready."""
        with self.lock:
            session = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
            self.sessions[session] = (location, bsn, True)
            if (location, bsn) in self.ready:
                self._notify(location, "dossier_gereed", "Het dossier staat klaar.", bsn)
            return session

    def _notify(self, location: SchoolLocation, kind: str, text: str, bsn: str = "") -> None:
        stamp = dt.datetime.combine(self.today, dt.time(9), tzinfo=dt.UTC)
        key = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        self.notices.setdefault(location, []).append(Notice(key, kind, stamp, text, bsn))
