"""The one batch engine for OSO work: ``elk oso sync``, the web's bulk sync, "Aanvragen overdracht".

``ThreadedOsoBatch`` is the domain's ``OsoBatch`` port: it runs a batch's jobs (one pupil each,
``elk_domain.oso.batch``) in ``concurrency`` threads of this process, each job in a
transaction of its own, and hands each job an OSO gateway from its ``GatewaySource``:

- ``shared(gateway)``: one gateway for every thread (the web: the app's own gateway; its
  transport sends through urllib3's thread-safe connection pool);
- ``per_thread(build)``: each thread builds its own on first use (zeep client, HTTP connection);
- ``in_processes(build, …)``: the dossier fetches run in worker processes
  (``pool.ProcessOsoGateway``, decision 0031), one gateway here shared by the threads.

A job that raises becomes its pupil's ERROR result and the batch goes on. Ctrl-C (a
KeyboardInterrupt in the thread that runs the batch) lets the jobs in progress finish, starts
no others, and the run says ``interrupted``. Decision record: 0040.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

from elk_adapters.oso.connect import gateway_options, zeep_gateway
from elk_adapters.oso.pool import EXIT_WAIT, ProcessOsoGateway
from elk_adapters.settings import Settings
from elk_domain.kernel.people import Actor
from elk_domain.kernel.ports import Clock, FileStore
from elk_domain.oso.batch import BatchPorts, BatchRun, OsoJob, Progress, PupilSync
from elk_domain.oso.dossiers.merge import MergeMode
from elk_domain.oso.import_dossier import MergeOptions
from elk_domain.oso.ports import OsoGateway
from elk_domain.oso.sync import sync_each
from elk_domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from elk_domain.oso.batch import OsoBatch

#: Where a run's jobs get their gateway: entered once per run, it yields the getter each job
#: calls (in its own thread) for the gateway to use.
GatewaySource = Callable[[], AbstractContextManager[Callable[[], OsoGateway]]]


def shared(gateway: OsoGateway) -> GatewaySource:
    """Every job uses ``gateway`` (it must be safe to call from several threads)."""
    return lambda: contextlib.nullcontext(lambda: gateway)


def per_thread(build: Callable[[], OsoGateway]) -> GatewaySource:
    """Each thread of a run builds its own gateway with ``build``, on its first job."""

    def source() -> AbstractContextManager[Callable[[], OsoGateway]]:
        local = threading.local()

        def gateway() -> OsoGateway:
            if not hasattr(local, "gateway"):
                local.gateway = build()
            built: OsoGateway = local.gateway
            return built

        return contextlib.nullcontext(gateway)

    return source


def in_processes(
    build: Callable[[], OsoGateway], *, processes: int, threads: int, exit_wait: float = EXIT_WAIT
) -> GatewaySource:
    """The fetches in ``processes`` worker processes of ``threads`` each, started for the run
    and stopped after it (``build`` is pickled to them: a module-level function or a partial)."""

    @contextlib.contextmanager
    def source() -> Iterator[Callable[[], OsoGateway]]:
        pool = ProcessOsoGateway(build, processes=processes, threads=threads, exit_wait=exit_wait)
        with pool:
            yield lambda: pool  # thread-safe: one for all threads

    return source


def worker_processes(concurrency: int, processes: int | None = None) -> int:
    """Processes for the OSO calls: by default one per CPU, at most ``concurrency``; 0 = none.

    With one CPU, or one pupil at a time, worker processes only add their start-up cost.
    """
    if processes is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        processes = min(cpus or 1, concurrency) if (cpus or 1) > 1 else 0
    return min(processes, concurrency) if concurrency > 1 else 0


class ThreadedOsoBatch:
    """``OsoBatch``: the jobs in ``concurrency`` threads, with gateways from ``gateways``."""

    def __init__(self, gateways: GatewaySource, *, concurrency: int) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._gateways, self.concurrency = gateways, concurrency

    @classmethod
    def for_factory(
        cls,
        build: Callable[[], OsoGateway],
        *,
        concurrency: int,
        processes: int | None = None,
        exit_wait: float = EXIT_WAIT,
    ) -> ThreadedOsoBatch:
        """As ``elk oso sync`` runs: ``worker_processes(concurrency, processes)`` processes
        fetch; without them each thread builds its own gateway."""
        workers = worker_processes(concurrency, processes)
        if not workers:
            return cls(per_thread(build), concurrency=concurrency)
        threads = -(-concurrency // workers)
        fetching = in_processes(build, processes=workers, threads=threads, exit_wait=exit_wait)
        return cls(fetching, concurrency=concurrency)

    def run(self, jobs: Sequence[OsoJob], progress: Progress | None = None) -> BatchRun:
        """See ``OsoBatch.run``."""
        with self._gateways() as gateway:
            return _in_threads(jobs, gateway, self.concurrency, progress or _ignore)


def _ignore(_: PupilSync) -> None:
    return None


def _in_threads(
    jobs: Sequence[OsoJob],
    gateway: Callable[[], OsoGateway],
    concurrency: int,
    progress: Progress,
) -> BatchRun:
    def one(job: OsoJob) -> PupilSync:
        try:
            return job.work(gateway())
        except Exception as error:  # one pupil's crash must not end the batch
            return job.crashed(error)

    executor = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="oso-batch")
    futures: list[Future[PupilSync]] = [executor.submit(one, job) for job in jobs]
    for future in futures:
        future.add_done_callback(lambda f: None if f.cancelled() else progress(f.result()))
    try:
        wait(futures)
    except KeyboardInterrupt:
        executor.shutdown(wait=True, cancel_futures=True)
        done = (f.result() for f in futures if f.done() and not f.cancelled())
        return BatchRun(tuple(done), interrupted=True)
    executor.shutdown(wait=True)
    return BatchRun(tuple(f.result() for f in futures))


class BatchServices(Protocol):
    """What ``sync_batch`` uses of ``elk_adapters.bootstrap.Services``."""

    @property
    def settings(self) -> Settings:
        """The installation's settings (OSO endpoint, timeout, trusted advice codes)."""
        ...

    @property
    def uow(self) -> Callable[[], UnitOfWork]:
        """A new unit of work per job."""
        ...

    @property
    def files(self) -> FileStore:
        """Where the dossiers' attachments go."""
        ...

    @property
    def clock(self) -> Clock:
        """The time of the merges and their audit rows."""
        ...


def sync_batch(
    services: BatchServices,
    actor: Actor,
    ids: Sequence[int],
    mode: MergeMode,
    concurrency: int,
    *,
    processes: int | None = None,
    done: Progress | None = None,
) -> tuple[list[PupilSync], bool]:
    """``elk oso sync``: sync ``ids`` (from ``sync_scope``) ``concurrency`` at a time.

    The OSO calls and the parsing run in ``worker_processes(concurrency, processes)`` worker
    processes; the permission checks and the merges stay in this process's threads, one
    transaction per pupil. ``done`` hears each result. Returns the results in the order of
    ``ids`` and whether the batch was interrupted (Ctrl-C: the running pupils were finished).
    """
    settings = services.settings
    gateway_options(settings, {})  # refuse clashing settings here rather than in every job
    batch = ThreadedOsoBatch.for_factory(
        functools.partial(zeep_gateway, settings),
        concurrency=concurrency,
        processes=processes,
        exit_wait=settings.oso_timeout + 5,  # the sign-off calls still running (never retried)
    )
    options = MergeOptions(mode=mode, trust_inferred_advice=settings.oso_trust_inferred_advice)
    ports = BatchPorts(services.uow, batch, services.files, services.clock)
    report = sync_each(ports, actor, ids, options, progress=done)
    return list(report.items), report.interrupted


if TYPE_CHECKING:
    _: type[OsoBatch] = ThreadedOsoBatch  # mypy proves the engine satisfies the port
