"""ZeepOsoGateway against the OSO simulator over real HTTP on loopback, one test per fault."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys

import pytest
from tests.fixtures.oso_sim import KEY, LOCATION, NUMBER, oso_simulator

from elk_adapters.oso.gateway import ZeepOsoGateway
from elk_adapters.oso.simulator import gzipped
from elk_adapters.oso.simulator.dossier_data import Transfer
from elk_adapters.oso.simulator.server import SimulatorServer
from elk_adapters.oso.simulator.state import FaultKind, SimulatorState
from elk_adapters.oso.soap_transport import MAX_RESPONSE_BYTES
from elk_domain.errors import Rejected, Unavailable
from elk_domain.kernel.values import Bsn, SchoolLocation
from elk_domain.oso.delivery_point import NotificationKind

__all__ = ["oso_simulator"]  # the fixture is used by name


class _Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> _Sleeps:
    return _Sleeps()


@pytest.fixture
def gateway(oso_simulator: SimulatorServer, sleeps: _Sleeps) -> ZeepOsoGateway:
    gw = ZeepOsoGateway(
        oso_simulator.endpoint, operation_timeout=1.0, retries=2, backoff=0.01, sleep=sleeps
    )
    gw.register_delivery_point(LOCATION, NUMBER, KEY)
    return gw


def _pupil(sim: SimulatorServer) -> Bsn:
    return Bsn.parse(sim.state.add_pupil(LOCATION))


class TestDeliveryPoint:
    def test_registration_turns_on_may_request(self, oso_simulator: SimulatorServer) -> None:
        gw = ZeepOsoGateway(oso_simulator.endpoint, operation_timeout=2)
        status = gw.register_delivery_point(LOCATION, f" {NUMBER} ", KEY)
        assert (status.registered, status.may_request) == (True, True)
        assert status.routing_key.endswith("12AB00000")

    def test_wrong_key_is_rejected_with_a_clear_reason(
        self, oso_simulator: SimulatorServer
    ) -> None:
        gw = ZeepOsoGateway(oso_simulator.endpoint, operation_timeout=2)
        with pytest.raises(Rejected, match=r"sleutel klopt niet.*OngeldigeSleutel.*Controleer"):
            gw.register_delivery_point(LOCATION, NUMBER, "fout")

    def test_ping_reports_the_flags(self, gateway: ZeepOsoGateway) -> None:
        assert gateway.ping(LOCATION).may_request is True

    def test_ping_of_an_unknown_location_is_rejected(self, gateway: ZeepOsoGateway) -> None:
        with pytest.raises(Rejected, match="OnbekendAanleverpunt"):
            gateway.ping(SchoolLocation("99XX", "00"))

    def test_switched_off_point_refuses_requests_until_re_registered(
        self, gateway: ZeepOsoGateway, oso_simulator: SimulatorServer
    ) -> None:
        bsn = _pupil(oso_simulator)
        oso_simulator.state.switch_off(LOCATION)
        assert gateway.ping(LOCATION).may_request is False
        with pytest.raises(Rejected, match="mag geen overdracht aanvragen"):
            gateway.request_transfer(LOCATION, bsn)
        kinds = [n.kind for n in gateway.notifications(LOCATION)]
        assert NotificationKind.SWITCHED_OFF in kinds
        gateway.register_delivery_point(LOCATION, NUMBER, KEY)
        assert gateway.request_transfer(LOCATION, bsn).delivery_points == 1


class TestTransfer:
    def test_request_transfer_opens_a_session(
        self, gateway: ZeepOsoGateway, oso_simulator: SimulatorServer
    ) -> None:
        bsn = _pupil(oso_simulator)
        ticket = gateway.request_transfer(LOCATION, bsn)
        assert ticket.session_id
        assert ticket.bsn == bsn
        (note,) = gateway.notifications(LOCATION)
        assert (note.kind, note.bsn) == (NotificationKind.DOSSIER_READY, bsn)

    def test_fetch_returns_the_parsed_dossier(
        self, gateway: ZeepOsoGateway, oso_simulator: SimulatorServer
    ) -> None:
        bsn = _pupil(oso_simulator)
        dossier = gateway.fetch_dossier(LOCATION, bsn)
        assert dossier is not None
        assert (dossier.bsn, dossier.sender) == (bsn, LOCATION)
        assert dossier.test_results
        assert not dossier.final_test_results

    def test_fetch_without_a_ready_dossier_gives_none(
        self, gateway: ZeepOsoGateway, oso_simulator: SimulatorServer
    ) -> None:
        bsn = Bsn.parse(oso_simulator.state.add_pupil(LOCATION, ready=False))
        assert gateway.fetch_dossier(LOCATION, bsn) is None

    def test_a_new_version_brings_final_test_and_revised_advice(
        self, gateway: ZeepOsoGateway, oso_simulator: SimulatorServer
    ) -> None:
        bsn = _pupil(oso_simulator)
        data = oso_simulator.state.new_version(LOCATION, bsn.value, dt.date(2026, 4, 20))
        dossier = gateway.fetch_dossier(LOCATION, bsn)
        assert dossier is not None
        assert dossier.advice_code == data.revised_advice
        assert dossier.final_test_results[0].taken_on == dt.date(2026, 4, 20)

    def test_sessions_are_signed_off(
        self, gateway: ZeepOsoGateway, oso_simulator: SimulatorServer
    ) -> None:
        gateway.fetch_dossier(LOCATION, _pupil(oso_simulator))
        assert all(not open_ for _, _, open_ in oso_simulator.state.sessions.values())


FAULTS = [
    (FaultKind.TIMEOUT, Unavailable, r"ingestelde tijd \(1 s\)"),
    (FaultKind.HTTP_500, Unavailable, "serverfout \\(HTTP 500\\)"),
    (FaultKind.SOAP_FAULT, Rejected, "Gesimuleerde storing bij OSO.*InterneFout"),
    (FaultKind.MALFORMED, Rejected, "onleesbaar antwoord"),
    (FaultKind.DOCTYPE, Rejected, "DOCTYPE"),
    (FaultKind.OVERSIZED, Rejected, "te groot"),
    (FaultKind.GZIP_BOMB, Rejected, "te groot"),
    (FaultKind.DOSSIER_DOCTYPE, Rejected, "DOCTYPE"),
    (FaultKind.INVALID, Rejected, "voldoet niet aan het OSO-schema"),
    (FaultKind.WRONG_VERSION, Rejected, "versie 2020.1;"),
    (FaultKind.WRONG_BRIN, Rejected, "BRIN 99ZZ"),
]


@pytest.mark.parametrize(("kind", "error", "reason"), FAULTS, ids=[f[0].value for f in FAULTS])
def test_fault_for_one_bsn_gives_a_clear_domain_error_and_spares_others(
    gateway: ZeepOsoGateway,
    oso_simulator: SimulatorServer,
    kind: FaultKind,
    error: type[Exception],
    reason: str,
) -> None:
    bad, good = _pupil(oso_simulator), _pupil(oso_simulator)
    oso_simulator.state.set_fault(kind, bsn=bad.value, seconds=2.5)
    with pytest.raises(error, match=reason):
        gateway.fetch_dossier(LOCATION, bad)
    dossier = gateway.fetch_dossier(LOCATION, good)
    assert dossier is not None
    assert dossier.bsn == good


class TestOfficialRules:
    """Dossiers fetched from the simulator come with the official rules' verdict."""

    def test_a_dossier_breaking_a_rule_is_delivered_with_the_official_message(
        self, gateway: ZeepOsoGateway, oso_simulator: SimulatorServer
    ) -> None:
        bsn = _pupil(oso_simulator)
        oso_simulator.state.set_fault(FaultKind.BREAKS_RULES, bsn=bsn.value)
        dossier = gateway.fetch_dossier(LOCATION, bsn)
        assert dossier is not None
        assert dossier.test_results  # read and merged where safe, not refused
        (message,) = dossier.rule_messages
        assert (message.rule, message.location) == ("OVb.MD03", "/dossier[1]/metadata[1]")
        assert message.text == (
            'Een binnen-brin dossier moet het blok "Categorie uitlevering" bevatten.'
        )

    def test_a_po_vo_dossier_with_categories_withheld_passes_and_says_so(
        self, gateway: ZeepOsoGateway, oso_simulator: SimulatorServer
    ) -> None:
        withheld = frozenset({"toetsresultaten", "verzuim"})
        bsn = Bsn.parse(
            oso_simulator.state.add_pupil(LOCATION, transfer=Transfer.PO_VO, withheld=withheld)
        )
        dossier = gateway.fetch_dossier(LOCATION, bsn)
        assert dossier is not None
        assert (dossier.rule_messages, dossier.withheld) == ((), withheld)
        assert dossier.test_results == ()
        assert not any(path.startswith("ondersteuning.verzuim") for path in dossier.fields)


def test_latency_below_the_timeout_still_delivers(
    gateway: ZeepOsoGateway, oso_simulator: SimulatorServer
) -> None:
    bsn = _pupil(oso_simulator)
    oso_simulator.state.set_fault(FaultKind.LATENCY, bsn=bsn.value, seconds=0.3)
    assert gateway.fetch_dossier(LOCATION, bsn) is not None


class TestCompressedAnswers:
    def test_a_gzip_compressed_dossier_reads_the_same_as_a_plain_one(self) -> None:
        dossiers = []
        for gzip in (False, True):
            state = SimulatorState(seed=8)
            state.add_school(LOCATION, NUMBER, KEY)
            bsn = Bsn.parse(state.add_pupil(LOCATION))
            with SimulatorServer(state, gzip=gzip) as server:
                gw = ZeepOsoGateway(server.endpoint, operation_timeout=5)
                gw.register_delivery_point(LOCATION, NUMBER, KEY)
                dossiers.append(gw.fetch_dossier(LOCATION, bsn))
                assert server.app.gzipped == (4 if gzip else 0)  # all four answers, when asked
        plain, compressed = dossiers
        assert compressed is not None
        assert compressed == plain
        assert sum(a.size for a in compressed.attachments) > 20_000  # several reads' worth

    def test_a_gzip_bomb_is_refused_without_unpacking_beyond_the_cap(self) -> None:
        """In a fresh process, whose peak RSS (VmHWM) measures this call. Not ``ru_maxrss``:
        Linux carries it over from the parent through fork and exec, so a child of a big
        pytest process would report the parent's peak."""
        result = subprocess.run(
            [sys.executable, "-c", _BOMB_RUN],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        message, growth_kib = result.stdout.strip().rsplit("\n", 1)
        assert "Het antwoord van OSO is te groot" in message
        growth = int(growth_kib) * 1024
        # The cap (~28 MB) may be read, and copied once; the bomb unpacks to 512 MiB.
        assert growth < 3 * MAX_RESPONSE_BYTES, f"RSS grew {growth / 2**20:.0f} MiB"
        assert gzipped.BOMB_BYTES > 10 * MAX_RESPONSE_BYTES


_BOMB_RUN = f"""
from pathlib import Path
from elk_adapters.oso.gateway import ZeepOsoGateway
from elk_adapters.oso.simulator import gzipped
from elk_adapters.oso.simulator.dossier_data import Transfer
from elk_adapters.oso.simulator.server import SimulatorServer
from elk_adapters.oso.simulator.state import FaultKind, SimulatorState
from elk_domain.errors import Rejected
from elk_domain.kernel.values import Bsn, SchoolLocation

def kib(field):
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(x for x in status if x.startswith(field)).split()[1])

location = SchoolLocation("{LOCATION.brin}", "{LOCATION.vestiging}")
state = SimulatorState(seed=8)
state.add_school(location, "{NUMBER}", "{KEY}")
bsn = Bsn.parse(state.add_pupil(location))
state.set_fault(FaultKind.GZIP_BOMB, bsn=bsn.value)
gzipped.bomb()  # built before the measurement starts
with SimulatorServer(state) as server:
    gw = ZeepOsoGateway(server.endpoint, operation_timeout=60, retries=0)
    gw.register_delivery_point(location, "{NUMBER}", "{KEY}")
    before = kib("VmRSS:")
    try:
        gw.fetch_dossier(location, bsn)
        print("accepted")
    except Rejected as refused:
        print(refused.message)
    print(kib("VmHWM:") - before)  # the peak since start, so an upper bound for this call
"""


class TestRetries:
    def test_safe_calls_retry_with_exponential_backoff(
        self, gateway: ZeepOsoGateway, oso_simulator: SimulatorServer, sleeps: _Sleeps
    ) -> None:
        oso_simulator.state.set_fault(FaultKind.HTTP_500)
        with pytest.raises(Unavailable):
            gateway.ping(LOCATION)
        assert sleeps == [0.01, 0.02]

    def test_registration_is_never_retried(
        self, gateway: ZeepOsoGateway, oso_simulator: SimulatorServer, sleeps: _Sleeps
    ) -> None:
        oso_simulator.state.set_fault(FaultKind.HTTP_500)
        with pytest.raises(Unavailable):
            gateway.register_delivery_point(LOCATION, NUMBER, KEY)
        assert sleeps == []

    def test_rejections_are_not_retried(
        self, gateway: ZeepOsoGateway, oso_simulator: SimulatorServer, sleeps: _Sleeps
    ) -> None:
        oso_simulator.state.set_fault(FaultKind.SOAP_FAULT)
        with pytest.raises(Rejected):
            gateway.notifications(LOCATION)
        assert sleeps == []


def test_unreachable_traffic_center_is_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    gw = ZeepOsoGateway(f"http://127.0.0.1:{port}/oso", operation_timeout=1, retries=0)
    with pytest.raises(Unavailable, match="niet bereikbaar"):
        gw.ping(LOCATION)


class TestConnections:
    def test_soap_calls_reuse_one_keep_alive_connection(
        self, oso_simulator: SimulatorServer
    ) -> None:
        gw = ZeepOsoGateway(oso_simulator.endpoint, operation_timeout=2)
        gw.register_delivery_point(LOCATION, NUMBER, KEY)
        gw.ping(LOCATION)
        dossier = gw.fetch_dossier(LOCATION, _pupil(oso_simulator))  # 3 calls
        assert dossier is not None
        pools = gw._client.transport.session.get_adapter(oso_simulator.endpoint).poolmanager.pools
        [pool] = [pools[key] for key in pools.keys()]  # noqa: SIM118  (not a dict)
        assert (pool.num_connections, pool.num_requests) == (1, 5)
