"""``elk oso sync`` against the OSO simulator and a SQLite instance (R-OSO-8).

In process through CliRunner for the output and exit codes; as a subprocess for the crash
test: SIGKILL in the middle of a batch, run again, and the end state equals one clean run.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from tests.fixtures.oso_pool import alive
from tests.fixtures.oso_sim import KEY, LOCATION, NUMBER, add_pupil_with_advice, oso_simulator

from elk_adapters.oso.batch import sync_batch, worker_processes
from elk_adapters.oso.gateway import ZeepOsoGateway
from elk_adapters.oso.simulator.server import SimulatorServer
from elk_adapters.oso.simulator.state import ALL, FaultKind
from elk_adapters.persistence.database import (
    SqlAlchemyUnitOfWork,
    make_engine,
    migrate,
)
from elk_adapters.settings import Settings
from elk_adapters.storage.filesystem import FilesystemFileStore
from elk_cli.main import cli
from elk_domain.kernel.people import Actor, OrgKind
from elk_domain.kernel.values import Address, Bsn, ElkNumber, PersonName
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import FieldValue, OkiDoc
from elk_domain.organisation.model import Board, School
from elk_domain.oso.dossiers.merge import MergeMode
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock

__all__ = ["oso_simulator"]  # the fixture is used by name

ELK = Path(sys.executable).with_name("elk")


def seed_database(instance: Path, bsns: list[str]) -> None:
    """A migrated SQLite instance with school 12AB00 and a pupil (empty Oki-doc) per BSN."""
    instance.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{instance / 'elk.sqlite3'}"
    migrate(url)
    engine = make_engine(url)
    with SqlAlchemyUnitOfWork(engine) as uow:
        board = uow.boards.add(Board(0, "Stichting Amstelland"))
        uow.schools.add(
            School(
                id=0, board_id=board.id, kind=OrgKind.PO, official_name="De Regenboog",
                name="De Regenboog", school_type="bo", location=LOCATION,
                address=Address.create(street="Laan", house_number="1", postcode="1181AB",
                                       city="Amstelveen"),
            )
        )  # fmt: skip
        uow.commit()
    engine.dispose()
    add_pupils(instance, bsns, start=0)


def environment(instance: Path, sim: SimulatorServer) -> dict[str, str]:
    return {
        "ELK_ENV": "test",
        "ELK_SECRET_KEY": "test-secret",
        "ELK_INSTANCE_PATH": str(instance),
        "ELK_OSO_ENDPOINT": sim.endpoint,
        "ELK_OSO_TIMEOUT": "5",
        "ELK_OSO_RETRIES": "0",
    }


def snapshot(instance: Path) -> dict[str, Any]:
    """Per BSN: the pupil, the Oki-doc's content (values and sources, not times), the files."""
    engine = make_engine(f"sqlite:///{instance / 'elk.sqlite3'}")
    files = FilesystemFileStore(instance / "files")
    found: dict[str, Any] = {}
    with SqlAlchemyUnitOfWork(engine) as uow:
        for school in uow.schools.list():
            for pupil in uow.pupils.list(school.id):
                doc = uow.okidocs.for_pupil(pupil.id)
                assert pupil.bsn is not None
                found[pupil.bsn.value] = {
                    "pupil": pupil,
                    "status": doc.status,
                    "fields": {p: (v.value, v.provenance.source) for p, v in doc.fields.items()},
                    "tests": doc.test_results,
                    "career": doc.career,
                    "attachments": sorted(
                        (a.kind, a.filename, a.content_type, a.size, files.get(a.storage_key))
                        for a in doc.attachments
                    ),
                }
        synced = len([e for e in uow.audit.recent(limit=10_000) if "oso" in e.action])
    engine.dispose()
    return {"pupils": found, "sync_audits": synced}


@pytest.fixture
def sim(oso_simulator: SimulatorServer) -> SimulatorServer:
    """The simulator with 12AB00 registered (as ELK would have done)."""
    ZeepOsoGateway(oso_simulator.endpoint).register_delivery_point(LOCATION, NUMBER, KEY)
    return oso_simulator


@pytest.fixture
def instance(tmp_path: Path, sim: SimulatorServer) -> Iterator[Path]:
    bsns = [sim.state.add_pupil(LOCATION) for _ in range(4)]
    path = tmp_path / "instance"
    seed_database(path, bsns)
    return path


def elk(instance: Path, sim: SimulatorServer, *args: str) -> Result:
    runner = CliRunner(env=environment(instance, sim))
    return runner.invoke(cli, ["oso", "sync", *args], catch_exceptions=False)


class TestSyncCommand:
    def test_syncs_a_school_prints_a_summary_and_is_safe_to_rerun(
        self, instance: Path, sim: SimulatorServer
    ) -> None:
        first = elk(instance, sim, "--school", "12AB00", "--concurrency", "2")
        assert first.exit_code == 0, first.output
        assert "4 leerling(en) synchroniseren (aanvullen), 2 tegelijk." in first.output
        assert "Samenvatting" in first.output
        assert "Gesynchroniseerd" in first.output
        before = snapshot(instance)
        again = elk(instance, sim, "--all")
        assert again.exit_code == 0, again.output
        assert snapshot(instance) == before

    def test_failed_pupils_are_listed_masked_and_the_exit_code_says_so(
        self, instance: Path, sim: SimulatorServer
    ) -> None:
        bsns = sorted(snapshot(instance)["pupils"])
        sim.state.set_fault(FaultKind.WRONG_BRIN, bsn=bsns[0])
        sim.state.set_fault(FaultKind.HTTP_500, bsn=bsns[1])
        result = elk(instance, sim, "--board", "1")
        assert result.exit_code == 3, result.output
        assert "Mislukt" in result.output
        assert f"******{bsns[0][-3:]}" in result.output
        assert "Afgekeurd" in result.output
        assert "Fout" in result.output
        assert bsns[0] not in result.output
        sim.state.set_fault(FaultKind.HTTP_500, bsn=bsns[0])
        only_errors = elk(instance, sim, "--all", "--only-final-test")
        assert only_errors.exit_code == 7, only_errors.output

    def test_a_dossier_breaking_the_official_rules_is_merged_and_listed_to_fix(
        self, instance: Path, sim: SimulatorServer
    ) -> None:
        bsns = sorted(snapshot(instance)["pupils"])
        sim.state.set_fault(FaultKind.BREAKS_RULES, bsn=bsns[0])
        result = elk(instance, sim, "--school", "12AB00")
        assert result.exit_code == 0, result.output  # merged: it passed the XSD
        output = " ".join(result.output.split())
        assert "1 dossier(s) wijken af van de officiële OSO-regels." in output
        assert "Herstel in het LAS (officiële OSO-regels)" in output
        assert f"******{bsns[0][-3:]}" in output
        assert "Categorie" in output
        assert bsns[0] not in output
        assert snapshot(instance)["pupils"][bsns[0]]["fields"]  # the dossier was merged

    def test_scope_and_mode_are_checked(self, instance: Path, sim: SimulatorServer) -> None:
        none = elk(instance, sim)
        assert none.exit_code == 3
        assert "precies één bereik" in none.output
        both = elk(instance, sim, "--all", "--overwrite", "--only-final-test")
        assert both.exit_code == 2
        unknown = elk(instance, sim, "--school", "99ZZ00")
        assert unknown.exit_code == 4


def advice_field(instance: Path, bsn: str) -> FieldValue | None:
    """The stored definitive advice of the pupil with ``bsn``, with its provenance."""
    engine = make_engine(f"sqlite:///{instance / 'elk.sqlite3'}")
    with SqlAlchemyUnitOfWork(engine) as uow:
        [pupil] = [
            p for s in uow.schools.list() for p in uow.pupils.list(s.id) if p.bsn == Bsn(bsn)
        ]
        found = uow.okidocs.for_pupil(pupil.id).fields.get(f.ADVICE_DEFINITIVE)
    engine.dispose()
    return found


class TestInferredAdvice:
    """ELK_OSO_TRUST_INFERRED_ADVICE reaches the batch: settings → bootstrap → sync use case."""

    def sync(self, tmp_path: Path, sim: SimulatorServer, setting: str) -> tuple[Result, Path]:
        self.inferable = add_pupil_with_advice(sim.state, "51")
        self.unknown = add_pupil_with_advice(sim.state, "70")  # no inference at all
        instance = tmp_path / "instance"
        seed_database(instance, [self.inferable, self.unknown])
        env = {**environment(instance, sim), "ELK_OSO_TRUST_INFERRED_ADVICE": setting}
        result = CliRunner(env=env).invoke(cli, ["oso", "sync", "--all"], catch_exceptions=False)
        return result, instance

    def test_trusted_code_51_becomes_havo_vwo_marked_inferred(
        self, tmp_path: Path, sim: SimulatorServer
    ) -> None:
        result, instance = self.sync(tmp_path, sim, "1")
        assert result.exit_code == 0, result.output
        field = advice_field(instance, self.inferable)
        assert field is not None
        assert (field.value, field.provenance.inferred_from) == ("havo/vwo", "51")
        assert advice_field(instance, self.unknown) is None
        output = " ".join(result.output.split())
        assert "1 leerling(en): definitief advies afgeleid uit de OSO-adviescode" in output
        assert "Advies met de hand invullen" in output
        assert f"******{self.unknown[-3:]}" in output
        assert "OSO-adviescode '70'" in output
        assert f"******{self.inferable[-3:]}" not in output
        assert self.unknown not in output

    def test_untrusted_code_51_stays_empty_and_needs_manual_entry(
        self, tmp_path: Path, sim: SimulatorServer
    ) -> None:
        result, instance = self.sync(tmp_path, sim, "0")
        assert result.exit_code == 0, result.output
        assert advice_field(instance, self.inferable) is None
        output = " ".join(result.output.split())
        assert "afgeleid uit de OSO-adviescode" not in output
        assert f"******{self.inferable[-3:]}" in output
        assert "OSO-adviescode '51' kan niet zeker worden vertaald" in output

    def test_a_mistyped_setting_is_refused_by_name(
        self, tmp_path: Path, sim: SimulatorServer
    ) -> None:
        result, _ = self.sync(tmp_path, sim, "ja")
        assert result.exit_code == 3
        assert "ELK_OSO_TRUST_INFERRED_ADVICE moet 0 (uit) of 1 (aan) zijn, niet 'ja'." in (
            result.output
        )


class TestInterrupt:
    def test_ctrl_c_finishes_the_pupils_in_progress_and_stops(
        self, instance: Path, sim: SimulatorServer
    ) -> None:
        from elk_adapters.bootstrap import bootstrap

        settings = Settings.from_env(environment(instance, sim))
        services = bootstrap(settings, clock=FixedClock())
        sim.state.set_fault(FaultKind.LATENCY, bsn=ALL, seconds=0.15)
        with services.uow() as uow:
            ids = [p.id for s in uow.schools.list() for p in uow.pupils.list(s.id)]
        interrupted: list[int] = []

        def done(_item: object) -> None:
            if not interrupted:
                interrupted.append(1)
                os.kill(os.getpid(), signal.SIGINT)  # as if the operator pressed Ctrl-C

        items, stopped = sync_batch(services, Actor.system(), ids, MergeMode.FILL, 1, done=done)
        assert stopped
        assert 1 <= len(items) < len(ids)
        assert all(item.outcome.name == "SYNCED" for item in items)

    def test_ctrl_c_with_worker_processes_finishes_the_pupils_in_progress(
        self, instance: Path, sim: SimulatorServer
    ) -> None:
        from elk_adapters.bootstrap import bootstrap

        settings = Settings.from_env(environment(instance, sim))
        services = bootstrap(settings, clock=FixedClock())
        more = [sim.state.add_pupil(LOCATION) for _ in range(12)]
        add_pupils(instance, more)
        sim.state.set_fault(FaultKind.LATENCY, bsn=ALL, seconds=0.1)
        with services.uow() as uow:
            ids = [p.id for s in uow.schools.list() for p in uow.pupils.list(s.id)]
        interrupted: list[int] = []

        def done(_item: object) -> None:
            if not interrupted:
                interrupted.append(1)
                os.kill(os.getpid(), signal.SIGINT)

        items, stopped = sync_batch(
            services, Actor.system(), ids, MergeMode.FILL, 4, processes=2, done=done
        )
        assert stopped
        assert 1 <= len(items) < len(ids)
        assert all(item.outcome.name == "SYNCED" for item in items), [
            (i.outcome, i.message) for i in items
        ]
        assert _synced(instance) == len(items)  # what was reported is what was committed

    def test_ctrl_c_at_the_terminal_stops_the_command_and_its_workers(
        self, instance: Path, sim: SimulatorServer
    ) -> None:
        more = [sim.state.add_pupil(LOCATION) for _ in range(20)]
        add_pupils(instance, more)
        sim.state.set_fault(FaultKind.LATENCY, bsn=ALL, seconds=0.1)
        env = {**os.environ, **environment(instance, sim)}
        command = [str(ELK), "oso", "sync", "--all", "--concurrency", "4"]
        # A session of its own, like a shell's foreground job: Ctrl-C goes to the group.
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        _wait_for_syncs(instance, at_least=3, process=process)
        workers = children(process.pid)
        os.killpg(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=60)
        text = output.decode()
        assert process.returncode == 130, text
        assert "Onderbroken" in text
        assert "Niet gedaan (onderbroken)" in text
        assert len(workers) == 2
        assert _eventually(lambda: not any(map(alive, workers)))
        synced = _synced(instance)
        assert 3 <= synced < 24
        assert re.search(rf"Gesynchroniseerd\s*│\s*{synced}\s*│", text)  # all done are reported


class TestWorkerProcesses:
    def test_one_per_cpu_at_most_the_concurrency_and_none_for_one_at_a_time(self) -> None:
        assert worker_processes(1) == 0
        assert worker_processes(4, 0) == 0
        assert worker_processes(4, 3) == 3
        assert worker_processes(2, 8) == 2
        cpus = len(os.sched_getaffinity(0))
        assert worker_processes(16) == (min(cpus, 16) if cpus > 1 else 0)

    def test_end_in_the_same_state_as_threads_in_one_process(
        self, tmp_path: Path, sim: SimulatorServer
    ) -> None:
        bsns = [sim.state.add_pupil(LOCATION) for _ in range(8)]
        sim.state.set_fault(FaultKind.WRONG_BRIN, bsn=bsns[0])
        sim.state.set_fault(FaultKind.INVALID, bsn=bsns[1])
        outputs = {}
        for processes in ("0", "2"):
            instance = tmp_path / f"p{processes}"
            seed_database(instance, bsns)
            result = elk(instance, sim, "--all", "--concurrency", "4", "--processes", processes)
            assert result.exit_code == 3, result.output
            outputs[processes] = (snapshot(instance), _failures(result.output))
        assert outputs["0"] == outputs["2"]
        assert "Het dossier komt van BRIN 99ZZ" in outputs["2"][1]
        assert "voldoet niet aan het OSO-schema" in outputs["2"][1]


def _failures(output: str) -> str:
    """The failure lines printed during the batch, one per pupil, in a stable order."""
    lines = [line for line in output.splitlines() if line.startswith(("Afgekeurd", "Fout"))]
    return "\n".join(sorted(lines))


def add_pupils(instance: Path, bsns: list[str], *, start: int = 100) -> None:
    """More pupils (each with an empty Oki-doc) at the instance's only school."""
    engine = make_engine(f"sqlite:///{instance / 'elk.sqlite3'}")
    with SqlAlchemyUnitOfWork(engine) as uow:
        school = uow.schools.list()[0]
        for index, bsn in enumerate(bsns, start=start):
            pupil = uow.pupils.add(
                Pupil(
                    id=0, elk_number=ElkNumber(uow.pupils.next_elk_number()),
                    school_id=school.id, name=PersonName(f"Kind{index}", "Jansen"), bsn=Bsn(bsn),
                )
            )  # fmt: skip
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id))
        uow.commit()
    engine.dispose()


class TestCrash:
    def test_sigkill_mid_batch_then_rerun_equals_one_clean_run(
        self, tmp_path: Path, sim: SimulatorServer
    ) -> None:
        bsns = [sim.state.add_pupil(LOCATION) for _ in range(24)]
        template = tmp_path / "template"
        seed_database(template, bsns)
        crashed, clean = tmp_path / "crashed", tmp_path / "clean"
        shutil.copytree(template, crashed)
        shutil.copytree(template, clean)
        sim.state.set_fault(FaultKind.LATENCY, bsn=ALL, seconds=0.05)
        command = [str(ELK), "oso", "sync", "--all", "--concurrency", "3"]

        def run(instance: Path) -> subprocess.Popen[bytes]:
            env = {**os.environ, **environment(instance, sim)}
            with (instance.parent / f"{instance.name}.log").open("ab") as log:
                return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)

        victim = run(crashed)
        done_before_kill = _wait_for_syncs(crashed, at_least=5, process=victim)
        workers = children(victim.pid)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
        assert victim.returncode == -signal.SIGKILL
        assert done_before_kill < len(bsns), "the batch finished before it could be killed"
        assert len(workers) == 2, "--concurrency 3 fetches in two worker processes"
        assert _eventually(lambda: not any(map(alive, workers))), "orphaned OSO workers"
        rerun = run(crashed)
        assert rerun.wait(timeout=120) == 0, (tmp_path / "crashed.log").read_text()
        reference = run(clean)
        assert reference.wait(timeout=120) == 0, (tmp_path / "clean.log").read_text()
        after_crash, after_clean = snapshot(crashed), snapshot(clean)
        assert len(after_clean["pupils"]) == len(bsns)
        assert all(p["fields"] for p in after_clean["pupils"].values())
        assert after_crash == after_clean


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux: /proc/PID/task/*/children)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.extend(int(c) for c in (task / "children").read_text().split())
    return found


def _eventually(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not condition():
        time.sleep(0.02)
    return condition()


def _synced(instance: Path) -> int:
    engine = sa.create_engine(f"sqlite:///{instance / 'elk.sqlite3'}")
    query = sa.text("SELECT count(*) FROM audit_log WHERE action = 'okidoc.oso_synchroniseren'")
    try:
        with engine.connect() as connection:
            return int(connection.execute(query).scalar_one())
    finally:
        engine.dispose()


def _wait_for_syncs(instance: Path, *, at_least: int, process: subprocess.Popen[bytes]) -> int:
    """Poll the database until ``at_least`` pupils were synced; returns how many were."""
    engine = sa.create_engine(f"sqlite:///{instance / 'elk.sqlite3'}")
    query = sa.text("SELECT count(*) FROM audit_log WHERE action = 'okidoc.oso_synchroniseren'")
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and process.poll() is None:
            with engine.connect() as connection:
                count = int(connection.execute(query).scalar_one())
            if count >= at_least:
                return count
            time.sleep(0.02)
    finally:
        engine.dispose()
    raise AssertionError(f"no {at_least} syncs before the process ended ({process.returncode})")
