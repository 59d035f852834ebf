"""``ProcessOsoGateway``: ``fetch_dossier`` in worker processes, so the GIL is not the limit.

A fetch is three SOAP calls through zeep and the parse + XSD validation of the dossier: about
two thirds of ELK's CPU per pupil in a batch sync, and all of it without the database. The
batch's threads (``elk oso sync --concurrency``) stay in this process and keep doing the
permission check and the merge in their own transactions, so only one process ever writes
the database; each call to ``fetch_dossier`` waits for a worker process to do the fetch.

Worker processes (``pool_worker.py``) are started with ``subprocess`` in a session of their own
(a Ctrl-C at the terminal reaches only this process), get the gateway factory pickled, and
run ``threads`` fetches at a time. They exit on ``close``, once their calls in progress are
done, and at once when this process dies, even by SIGKILL (their socket reads end of file).
Decision record: docs/decisions/0031-oso-sync-processes.md.
"""

from __future__ import annotations

import contextlib
import itertools
import pickle
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Self

import elk_adapters
from elk_adapters.oso.lazy import LazyOsoGateway
from elk_domain.errors import Unavailable
from elk_domain.kernel.values import Bsn, SchoolLocation
from elk_domain.oso.dossiers.dossier import OsoDossier

if TYPE_CHECKING:
    from elk_domain.oso.ports import OsoGateway

_BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from elk_adapters.oso.pool_worker import main; main()"
)
_SOURCE_ROOT = str(Path(elk_adapters.__file__).resolve().parent.parent)
#: Seconds to wait for a worker that closed its socket to exit.
EXIT_WAIT = 5.0


def gone(code: int | None) -> Unavailable:
    """The error of a fetch whose worker process stopped before it answered."""
    how = f" (afsluitcode {code})" if code is not None else ""
    return Unavailable(
        f"Het hulpproces voor de OSO-gesprekken is onverwacht gestopt{how}. "
        "Probeer de leerling opnieuw."
    )


class _Worker:
    """One worker process: requests out, answers in by a reader thread."""

    def __init__(self, payload: bytes, threads: int, name: str, exit_wait: float) -> None:
        ours, theirs = socket.socketpair()
        # SIGINT stays blocked in the worker until it has set it to ignored (pool_worker.main),
        # so even a SIGINT sent while it starts cannot kill it; the mask is this thread's only.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self._process = subprocess.Popen(  # noqa: S603  (our own interpreter and module)
                [sys.executable, "-c", _BOOT, _SOURCE_ROOT, str(theirs.fileno()), str(threads)],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # not in the terminal's process group: no Ctrl-C
            )
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            theirs.close()
        self._connection = Connection(ours.detach())
        self._pending: dict[int, Future[OsoDossier | None]] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()
        self._alive = True
        self._exit_wait = exit_wait
        with contextlib.suppress(OSError):  # died at once: the reader sees it and says so
            self._connection.send(list(sys.path))
            self._connection.send_bytes(payload)
        self._reader = threading.Thread(target=self._read, name=f"{name}-reader", daemon=True)
        self._reader.start()

    @property
    def load(self) -> int | None:
        """Requests waiting for an answer; None once the process is gone."""
        return len(self._pending) if self._alive else None

    def fetch(self, location: SchoolLocation, bsn: Bsn) -> Future[OsoDossier | None]:
        """Send one request; the future holds the dossier or the error raised in the worker."""
        future: Future[OsoDossier | None] = Future()
        with self._lock:
            if not self._alive:
                future.set_exception(gone(self._process.poll()))
                return future
            ident = next(self._ids)
            self._pending[ident] = future
            # A dead worker: its reader thread sees the end and fails every pending request.
            with contextlib.suppress(OSError):
                self._connection.send((ident, location, bsn))
        return future

    def _read(self) -> None:
        try:
            while True:
                ident, ok, value = pickle.loads(self._connection.recv_bytes())  # noqa: S301
                with self._lock:
                    future = self._pending.pop(ident)
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)
        except (EOFError, OSError):  # the worker exited: asked to, or it crashed
            pass
        except BaseException:  # an answer that does not unpickle: a bug, so stop this worker
            self._process.kill()
            raise
        finally:
            self._ended()

    def _ended(self) -> None:
        """Fail whatever the worker had not answered; it will never answer now."""
        try:
            code = self._process.wait(timeout=EXIT_WAIT)
        except subprocess.TimeoutExpired:  # closed its socket but lives on
            code = None
        with self._lock:
            self._alive = False
            pending, self._pending = self._pending, {}
        for future in pending.values():
            future.set_exception(gone(code))

    def close(self) -> None:
        """Ask the worker to exit (kill it if it lingers) and wait for the reader thread."""
        with self._lock, contextlib.suppress(OSError):
            self._connection.send(None)
        try:
            self._process.wait(timeout=self._exit_wait)
        except subprocess.TimeoutExpired:  # an OSO call that outlives its timeout
            self._process.kill()
            self._process.wait()
        self._reader.join()
        self._connection.close()

    @property
    def pid(self) -> int:
        """The worker's process id (tests look for it after the parent died)."""
        return self._process.pid


class ProcessOsoGateway(LazyOsoGateway):
    """``OsoGateway`` whose ``fetch_dossier`` runs in ``processes`` worker processes.

    ``build`` makes one gateway; it is pickled to each worker (a module-level function or a
    ``functools.partial`` of one), which calls it once per thread. The other operations run in
    this process, through the gateway it builds on first use (``LazyOsoGateway``). Use as a
    context manager, or ``start`` and ``close``; ``close`` waits up to ``exit_wait`` seconds for
    the workers' last OSO calls.
    Thread-safe: any number of threads may fetch at once; each request goes to the worker
    with the fewest requests in progress.
    """

    def __init__(
        self,
        build: Callable[[], OsoGateway],
        *,
        processes: int,
        threads: int,
        exit_wait: float = EXIT_WAIT,
    ) -> None:
        if processes < 1 or threads < 1:
            raise ValueError("processes and threads must be at least 1")
        super().__init__(build)
        self.processes, self.threads = processes, threads
        self._exit_wait = exit_wait
        self._workers: list[_Worker] = []

    @property
    def pids(self) -> Sequence[int]:
        """Process ids of the workers."""
        return [w.pid for w in self._workers]

    def start(self) -> Self:
        """Start the worker processes (they load zeep and the WSDL on their first request)."""
        payload = pickle.dumps(self._build)  # refuses an unpicklable factory here, not there
        try:
            for n in range(self.processes):
                name = f"oso-worker-{n}"
                self._workers.append(_Worker(payload, self.threads, name, self._exit_wait))
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        """Stop the workers once their calls in progress are done (killed after ``exit_wait``)."""
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def fetch_dossier(self, location: SchoolLocation, bsn: Bsn) -> OsoDossier | None:
        """See ``OsoGateway.fetch_dossier``; runs in the least busy worker process."""
        workers = self._workers
        loads = [(load, n) for n, w in enumerate(workers) if (load := w.load) is not None]
        if not loads:
            raise gone(None)
        return workers[min(loads)[1]].fetch(location, bsn).result()


if TYPE_CHECKING:
    _: type[OsoGateway] = ProcessOsoGateway  # mypy proves the adapter satisfies the port
