"""The worker process of ``ProcessOsoGateway``: fetches dossiers, never touches the database.

Started by ``pool.py`` as ``python -c BOOT SRC_ROOT FD THREADS`` in a session of its own, so a
Ctrl-C at the terminal reaches only the parent, which decides what to finish. Speaks pickled
tuples over the socket ``FD``: first the parent's ``sys.path``, then the pickled gateway
factory, then requests ``(id, location, bsn)`` and finally ``None``; each answer is
``(id, ok, dossier | error)``.
``THREADS`` requests run at a time, each thread with its own gateway (zeep client and HTTP
connection); the answer goes out before the sign-off call, which overlaps the parent's merge.
``None`` (the parent is done) ends the process once the calls in progress are done; end of
file (the parent died, even by SIGKILL) ends it at once: it holds nothing that needs saving.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from elk_domain.kernel.values import Bsn, SchoolLocation
from elk_domain.oso.dossiers.dossier import OsoDossier

if TYPE_CHECKING:
    from elk_domain.oso.ports import OsoGateway


class WorkerError(Exception):
    """An error raised in a worker process that could not be sent back as itself."""


def sendable(error: BaseException) -> Exception:
    """``error`` when it is an ``Exception`` that survives pickling both ways, else a
    ``WorkerError`` naming it (the parent reports it for that pupil like any other crash)."""
    named = WorkerError(f"{type(error).__name__}: {error}")
    if not isinstance(error, Exception):
        return named
    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301  (our own bytes, just made)
    except Exception:
        return named
    return error


class _Replies:
    """Answers to the parent, one at a time (threads finish in any order)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()

    def send(self, ident: int, ok: bool, value: object) -> None:
        payload = pickle.dumps((ident, ok, value), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            with self._lock:
                self._connection.send_bytes(payload)
        except OSError:  # the parent is gone: nobody wants the answer
            os._exit(0)


@runtime_checkable
class _AnswersEarly(Protocol):
    """A gateway that can hand over the dossier before it signs off (``ZeepOsoGateway``)."""

    def fetching(
        self, location: SchoolLocation, bsn: Bsn
    ) -> AbstractContextManager[OsoDossier | None]: ...


def _fetcher(build: Callable[[], OsoGateway], replies: _Replies) -> Callable[..., None]:
    """The per-request job: fetch with this thread's own gateway, answer exactly once.

    The answer goes out as soon as the dossier is read; the sign-off call follows in this
    thread while the parent merges.
    """
    local = threading.local()

    def fetch(ident: int, location: SchoolLocation, bsn: Bsn) -> None:
        answered = False
        try:
            if not hasattr(local, "gateway"):
                local.gateway = build()
            gateway = local.gateway
            if isinstance(gateway, _AnswersEarly):
                with gateway.fetching(location, bsn) as dossier:
                    answered = True
                    replies.send(ident, True, dossier)
            else:
                dossier = gateway.fetch_dossier(location, bsn)
                answered = True
                replies.send(ident, True, dossier)
        except BaseException as error:  # every request gets an answer, or the parent waits
            if not answered:
                replies.send(ident, False, sendable(error))
            else:  # the sign-off after the answer: the gateway already drops OSO's own errors
                traceback.print_exc()

    return fetch


def main() -> None:
    """Serve fetch requests until the parent says it is done (``None``) or dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent alone handles Ctrl-C
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked since the start
    connection = Connection(int(sys.argv[2]))
    threads = int(sys.argv[3])
    try:
        sys.path[:] = connection.recv()
        build: Callable[[], OsoGateway] = pickle.loads(connection.recv_bytes())  # noqa: S301
        fetch = _fetcher(build, _Replies(connection))
        pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="oso-fetch")
        while (request := connection.recv()) is not None:
            pool.submit(fetch, *request)
        pool.shutdown(wait=True)  # the parent is done: let the last sign-offs finish
    except (EOFError, OSError):
        pass  # the parent died: requests in progress have nobody left to answer to
    os._exit(0)
