"""``elk audit verify`` on a SQLite instance: exit 0 on an intact chain, 8 and the broken link."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from elk_cli.audit import CHAIN_BROKEN
from elk_cli.main import cli

PASSWORD = "een-lang-Geheim-2026"


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    """An instance with a migrated database and three audited CLI acts."""
    folder = tmp_path / "instance"
    runner = CliRunner(env={"ELK_ENV": "test", "ELK_INSTANCE_PATH": str(folder)})
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    for n in range(3):
        typed = f"{PASSWORD}\n{PASSWORD}\n"
        created = runner.invoke(cli, ["user", "create-admin", "--email", f"a{n}@b.example"], typed)
        assert created.exit_code == 0, created.output
    return folder


def _verify(instance: Path) -> Result:
    runner = CliRunner(env={"ELK_ENV": "test", "ELK_INSTANCE_PATH": str(instance)})
    return runner.invoke(cli, ["audit", "verify"], catch_exceptions=False)


def _tamper(instance: Path, statement: str) -> None:
    """Drop the triggers and run ``statement`` on the raw file, as an attacker could."""
    with sqlite3.connect(instance / "elk.sqlite3") as connection:
        connection.execute("DROP TRIGGER audit_log_no_update")
        connection.execute("DROP TRIGGER audit_log_no_delete")
        connection.execute(statement)


def _ids(instance: Path) -> list[int]:
    with sqlite3.connect(instance / "elk.sqlite3") as connection:
        return [row[0] for row in connection.execute("SELECT id FROM audit_log ORDER BY id")]


def test_an_intact_log_exits_0_and_prints_the_head(instance: Path) -> None:
    result = _verify(instance)

    assert result.exit_code == 0, result.output
    assert "intact: 3 regels gecontroleerd" in result.output
    assert f"Laatste regel: {_ids(instance)[-1]}, hash " in result.output


def test_an_empty_log_is_intact(tmp_path: Path) -> None:
    runner = CliRunner(env={"ELK_ENV": "test", "ELK_INSTANCE_PATH": str(tmp_path / "i")})
    runner.invoke(cli, ["db", "upgrade"])

    result = runner.invoke(cli, ["audit", "verify"])

    assert result.exit_code == 0
    assert "leeg" in result.output


def test_a_changed_entry_is_reported_with_its_id(instance: Path) -> None:
    second = _ids(instance)[1]
    _tamper(instance, f"UPDATE audit_log SET actor_name = 'iemand anders' WHERE id = {second}")

    result = _verify(instance)

    assert result.exit_code == CHAIN_BROKEN
    assert f"breekt bij auditregel {second}" in result.output
    assert "gewijzigd" in result.output
    assert "De 1 regels daarvoor zijn in orde (laatste goede regel: " in result.output


def test_a_removed_entry_is_reported_at_the_gap(instance: Path) -> None:
    first, second, third = _ids(instance)
    _tamper(instance, f"DELETE FROM audit_log WHERE id = {second}")

    result = _verify(instance)

    assert result.exit_code == CHAIN_BROKEN
    assert f"breekt bij auditregel {third}" in result.output
    assert f"auditregel {first}" in result.output


def test_a_broken_first_entry_has_no_good_predecessor(instance: Path) -> None:
    _tamper(
        instance, "UPDATE audit_log SET detail = 'x' WHERE id = (SELECT MIN(id) FROM audit_log)"
    )

    result = _verify(instance)

    assert result.exit_code == CHAIN_BROKEN
    assert "De 0 regels daarvoor zijn in orde." in result.output
