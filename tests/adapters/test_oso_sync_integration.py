"""Bulk sync end to end: the simulator over real HTTP, ZeepOsoGateway, SQLite and the file store.

One test per fault kind: the batch goes on, the failing pupil is reported with a clear reason,
and nothing of that pupil is half-written (checked in the database and the file store).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from tests.fixtures.oso_sim import KEY, LOCATION, NUMBER, oso_simulator

from elk_adapters.bootstrap import oso_gateway
from elk_adapters.oso.batch import ThreadedOsoBatch, shared
from elk_adapters.oso.gateway import ZeepOsoGateway
from elk_adapters.oso.lazy import LazyOsoGateway
from elk_adapters.oso.pool import ProcessOsoGateway
from elk_adapters.oso.simulator.server import SimulatorServer
from elk_adapters.oso.simulator.state import ALL, FaultKind
from elk_adapters.persistence.database import SqlAlchemyUnitOfWork, write_lock_for
from elk_adapters.settings import Settings
from elk_adapters.storage.filesystem import FilesystemFileStore
from elk_domain.errors import Rejected
from elk_domain.kernel.people import Actor, OrgKind
from elk_domain.kernel.values import Address, Bsn
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiDoc, Source
from elk_domain.organisation.model import Board, School
from elk_domain.oso.batch import BatchPorts, SyncOutcome, SyncReport
from elk_domain.oso.config import register_delivery_point
from elk_domain.oso.dossiers.merge import MergeMode
from elk_domain.oso.import_dossier import MergeOptions
from elk_domain.oso.ports import OsoGateway
from elk_domain.oso.sync import sync_pupils
from elk_domain.oso.transfer import request_transfers
from elk_domain.testing import FixedClock
from elk_domain.unit_of_work import UnitOfWork

__all__ = ["oso_simulator"]  # the fixture is used by name

SYSTEM = Actor.system()
NOW = dt.datetime(2026, 1, 20, 9, tzinfo=dt.UTC)
FILL = MergeOptions(mode=MergeMode.FILL)


@attrs.define
class Stack:
    """ELK on SQLite with the simulator's school 12AB00, three pupils read in once."""

    uow: Callable[[], UnitOfWork]
    gateway: OsoGateway
    files: FilesystemFileStore
    files_path: Path
    clock: FixedClock
    sim: SimulatorServer
    engine: sa.Engine
    school_id: int
    pupils: dict[str, int] = attrs.Factory(dict)  # BSN -> pupil id

    def sync(self, mode: MergeMode = MergeMode.FILL, *, trust: bool = False) -> SyncReport:
        ids = list(self.pupils.values())
        options = MergeOptions(mode=mode, trust_inferred_advice=trust)
        return sync_pupils(self.ports, SYSTEM, ids, options)

    @property
    def batch(self) -> ThreadedOsoBatch:
        """The batch engine as the web wires it: threads sharing the one gateway."""
        return ThreadedOsoBatch(shared(self.gateway), concurrency=3)

    @property
    def ports(self) -> BatchPorts:
        """What the batch use cases run on: these units of work, ``batch``, files and clock."""
        return BatchPorts(self.uow, self.batch, self.files, self.clock)

    def okidoc(self, bsn: str) -> OkiDoc:
        with self.uow() as uow:
            return uow.okidocs.for_pupil(self.pupils[bsn])

    def audit_count(self, bsn: str) -> int:
        with self.uow() as uow:
            return len(uow.audit.for_subject("pupil", self.pupils[bsn]))

    def stored_files(self) -> int:
        return sum(1 for p in self.files_path.rglob("*") if p.is_file())


@pytest.fixture(params=["in-process", "worker-processes"])
def stack(
    request: pytest.FixtureRequest,
    oso_simulator: SimulatorServer,
    sqlite_url: str,
    engine_for: Callable[[str], sa.Engine],
    tmp_path: Path,
) -> Iterator[Stack]:
    """The stack with the OSO gateway in this process, or fetching in worker processes
    (``ProcessOsoGateway``, as ``elk oso sync`` does): the outcomes must not differ."""
    built = _stack(oso_simulator, sqlite_url, engine_for, tmp_path)
    if request.param == "in-process":
        yield built
        return
    build = functools.partial(
        ZeepOsoGateway, oso_simulator.endpoint, operation_timeout=1.0, retries=0
    )
    with ProcessOsoGateway(build, processes=2, threads=1) as pool:
        yield attrs.evolve(built, gateway=pool)


def _stack(
    oso_simulator: SimulatorServer,
    sqlite_url: str,
    engine_for: Callable[[str], sa.Engine],
    tmp_path: Path,
) -> Stack:
    stack = _bare_stack(oso_simulator, engine_for(sqlite_url), tmp_path)
    bsns = [oso_simulator.state.add_pupil(LOCATION) for _ in range(3)]
    report = request_transfers(stack.ports, SYSTEM, stack.school_id, "\n".join(bsns), FILL)
    assert [i.outcome for i in report.items] == [SyncOutcome.CREATED] * 3
    stack.pupils = {i.bsn.value: i.pupil_id for i in report.items if i.bsn and i.pupil_id}
    for bsn in bsns:  # the LAS prepares a new version: every pupil has something to sync
        oso_simulator.state.new_version(LOCATION, bsn, dt.date(2026, 1, 12))
    return stack


def _bare_stack(oso_simulator: SimulatorServer, engine: sa.Engine, tmp_path: Path) -> Stack:
    """School 12AB00 with its delivery point registered, no pupils; units of work as bootstrap
    makes them (on SQLite sharing the process's write lock)."""
    lock = write_lock_for(engine)

    def uow() -> UnitOfWork:
        return SqlAlchemyUnitOfWork(engine, write_lock=lock)

    with uow() as work:
        board = work.boards.add(Board(0, "Stichting Amstelland"))
        school = work.schools.add(
            School(
                id=0, board_id=board.id, kind=OrgKind.PO, official_name="De Regenboog",
                name="De Regenboog", school_type="bo", location=LOCATION,
                address=Address.create(street="Laan", house_number="1", postcode="1181AB",
                                       city="Amstelveen"),
            )
        )  # fmt: skip
        work.commit()
    gateway = ZeepOsoGateway(oso_simulator.endpoint, operation_timeout=1.0, retries=0)
    files_path = tmp_path / "files"
    stack = Stack(
        uow, gateway, FilesystemFileStore(files_path), files_path, FixedClock(NOW),
        oso_simulator, engine, school.id,
    )  # fmt: skip
    register_delivery_point(uow(), gateway, stack.clock, SYSTEM, school.id, NUMBER, KEY)
    return stack


# fault kind, seconds, expected outcome, words in the reason
FAULTS = [
    (FaultKind.TIMEOUT, 2.5, SyncOutcome.ERROR, "niet binnen de ingestelde tijd"),
    (FaultKind.HTTP_500, 0, SyncOutcome.ERROR, "serverfout (HTTP 500)"),
    (FaultKind.SOAP_FAULT, 0, SyncOutcome.REJECTED, "OSO weigerde"),
    (FaultKind.MALFORMED, 0, SyncOutcome.REJECTED, "onleesbaar antwoord"),
    (FaultKind.OVERSIZED, 0, SyncOutcome.REJECTED, "te groot"),
    (FaultKind.DOCTYPE, 0, SyncOutcome.REJECTED, "DOCTYPE"),
    (FaultKind.DOSSIER_DOCTYPE, 0, SyncOutcome.REJECTED, "DOCTYPE"),
    (FaultKind.INVALID, 0, SyncOutcome.REJECTED, "OSO-schema 2019.1"),
    (FaultKind.WRONG_VERSION, 0, SyncOutcome.REJECTED, "versie 2020.1"),
    (FaultKind.WRONG_BRIN, 0, SyncOutcome.REJECTED, "99ZZ"),
]


class TestFaultsInABatch:
    @pytest.mark.parametrize(
        ("kind", "seconds", "outcome", "reason"), FAULTS, ids=[f[0].value for f in FAULTS]
    )
    def test_the_batch_goes_on_and_the_failing_pupil_is_untouched(
        self, stack: Stack, kind: FaultKind, seconds: float, outcome: SyncOutcome, reason: str
    ) -> None:
        first, victim, last = stack.pupils
        before = (stack.okidoc(victim), stack.audit_count(victim))
        files_before = stack.stored_files()
        stack.sim.state.set_fault(kind, bsn=victim, seconds=seconds)
        report = stack.sync()
        by_bsn = {item.bsn.value: item for item in report.items if item.bsn}
        assert by_bsn[victim].outcome is outcome
        assert reason in by_bsn[victim].message
        assert by_bsn[first].outcome is by_bsn[last].outcome is SyncOutcome.SYNCED
        assert by_bsn[first].change_count > 0
        assert by_bsn[last].change_count > 0
        assert report.failed
        # Nothing of the victim was written: same Oki-doc, no audit entry, no stray file.
        assert (stack.okidoc(victim), stack.audit_count(victim)) == before
        synced_files = sum(
            1 for item in (by_bsn[first], by_bsn[last]) for c in item.changes if c.path == "bijlage"
        )
        assert stack.stored_files() == files_before + synced_files
        # The fault lifted, a re-run fills in the victim like the others.
        stack.sim.state.clear_faults()
        again = {i.bsn.value: i for i in stack.sync().items if i.bsn}
        assert again[victim].outcome is SyncOutcome.SYNCED
        assert again[victim].change_count > 0
        assert again[first].change_count == 0

    def test_latency_below_the_timeout_only_slows_down(self, stack: Stack) -> None:
        _, slow, _ = stack.pupils
        stack.sim.state.set_fault(FaultKind.LATENCY, bsn=slow, seconds=0.3)
        report = stack.sync()
        assert [i.outcome for i in report.items] == [SyncOutcome.SYNCED] * 3
        assert not report.failed

    def test_final_test_only_takes_just_the_final_test(self, stack: Stack) -> None:
        report = stack.sync(MergeMode.FINAL_TEST_ONLY)
        assert all(i.outcome is SyncOutcome.SYNCED for i in report.items)
        paths = {c.path for i in report.items for c in i.changes}
        assert paths
        assert all(p.startswith(("advies.", "doorstroomtoets", "toets")) for p in paths), paths


class TestAdviceCode:
    """Decision 0005 end to end: the dossier's code 51 over HTTP, the Oki-doc in SQLite."""

    def code_51(self, stack: Stack) -> str:
        bsn = next(iter(stack.pupils))
        data = stack.sim.state.dossiers[(LOCATION, bsn)]
        stack.sim.state.put_dossier(attrs.evolve(data, advice="51", revised_advice=""))
        return bsn

    def test_trusted_code_51_is_stored_as_havo_vwo_marked_inferred(self, stack: Stack) -> None:
        bsn = self.code_51(stack)
        item = {i.bsn.value: i for i in stack.sync(trust=True).items if i.bsn}[bsn]
        assert item.outcome is SyncOutcome.SYNCED
        assert [v.path for v in item.to_check] == [f.ADVICE_DEFINITIVE]
        assert item.needs_manual == ()
        field = stack.okidoc(bsn).fields[f.ADVICE_DEFINITIVE]  # read back from SQLite
        assert (field.value, field.provenance.source) == ("havo/vwo", Source.OSO)
        assert field.provenance.inferred_from == "51"
        assert field.provenance.note == "afgeleid uit code 51 — controleer"
        with stack.engine.connect() as connection:  # the stored JSON says so too
            stored = connection.execute(sa.text("SELECT fields FROM okidocs")).scalars().all()
        assert sum('"inferred_from": "51"' in str(doc) for doc in stored) == 1

    def test_untrusted_code_51_stays_empty_and_needs_manual_entry(self, stack: Stack) -> None:
        bsn = self.code_51(stack)
        item = {i.bsn.value: i for i in stack.sync().items if i.bsn}[bsn]
        assert item.outcome is SyncOutcome.SYNCED
        assert [v.path for v in item.needs_manual] == [f.ADVICE_DEFINITIVE]
        assert "OSO-adviescode '51'" in item.needs_manual[0].message
        assert item.to_check == ()
        assert f.ADVICE_DEFINITIVE not in stack.okidoc(bsn).fields


class TestTransferFaults:
    def test_a_pasted_list_reports_each_failure_and_creates_nothing_half(
        self, stack: Stack
    ) -> None:
        state = stack.sim.state
        good, broken, foreign = (state.add_pupil(LOCATION) for _ in range(3))
        state.set_fault(FaultKind.INVALID, bsn=broken)
        state.set_fault(FaultKind.WRONG_BRIN, bsn=foreign)
        report = request_transfers(
            stack.ports, SYSTEM, stack.school_id, f"{good}\n{broken}\n{foreign}", FILL
        )
        assert [i.outcome for i in report.items] == [
            SyncOutcome.CREATED,
            SyncOutcome.REJECTED,
            SyncOutcome.REJECTED,
        ]
        with stack.uow() as uow:
            assert uow.pupils.by_bsn(stack.school_id, Bsn(good)) is not None
            assert uow.pupils.by_bsn(stack.school_id, Bsn(broken)) is None
            assert uow.pupils.by_bsn(stack.school_id, Bsn(foreign)) is None


class TestBootstrapGateway:
    def test_the_gateway_is_built_on_first_use_from_the_settings(
        self, oso_simulator: SimulatorServer
    ) -> None:
        settings = Settings(oso_endpoint=oso_simulator.endpoint, oso_timeout=2, oso_retries=0)
        gateway = oso_gateway(settings)
        assert isinstance(gateway, LazyOsoGateway)
        assert gateway._built is None  # nothing loaded yet
        with pytest.raises(Rejected, match="OnbekendAanleverpunt"):  # asked over HTTP
            gateway.ping(LOCATION)
        built = gateway.gateway
        assert isinstance(built, ZeepOsoGateway)
        assert (built.timeout, built.retries) == (2, 0)

    def test_a_key_without_a_certificate_is_refused(self) -> None:
        with pytest.raises(Rejected, match="ELK_OSO_CLIENT_CERT"):
            oso_gateway(Settings(oso_client_key="/etc/elk/oso.key"))

    def test_settings_read_the_oso_variables(self) -> None:
        settings = Settings.from_env(
            {
                "ELK_ENV": "test",
                "ELK_SECRET_KEY": "x",
                "ELK_OSO_TIMEOUT": "2.5",
                "ELK_OSO_RETRIES": "0",
                "ELK_OSO_CLIENT_CERT": "/c.pem",
                "ELK_OSO_CLIENT_KEY": "/k.pem",
                "ELK_OSO_CA": "/ca.pem",
            }
        )
        assert (settings.oso_timeout, settings.oso_retries) == (2.5, 0)
        assert (settings.oso_client_cert, settings.oso_client_key, settings.oso_ca) == (
            "/c.pem",
            "/k.pem",
            "/ca.pem",
        )
        with pytest.raises(Rejected, match="ELK_OSO_TIMEOUT"):
            Settings.from_env({"ELK_ENV": "test", "ELK_SECRET_KEY": "x", "ELK_OSO_TIMEOUT": "x"})

    @pytest.mark.parametrize(("text", "trusted"), [(None, False), ("", False), ("0", False),
                                                   ("1", True), (" 1 ", True)])  # fmt: skip
    def test_the_advice_trust_is_off_unless_switched_on(
        self, text: str | None, trusted: bool
    ) -> None:
        env = {"ELK_ENV": "test", "ELK_SECRET_KEY": "x"}
        if text is not None:
            env["ELK_OSO_TRUST_INFERRED_ADVICE"] = text
        assert Settings.from_env(env).oso_trust_inferred_advice is trusted
        assert Settings().oso_trust_inferred_advice is False

    @pytest.mark.parametrize("text", ["ja", "true", "2"])
    def test_a_mistyped_advice_trust_is_refused_by_name(self, text: str) -> None:
        env = {"ELK_ENV": "test", "ELK_SECRET_KEY": "x", "ELK_OSO_TRUST_INFERRED_ADVICE": text}
        with pytest.raises(Rejected, match="ELK_OSO_TRUST_INFERRED_ADVICE moet 0"):
            Settings.from_env(env)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """A migrated database of this test's own: a SQLite file, or PostgreSQL (emptied after)."""
    name = "sqlite_url" if request.param == "sqlite" else "migrated_postgres_url"
    url: str = request.getfixturevalue(name)
    return url


class TestTransfersAtOnce:
    def test_eight_new_pupils_of_one_new_group_are_all_created_in_one_group(
        self,
        oso_simulator: SimulatorServer,
        database_url: str,
        engine_for: Callable[[str], sa.Engine],
        tmp_path: Path,
    ) -> None:
        """Eight transfers at once each create a pupil, and the first the group "8c": the ELK
        number's lock makes them do so one after another (decision 0040)."""
        engine = engine_for(database_url)
        stack = _bare_stack(oso_simulator, engine, tmp_path)
        state = oso_simulator.state
        bsns = [state.add_pupil(LOCATION) for _ in range(8)]
        for bsn in bsns:
            state.put_dossier(attrs.evolve(state.dossiers[(LOCATION, bsn)], group="8c"))
        state.set_fault(FaultKind.LATENCY, bsn=ALL, seconds=0.05)  # arrive together
        batch = ThreadedOsoBatch(shared(stack.gateway), concurrency=8)
        ports = attrs.evolve(stack.ports, batch=batch)
        report = request_transfers(ports, SYSTEM, stack.school_id, "\n".join(bsns), FILL)
        assert [(i.outcome, i.message[:19]) for i in report.items] == [
            (SyncOutcome.CREATED, "Leerling aangemaakt")
        ] * 8
        with stack.uow() as uow:
            [group] = uow.groups.list(stack.school_id)
            pupils = uow.pupils.list(stack.school_id)
        assert group.name == "8c"
        assert sorted(p.bsn.value for p in pupils if p.bsn) == sorted(bsns)
        assert {p.group_id for p in pupils} == {group.id}
        assert len({p.elk_number for p in pupils}) == 8
