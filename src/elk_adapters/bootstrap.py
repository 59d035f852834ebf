"""The composition root: the one place where ports meet adapters (web, CLI and tests use it).

It wires and does nothing else: the schema is migrated by ``elk db upgrade``
(``elk_adapters.persistence.schema``), the OSO simulator runs in the demo stack
(``elk_adapters.demo.stack``). Decision record: 0040.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

import attrs

from elk_adapters.mail.outbox import CapturedMail, read_outbox
from elk_adapters.settings import Settings
from elk_adapters.system import SecretsRandom, SystemClock
from elk_domain.documents.ports import DocumentRenderer
from elk_domain.finaltest.ports import ResultFileReader
from elk_domain.kernel.ports import Clock, FileStore, Mailer, PasswordHasher, RandomSource
from elk_domain.oso.batch import BatchPorts, OsoBatch
from elk_domain.oso.ports import OsoGateway
from elk_domain.unit_of_work import UnitOfWork

__all__ = [
    "CapturedMail",
    "Services",
    "bootstrap",
    "mail_worker",
    "oso_gateway",
]

#: Pupils a batch of the web (bulk sync, "Aanvragen overdracht") runs at once, in threads of
#: the serving process, over the app's own OSO gateway (decision 0040).
WEB_OSO_CONCURRENCY = 4


def _result_reader() -> ResultFileReader:
    from elk_adapters.imports.result_files import ZipResultFileReader

    return ZipResultFileReader()


def _no_outbox() -> Sequence[CapturedMail]:
    return ()


def _pdf_renderer() -> DocumentRenderer:
    from elk_adapters.documents import Xhtml2PdfRenderer  # imports xhtml2pdf on first render

    return Xhtml2PdfRenderer()


@attrs.frozen(kw_only=True)
class Services:
    """Everything a use case may need, wired for one installation."""

    settings: Settings
    uow: Callable[[], UnitOfWork]
    clock: Clock
    random: RandomSource
    mailer: Mailer
    files: FileStore
    hasher: PasswordHasher
    # The OSO exchange (R-OSO); built lazily from the ELK_OSO_* settings.
    oso: OsoGateway
    # The mail captured by the demo's local SMTP server, newest first ("Verzonden e-mail").
    outbox: Callable[[], Sequence[CapturedMail]] = _no_outbox
    # PDFs of the Oki-doc, the registration form and the consent form (R-DOC-1).
    documents: DocumentRenderer = attrs.field(factory=_pdf_renderer)
    # Units of work for pure readers (page views): on SQLite they start DEFERRED and skip the
    # in-process write lock, so reading pages never queues behind writers. None: use ``uow``.
    read_uow: Callable[[], UnitOfWork] | None = None
    # The doorstroomtoets providers' result files (R-DT-2, decision 0047).
    final_test_results: ResultFileReader = attrs.field(factory=_result_reader)

    def reader(self) -> UnitOfWork:
        """A unit of work for a use case that only reads (it must not commit changes)."""
        return (self.read_uow or self.uow)()

    @property
    def oso_batch(self) -> OsoBatch:
        """The batch engine for the web's OSO batches, over ``oso`` (also when it is replaced)."""
        from elk_adapters.oso.batch import ThreadedOsoBatch, shared

        return ThreadedOsoBatch(shared(self.oso), concurrency=WEB_OSO_CONCURRENCY)

    @property
    def oso_ports(self) -> BatchPorts:
        """What the web's OSO batches run on: units of work, ``oso_batch``, files and clock."""
        return BatchPorts(self.uow, self.oso_batch, self.files, self.clock)


def bootstrap(settings: Settings | None = None, **overrides: Any) -> Services:
    """Wire the real adapters for ``settings``; keyword overrides replace single parts."""
    from elk_adapters.mail.smtp import SmtpMailer
    from elk_adapters.persistence.database import (
        SqlAlchemyUnitOfWork,
        make_engine,
        write_lock_for,
    )
    from elk_adapters.persistence.schema import ensure_sqlite_file
    from elk_adapters.security import Argon2PasswordHasher
    from elk_adapters.storage.filesystem import FilesystemFileStore

    settings = settings or Settings.from_env()
    parts: dict[str, Any] = {}
    if "uow" not in overrides:
        ensure_sqlite_file(settings)  # private from the start (0600), not the umask's mode
        engine = make_engine(settings.database_url)
        lock = write_lock_for(engine)
        parts["uow"] = lambda: SqlAlchemyUnitOfWork(engine, write_lock=lock)
        parts["read_uow"] = lambda: SqlAlchemyUnitOfWork(engine, read_only=True)
    if "mailer" not in overrides:
        parts["mailer"] = SmtpMailer.from_settings(settings)
    if "files" not in overrides:
        parts["files"] = FilesystemFileStore(settings.files_path)
    if "oso" not in overrides:
        parts["oso"] = oso_gateway(settings)
    parts.setdefault("clock", SystemClock())
    parts.setdefault("random", SecretsRandom())
    parts.setdefault("hasher", Argon2PasswordHasher(fast=settings.env == "test"))
    parts.setdefault("outbox", functools.partial(read_outbox, settings.outbox_path))
    parts.update(overrides)
    return Services(settings=settings, **parts)


def mail_worker(
    services: Services, *, interval: float | None = None
) -> AbstractContextManager[object]:
    """A thread delivering the outbox while the context is open (``elk serve``, the demo).

    ``interval`` (default: ``ELK_MAIL_INTERVAL``) is the pause between rounds in seconds;
    0 runs no worker (then ``elk mail deliver`` must run, say from cron).
    """
    from elk_adapters.mail.worker import MailWorker
    from elk_domain.kernel.mail_queue import deliver_pending_mail

    seconds = services.settings.mail_interval if interval is None else interval
    if seconds <= 0:
        return contextlib.nullcontext()
    return MailWorker(
        lambda: deliver_pending_mail(services.uow(), services.clock, services.mailer), seconds
    )


def oso_gateway(settings: Settings, **options: Any) -> OsoGateway:
    """The SOAP gateway for ``settings`` (built on first use); ``options`` override the settings."""
    from elk_adapters.oso.connect import lazy_gateway

    return lazy_gateway(settings, **options)
