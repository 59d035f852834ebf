"""The ``elk`` commands through click's CliRunner, on a temporary SQLite instance."""

from __future__ import annotations

import getpass
import secrets
import sqlite3
import weakref
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from elk_adapters.bootstrap import bootstrap
from elk_adapters.mail.capture import MailCapture, free_port
from elk_adapters.mail.outbox import read_outbox
from elk_adapters.settings import Settings
from elk_cli.errors import EXIT_CODES
from elk_cli.main import cli
from elk_domain.errors import ErrorKind
from elk_domain.kernel.mail import OutgoingMail
from elk_domain.kernel.mail_queue import queue_mail
from elk_domain.kernel.people import Role


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield prefix
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name)


ALL_COMMANDS = list(_commands(cli))


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    """An empty instance folder; the SQLite database goes inside."""
    return tmp_path / "instance"


@pytest.fixture
def runner(instance: Path) -> CliRunner:
    """Runs ``elk`` with ELK_* pointing at the temporary instance (test env: fast hashing)."""
    return CliRunner(env={"ELK_ENV": "test", "ELK_INSTANCE_PATH": str(instance)})


def _elk(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


def _tables(instance: Path) -> set[str]:
    with sqlite3.connect(instance / "elk.sqlite3") as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}


def _query(instance: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(instance / "elk.sqlite3") as connection:
        return connection.execute(sql).fetchall()


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def _head_revision() -> str:
    from alembic.script import ScriptDirectory

    from elk_adapters.persistence.database import MIGRATIONS

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None
    return head


class TestHelp:
    @pytest.mark.parametrize("command", ALL_COMMANDS, ids=lambda c: " ".join(c) or "elk")
    def test_every_command_explains_itself(
        self, runner: CliRunner, command: tuple[str, ...]
    ) -> None:
        result = _elk(runner, *command, "--help")

        assert result.exit_code == 0
        assert result.output.startswith(f"Usage: {' '.join(('cli', *command))} ")
        summary = (_command(command).help or "").strip().split("\n")[0]
        assert summary, "the command has no help text of its own"
        assert " ".join(summary.split()) in " ".join(result.output.split())
        if isinstance(_command(command), click.Group):  # a group lists what it holds
            for name in _command(command).commands:
                assert f"  {name} " in result.output or f"  {name}\n" in result.output

    def test_lists_the_command_groups(self) -> None:
        assert {"serve", "db", "demo", "user"} <= {c[0] for c in ALL_COMMANDS if c}


class TestErrors:
    def test_every_error_kind_has_its_own_exit_code(self) -> None:
        assert set(EXIT_CODES) == set(ErrorKind)
        assert len(set(EXIT_CODES.values())) == len(ErrorKind)
        assert not {0, 1, 2} & set(EXIT_CODES.values())

    def test_production_without_secret_key_is_refused_in_dutch(self, instance: Path) -> None:
        runner = CliRunner(env={"ELK_ENV": "production", "ELK_INSTANCE_PATH": str(instance)})

        result = _elk(runner, "db", "upgrade")

        assert result.exit_code == EXIT_CODES[ErrorKind.REJECTED]
        assert "ELK_SECRET_KEY is verplicht" in result.output


class TestDb:
    def test_upgrade_creates_the_schema_and_is_safe_twice(
        self, runner: CliRunner, instance: Path
    ) -> None:
        assert _elk(runner, "db", "upgrade").exit_code == 0
        assert _query(instance, "SELECT version_num FROM alembic_version") == [(_head_revision(),)]
        schema = _query(instance, "SELECT name, sql FROM sqlite_master ORDER BY name")
        with sqlite3.connect(instance / "elk.sqlite3") as connection:
            connection.execute("INSERT INTO boards (name) VALUES ('Stichting Blijft')")

        assert _elk(runner, "db", "upgrade").exit_code == 0

        assert _query(instance, "SELECT name, sql FROM sqlite_master ORDER BY name") == schema
        assert _query(instance, "SELECT name FROM boards") == [("Stichting Blijft",)]
        assert _query(instance, "SELECT version_num FROM alembic_version") == [(_head_revision(),)]

    def test_downgrade_to_base_removes_the_tables(self, runner: CliRunner, instance: Path) -> None:
        _elk(runner, "db", "upgrade")

        result = _elk(runner, "db", "downgrade", "--revision", "base")

        assert result.exit_code == 0
        ours = {t for t in _tables(instance) if not t.startswith("sqlite_")}
        assert ours == {"alembic_version"}  # every table of ours is gone
        assert _query(instance, "SELECT version_num FROM alembic_version") == []

    def test_downgrade_needs_a_revision(self, runner: CliRunner) -> None:
        assert runner.invoke(cli, ["db", "downgrade"]).exit_code == 2

    def test_unknown_revision_is_rejected(self, runner: CliRunner) -> None:
        result = _elk(runner, "db", "upgrade", "--revision", "nonsense")

        assert result.exit_code == EXIT_CODES[ErrorKind.REJECTED]
        assert result.output.startswith("Fout: Migratie naar revisie 'nonsense' is niet mogelijk")


class TestDemoLoad:
    def test_loads_once_and_the_second_time_changes_nothing(
        self, runner: CliRunner, instance: Path
    ) -> None:
        _elk(runner, "db", "upgrade")
        counted = ("pupils", "okidocs", "users", "schools", "boards", "school_groups", "news")

        def counts() -> dict[str, object]:
            return {t: _query(instance, f"SELECT count(*) FROM {t}")[0][0] for t in counted}

        first = _elk(runner, "demo", "load", "--pupils", "50", "--seed", "1")
        loaded = counts()
        second = _elk(runner, "demo", "load", "--pupils", "50", "--seed", "1")

        assert first.exit_code == 0
        assert "Demoregio geladen: 50 leerlingen" in first.output
        assert (loaded["pupils"], loaded["okidocs"]) == (50, 50)  # what the message says
        assert second.exit_code == 0
        assert "bevat al gegevens" in second.output
        assert counts() == loaded

    def test_is_refused_in_production(self, instance: Path) -> None:
        env = {
            "ELK_ENV": "production",
            "ELK_SECRET_KEY": secrets.token_urlsafe(48),
            "ELK_INSTANCE_PATH": str(instance),
        }

        result = _elk(CliRunner(env=env), "demo", "load", "--pupils", "5")

        assert result.exit_code == EXIT_CODES[ErrorKind.REJECTED]
        assert "niet bedoeld voor productie" in result.output


class TestCreateAdmin:
    PASSWORD = "een-lang-Geheim-2026"

    def _create(self, runner: CliRunner, email: str, password: str) -> Result:
        typed = f"{password}\n{password}\n"
        return _elk(
            runner, "user", "create-admin", "--email", email, "--name", "Anna Beheer", input=typed
        )

    def test_creates_a_functional_admin_with_a_hashed_password(
        self, runner: CliRunner, instance: Path
    ) -> None:
        _elk(runner, "db", "upgrade")

        result = self._create(runner, "Anna@Beheer.Example", self.PASSWORD)

        assert result.exit_code == 0, result.output
        assert self.PASSWORD not in result.output
        services = bootstrap(
            Settings.from_env({"ELK_ENV": "test", "ELK_INSTANCE_PATH": str(instance)})
        )
        with services.uow() as uow:
            user = uow.users.by_email("anna@beheer.example")
        assert user is not None
        assert user.role is Role.FUNCTIONAL_ADMIN
        assert user.display_name == "Anna Beheer"
        assert user.password_hash is not None
        assert services.hasher.verify(user.password_hash, self.PASSWORD)

    def test_the_new_admin_is_audited_as_the_operators_act(
        self, runner: CliRunner, instance: Path
    ) -> None:
        _elk(runner, "db", "upgrade")

        self._create(runner, "anna@beheer.example", self.PASSWORD)

        services = bootstrap(
            Settings.from_env({"ELK_ENV": "test", "ELK_INSTANCE_PATH": str(instance)})
        )
        with services.uow() as uow:
            created = uow.users.by_email("anna@beheer.example")
            assert created is not None
            [entry] = uow.audit.for_subject("user", created.id)
        assert entry.action == "gebruiker_aangemaakt"
        assert entry.actor_id == 0
        assert entry.actor_name == f"elk user create-admin ({getpass.getuser()})"
        assert [(c.path, c.new) for c in entry.changes] == [("rol", Role.FUNCTIONAL_ADMIN.label)]
        assert self.PASSWORD not in repr(entry)

    def test_a_second_admin_with_the_same_address_is_a_conflict(self, runner: CliRunner) -> None:
        _elk(runner, "db", "upgrade")
        self._create(runner, "anna@beheer.example", self.PASSWORD)

        result = self._create(runner, "ANNA@beheer.example", self.PASSWORD)

        assert result.exit_code == EXIT_CODES[ErrorKind.CONFLICT]
        assert "bestaat al" in result.output

    def test_a_short_password_is_rejected(self, runner: CliRunner) -> None:
        _elk(runner, "db", "upgrade")

        result = self._create(runner, "anna@beheer.example", "kort")

        assert result.exit_code == EXIT_CODES[ErrorKind.REJECTED]
        assert "12 tot 256 tekens" in result.output

    def test_a_bad_address_is_rejected_before_asking_a_password(self, runner: CliRunner) -> None:
        result = _elk(runner, "user", "create-admin", "--email", "geen-adres")

        assert result.exit_code == EXIT_CODES[ErrorKind.REJECTED]
        assert "Wachtwoord" not in result.output

    def test_the_password_is_asked_twice_until_both_match(self, runner: CliRunner) -> None:
        _elk(runner, "db", "upgrade")
        typed = f"{self.PASSWORD}\nanders-getypt-2026\n{self.PASSWORD}\n{self.PASSWORD}\n"

        result = _elk(runner, "user", "create-admin", "--email", "a@b.example", input=typed)

        assert result.exit_code == 0
        assert result.output.count("Herhaal het wachtwoord") == 2


class TestDemoCode:
    def test_prints_the_current_code_of_a_demo_account_with_2fa(self) -> None:
        import datetime as dt

        from elk_domain.accounts import totp

        result = CliRunner().invoke(cli, ["demo", "code", "bestuur@elk.example"])
        assert result.exit_code == 0, result.output
        step = totp.time_step(dt.datetime.now(dt.UTC))
        # the code printed belongs to this or the neighbouring 30-second step
        assert result.output.strip() in {
            totp.code_at("ELKDEMOBESTUURAA", s) for s in (step - 1, step, step + 1)
        }

    def test_the_functional_administrator_of_the_demo_has_2fa(self) -> None:
        result = CliRunner().invoke(cli, ["demo", "code", "beheer@elk.example"])
        assert result.exit_code == 0, result.output
        assert result.output.strip().isdigit()
        assert len(result.output.strip()) == 6

    def test_refuses_an_account_without_2fa(self) -> None:
        result = CliRunner().invoke(cli, ["demo", "code", "ib@elk.example"])
        assert result.exit_code == 1, result.output  # click's own error: a wrong argument
        assert result.output == (
            "Error: ib@elk.example is geen demo-account met tweestapsverificatie.\n"
        )


class TestMailDeliver:
    def _queue(self, runner: CliRunner, instance: Path, *recipients: str) -> None:
        _elk(runner, "db", "upgrade")
        services = bootstrap(
            Settings.from_env({"ELK_ENV": "test", "ELK_INSTANCE_PATH": str(instance)})
        )
        with services.uow() as uow:
            for to in recipients:
                queue_mail(uow, services.clock, OutgoingMail(to, "Welkom bij ELK", "Beste juf"))
            uow.commit()

    def test_sends_the_waiting_mail_and_says_how_much(self, instance: Path, tmp_path: Path) -> None:
        with MailCapture(tmp_path / "captured", port=free_port()) as capture:
            env = {"ELK_ENV": "test", "ELK_INSTANCE_PATH": str(instance),
                   "ELK_SMTP_PORT": str(capture.port)}  # fmt: skip
            runner = CliRunner(env=env)
            self._queue(runner, instance, "a@elk.test", "b@elk.test")
            result = _elk(runner, "mail", "deliver")
            assert result.exit_code == 0, result.output
            assert _elk(runner, "mail", "deliver").exit_code == 0  # nothing is sent twice
            assert sorted(m.to for m in read_outbox(capture.outbox)) == ["a@elk.test", "b@elk.test"]
        assert "│ 2" in result.output.split("verstuurd")[1].splitlines()[0]

    def test_exits_unavailable_when_the_mail_server_is_down(self, instance: Path) -> None:
        env = {"ELK_ENV": "test", "ELK_INSTANCE_PATH": str(instance),
               "ELK_SMTP_PORT": str(free_port())}  # fmt: skip
        runner = CliRunner(env=env)
        self._queue(runner, instance, "a@elk.test")
        result = runner.invoke(cli, ["mail", "deliver"])
        assert result.exit_code == EXIT_CODES[ErrorKind.UNAVAILABLE], result.output
        assert "mislukt, later opnieuw" in result.output


class TestServe:
    def test_start_up_objects_are_frozen_out_of_the_collector(self) -> None:
        import gc

        from elk_cli.serve import freeze_startup_objects

        class Node:
            link: object = None

        garbage, alive = Node(), Node()
        garbage.link, alive.link = garbage, alive  # cycles: only the collector frees them
        gone = weakref.ref(garbage)
        del garbage
        before = gc.get_freeze_count()
        try:
            freeze_startup_objects()
            assert gone() is None  # start-up garbage is collected first, not frozen for good
            assert gc.get_freeze_count() > before
            # ``alive`` moved to the permanent generation: full collections skip it.
            assert not any(o is alive for o in gc.get_objects())
            gc.collect()  # full collections still run; they no longer walk the frozen objects
        finally:
            gc.unfreeze()
