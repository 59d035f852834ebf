"""The composition root: the one place where ports meet adapters (web, CLI and tests use it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from elk_adapters.settings import Settings
from elk_adapters.system import SecretsRandom, SystemClock
from elk_domain.ports import Clock, FileStore, Mailer, PasswordHasher, RandomSource, UnitOfWork


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


def bootstrap(settings: Settings | None = None, **overrides: Any) -> Services:
    """Wire the real adapters for ``settings``; keyword overrides replace single parts."""
    from elk_adapters.mail.smtp import SmtpMailer
    from elk_adapters.persistence.database import SqlAlchemyUnitOfWork, make_engine, make_sessions
    from elk_adapters.security import Argon2PasswordHasher
    from elk_adapters.storage.filesystem import FilesystemFileStore

    settings = settings or Settings.from_env()
    parts: dict[str, Any] = {}
    if "uow" not in overrides:
        sessions = make_sessions(make_engine(settings.database_url))
        parts["uow"] = lambda: SqlAlchemyUnitOfWork(sessions)
    if "mailer" not in overrides:
        parts["mailer"] = SmtpMailer.from_settings(settings)
    if "files" not in overrides:
        parts["files"] = FilesystemFileStore(settings.files_path)
    parts.setdefault("clock", SystemClock())
    parts.setdefault("random", SecretsRandom())
    parts.setdefault("hasher", Argon2PasswordHasher(fast=settings.env == "test"))
    parts.update(overrides)
    return Services(settings=settings, **parts)
