"""Production defaults of the ``elk`` command: no demo by accident, no weak secret key, no
readable files (through click's CliRunner on a temporary instance).

``elk serve`` itself is replaced by a recorder here (waitress would block the test); the real
server is started in a subprocess in test_demo_run.py.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from elk_cli import serve as serve_module
from elk_cli.errors import EXIT_CODES
from elk_cli.main import cli
from elk_domain.errors import ErrorKind

HOW_TO = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'
REJECTED = EXIT_CODES[ErrorKind.REJECTED]
STRONG = secrets.token_urlsafe(48)


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    return tmp_path / "instance"


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The apps ``elk serve`` would have served."""
    apps: list[Any] = []
    monkeypatch.setattr(serve_module, "run_server", lambda app, **_options: apps.append(app))
    return apps


def _elk(instance: Path, *args: str, **env: str | None) -> Result:
    """``elk ARGS`` with only the given ELK_* variables set (None: unset)."""
    unset: dict[str, str | None] = {name: None for name in os.environ if name.startswith("ELK_")}
    environment = {**unset, "ELK_INSTANCE_PATH": str(instance), **env}
    return CliRunner(env=environment).invoke(cli, list(args), catch_exceptions=False)


def _env_of(app: Any) -> str:
    return str(app.extensions["elk"].settings.env)


class TestServe:
    def test_without_settings_it_refuses_and_says_how_to_make_a_key(
        self, instance: Path, started: list[Any]
    ) -> None:
        result = _elk(instance, "serve")

        assert started == [], f"elk serve started in {_env_of(started[0])} mode"
        assert result.exit_code == REJECTED
        assert "ELK_SECRET_KEY" in result.output
        assert HOW_TO in result.output

    def test_with_a_strong_key_it_serves_production(
        self, instance: Path, started: list[Any]
    ) -> None:
        assert _elk(instance, "db", "upgrade", ELK_SECRET_KEY=STRONG).exit_code == 0
        result = _elk(instance, "serve", ELK_SECRET_KEY=STRONG)

        assert result.exit_code == 0, result.output
        assert [_env_of(app) for app in started] == ["production"]
        assert started[0].config["SESSION_COOKIE_SECURE"] is True

    @pytest.mark.parametrize("kind", ["demo", "test"])
    def test_a_demo_or_test_environment_needs_the_demo_flag(
        self, instance: Path, started: list[Any], kind: str
    ) -> None:
        result = _elk(instance, "serve", ELK_ENV=kind)

        assert started == []
        assert result.exit_code == REJECTED
        assert "elk demo run" in result.output
        assert "--demo" in result.output

    def test_the_demo_flag_serves_the_demo_environment(
        self, instance: Path, started: list[Any]
    ) -> None:
        assert _elk(instance, "db", "upgrade").exit_code == 0
        result = _elk(instance, "serve", "--demo")

        assert result.exit_code == 0, result.output
        assert [_env_of(app) for app in started] == ["demo"]

    @pytest.mark.parametrize("upgraded_to", [None, "base"], ids=["new", "downgraded"])
    def test_an_unmigrated_database_is_refused_and_named_how_to_upgrade(
        self, instance: Path, started: list[Any], upgraded_to: str | None
    ) -> None:
        if upgraded_to is not None:  # migrated once, then taken back to an older revision
            assert _elk(instance, "db", "upgrade", ELK_SECRET_KEY=STRONG).exit_code == 0
            downgraded = _elk(
                instance, "db", "downgrade", "--revision", upgraded_to, ELK_SECRET_KEY=STRONG
            )
            assert downgraded.exit_code == 0, downgraded.output
        result = _elk(instance, "serve", ELK_SECRET_KEY=STRONG)

        assert started == [], "elk serve served a database without the current schema"
        assert result.exit_code == REJECTED, result.output
        assert "elk db upgrade" in result.output
        assert "ELK_DATABASE_URL" in result.output

    def test_the_demo_flag_does_not_mix_with_production(
        self, instance: Path, started: list[Any]
    ) -> None:
        result = _elk(instance, "serve", "--demo", ELK_ENV="production", ELK_SECRET_KEY=STRONG)

        assert started == []
        assert result.exit_code == REJECTED


WEAK_KEYS = {
    "empty": "",
    "short": secrets.token_urlsafe(16),
    "one character": "x" * 40,
    "repeated pattern": "abcd1234" * 6,
    "placeholder": "please-change-me-this-is-not-a-real-key-0123",
    "a phrase with 'secret'": "my-super-Secret-key-for-elk-production-2026",
    "placeholder in capitals": "CHANGEME-changeme-CHANGEME-changeme-42",
    "spaces": " " * 64,
}


class TestSecretKey:
    @pytest.mark.parametrize("key", WEAK_KEYS.values(), ids=WEAK_KEYS.keys())
    def test_a_weak_key_is_refused_in_production(self, instance: Path, key: str) -> None:
        result = _elk(instance, "db", "upgrade", ELK_ENV="production", ELK_SECRET_KEY=key)

        assert result.exit_code == REJECTED
        assert "ELK_SECRET_KEY" in result.output
        assert HOW_TO in result.output
        if key.strip():
            assert key not in result.output  # a secret is never echoed, not even a weak one

    @pytest.mark.parametrize(
        "key", [secrets.token_urlsafe(48), secrets.token_hex(32), secrets.token_urlsafe(24)]
    )
    def test_a_random_key_is_accepted(self, instance: Path, key: str) -> None:
        result = _elk(instance, "db", "upgrade", ELK_ENV="production", ELK_SECRET_KEY=key)

        assert result.exit_code == 0, result.output

    def test_the_demo_makes_its_own(self, instance: Path) -> None:
        result = _elk(instance, "db", "upgrade", ELK_ENV="demo")

        assert result.exit_code == 0, result.output
        assert len((instance / "secret_key").read_text(encoding="utf-8").strip()) >= 64


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("permissive_umask")
class TestFileModes:
    def test_the_command_writes_private_files_whatever_the_umask(
        self, instance: Path, tmp_path: Path
    ) -> None:
        result = _elk(instance, "db", "upgrade", ELK_ENV="demo")

        assert result.exit_code == 0, result.output
        assert _mode(instance) == 0o700
        assert _mode(instance / "elk.sqlite3") == 0o600
        assert _mode(instance / "secret_key") == 0o600

    def test_the_command_runs_with_umask_077_and_restores_it(self, instance: Path) -> None:
        seen: list[int] = []

        def record() -> None:
            mask = os.umask(0)
            os.umask(mask)
            seen.append(mask)

        cli.add_command(_probe(record), "umask-probe")
        try:
            result = _elk(instance, "umask-probe", ELK_ENV="test")
        finally:
            cli.commands.pop("umask-probe")

        assert result.exit_code == 0, result.output
        assert seen == [0o077]
        assert os.umask(0o022) == 0o022  # the test's own umask is back


def _probe(action: Any) -> Any:
    import click

    return click.command()(action)
