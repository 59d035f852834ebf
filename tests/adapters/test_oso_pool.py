"""``ProcessOsoGateway``: fetches in worker processes against the simulator over real HTTP.

Same dossiers and the same domain errors (with their Dutch messages) as the in-process
gateway; a crashed worker fails only its own requests; workers ignore SIGINT and exit when
the pool closes or its process dies.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tests.fixtures.oso_pool import Misbehaving, alive
from tests.fixtures.oso_sim import KEY, LOCATION, NUMBER, oso_simulator

from elk_adapters.oso.gateway import ZeepOsoGateway
from elk_adapters.oso.pool import ProcessOsoGateway
from elk_adapters.oso.pool_worker import WorkerError, sendable
from elk_adapters.oso.simulator.server import SimulatorServer
from elk_adapters.oso.simulator.state import ALL, FaultKind
from elk_domain.errors import ElkError, IllegalTransition, Rejected, Unavailable
from elk_domain.kernel.values import Bsn

__all__ = ["oso_simulator"]  # the fixture is used by name


def wait_until(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture(autouse=True)
def importable_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers get this ``sys.path``: let them import ``tests.fixtures`` (pytest's importlib
    mode imports test packages without putting the root on the path)."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))


@pytest.fixture
def sim(oso_simulator: SimulatorServer) -> SimulatorServer:
    ZeepOsoGateway(oso_simulator.endpoint).register_delivery_point(LOCATION, NUMBER, KEY)
    return oso_simulator


@pytest.fixture
def pool(sim: SimulatorServer) -> Iterator[ProcessOsoGateway]:
    build = functools.partial(ZeepOsoGateway, sim.endpoint, operation_timeout=5.0, retries=0)
    with ProcessOsoGateway(build, processes=2, threads=2) as started:
        yield started


class TestFetch:
    def test_dossiers_equal_the_in_process_gateway(
        self, sim: SimulatorServer, pool: ProcessOsoGateway
    ) -> None:
        bsns = [Bsn(sim.state.add_pupil(LOCATION)) for _ in range(6)]
        nothing_ready = Bsn(sim.state.add_pupil(LOCATION, ready=False))
        local = ZeepOsoGateway(sim.endpoint)
        with ThreadPoolExecutor(4) as threads:
            remote = list(threads.map(lambda b: pool.fetch_dossier(LOCATION, b), bsns))
        assert remote == [local.fetch_dossier(LOCATION, b) for b in bsns]
        assert all(d is not None and d.attachments for d in remote)
        assert pool.fetch_dossier(LOCATION, nothing_ready) is None

    def test_the_official_rules_messages_come_back_from_the_worker(
        self, sim: SimulatorServer, pool: ProcessOsoGateway
    ) -> None:
        bsn = Bsn(sim.state.add_pupil(LOCATION, withheld=frozenset({"verzuim"})))
        sim.state.set_fault(FaultKind.BREAKS_RULES, bsn=bsn.value)
        dossier = pool.fetch_dossier(LOCATION, bsn)
        assert dossier is not None
        assert dossier == ZeepOsoGateway(sim.endpoint).fetch_dossier(LOCATION, bsn)
        assert [m.rule for m in dossier.rule_messages] == ["OVb.MD03"]
        assert dossier.withheld == frozenset()  # the block that marks them is what is missing

    @pytest.mark.parametrize(
        ("fault", "error"),
        [
            (FaultKind.WRONG_BRIN, Rejected),
            (FaultKind.INVALID, Rejected),
            (FaultKind.SOAP_FAULT, Rejected),
            (FaultKind.HTTP_500, Unavailable),
        ],
        ids=lambda v: getattr(v, "value", getattr(v, "__name__", "")),
    )
    def test_a_domain_error_arrives_as_itself_with_its_message(
        self, sim: SimulatorServer, pool: ProcessOsoGateway, fault: FaultKind, error: type
    ) -> None:
        bsn = Bsn(sim.state.add_pupil(LOCATION))
        sim.state.set_fault(fault, bsn=bsn.value)
        local = ZeepOsoGateway(sim.endpoint, retries=0)
        with pytest.raises(error) as in_process:
            local.fetch_dossier(LOCATION, bsn)
        with pytest.raises(error) as in_worker:
            pool.fetch_dossier(LOCATION, bsn)
        assert type(in_worker.value) is type(in_process.value)
        assert in_worker.value.message == in_process.value.message
        assert in_worker.value.violations == in_process.value.violations

    def test_the_dossier_arrives_before_the_sign_off_which_close_waits_for(
        self, sim: SimulatorServer, pool: ProcessOsoGateway
    ) -> None:
        bsn = Bsn(sim.state.add_pupil(LOCATION))
        sim.state.set_fault(FaultKind.LATENCY, bsn=ALL, seconds=0.5)  # every call, sign-off too
        assert pool.fetch_dossier(LOCATION, bsn) is not None
        (session,) = [s for s in sim.state.sessions.values() if s[1] == bsn.value]
        assert session[2], "signed off before the dossier was handed over"
        pool.close()
        (session,) = [s for s in sim.state.sessions.values() if s[1] == bsn.value]
        assert not session[2], "close did not wait for the sign-off"

    def test_the_other_operations_run_in_this_process(self, pool: ProcessOsoGateway) -> None:
        status = pool.ping(LOCATION)
        assert status.location == LOCATION
        assert pool.notifications(LOCATION) is not None


class TestFailures:
    def test_an_error_that_does_not_unpickle_arrives_as_a_worker_error(self) -> None:
        build = functools.partial(Misbehaving, "unpicklable")
        with ProcessOsoGateway(build, processes=1, threads=1) as pool:
            with pytest.raises(WorkerError, match="IllegalTransition: Actie 'ophalen'"):
                pool.fetch_dossier(LOCATION, Bsn("111222333"))
            with pytest.raises(WorkerError):  # the worker lives on
                pool.fetch_dossier(LOCATION, Bsn("111222333"))

    def test_sendable_keeps_what_pickles_and_names_what_does_not(self) -> None:
        kept = Rejected("Afgekeurd.")
        assert sendable(kept) is kept
        assert isinstance(sendable(SystemExit(3)), WorkerError)  # not a pupil's failure
        replaced = sendable(IllegalTransition("Definitief", "bewerken"))
        assert isinstance(replaced, WorkerError)
        assert str(replaced) == "IllegalTransition: Actie 'bewerken' is niet mogelijk in status " \
            "'Definitief'."  # fmt: skip

    def test_a_crashed_worker_fails_its_request_and_the_pool_goes_on_without_it(self) -> None:
        with ProcessOsoGateway(
            functools.partial(Misbehaving, "exit"), processes=2, threads=1
        ) as pool:
            pids = list(pool.pids)
            with pytest.raises(Unavailable, match=r"onverwacht gestopt \(afsluitcode 3\)"):
                pool.fetch_dossier(LOCATION, Bsn("111222333"))
            assert wait_until(lambda: sum(map(alive, pids)) == 1)
            with pytest.raises(Unavailable, match="afsluitcode 3"):
                pool.fetch_dossier(LOCATION, Bsn("111222333"))
            with pytest.raises(Unavailable, match="onverwacht gestopt"):  # none left
                pool.fetch_dossier(LOCATION, Bsn("111222333"))

    def test_an_unpicklable_factory_is_refused_before_any_worker_starts(self) -> None:
        pool = ProcessOsoGateway(lambda: Misbehaving("none"), processes=1, threads=1)
        with pytest.raises(AttributeError, match="local object"):
            pool.start()
        assert list(pool.pids) == []

    def test_processes_and_threads_are_at_least_one(self) -> None:
        with pytest.raises(ValueError, match="at least 1"):
            ProcessOsoGateway(functools.partial(Misbehaving, "none"), processes=0, threads=1)


class TestLifecycle:
    def test_requests_spread_over_the_workers(self) -> None:
        with ProcessOsoGateway(
            functools.partial(Misbehaving, "pid"), processes=2, threads=2
        ) as pool:

            def pid(_: int) -> int:
                with pytest.raises(Unavailable) as raised:
                    pool.fetch_dossier(LOCATION, Bsn("111222333"))
                return int(raised.value.message)

            with ThreadPoolExecutor(8) as threads:
                used = set(threads.map(pid, range(40)))
            assert used == set(pool.pids)

    def test_workers_ignore_sigint_and_stop_when_the_pool_closes(self) -> None:
        pool = ProcessOsoGateway(functools.partial(Misbehaving, "pid"), processes=2, threads=1)
        with pool:
            pids = list(pool.pids)
            for pid in pids:
                os.kill(pid, signal.SIGINT)
            time.sleep(0.3)
            with pytest.raises(Unavailable):
                pool.fetch_dossier(LOCATION, Bsn("111222333"))
            assert all(map(alive, pids))
            assert all(os.getpgid(pid) != os.getpgid(0) for pid in pids)  # no terminal Ctrl-C
        assert not any(map(alive, pids))
        with pytest.raises(ElkError, match="onverwacht gestopt"):
            pool.fetch_dossier(LOCATION, Bsn("111222333"))

    def test_workers_exit_when_their_parent_is_killed(self, tmp_path: Path) -> None:
        script = tmp_path / "parent.py"
        script.write_text(
            "import functools, sys, time\n"
            "from elk_adapters.oso.pool import ProcessOsoGateway\n"
            "from tests.fixtures.oso_pool import Misbehaving\n"
            "pool = ProcessOsoGateway(functools.partial(Misbehaving, 'pid'), processes=2,"
            " threads=2).start()\n"
            "print(*pool.pids, flush=True)\n"
            "time.sleep(60)\n"
        )
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        parent = subprocess.Popen(
            [sys.executable, str(script)], stdout=subprocess.PIPE, env=env, cwd=tmp_path
        )
        assert parent.stdout is not None
        with parent.stdout:
            pids = [int(p) for p in parent.stdout.readline().split()]
        assert len(pids) == 2
        assert all(map(alive, pids))
        parent.kill()
        parent.wait(timeout=10)
        assert wait_until(lambda: not any(map(alive, pids))), "orphaned OSO workers"
