"""``elk oso validate`` prints OK or each problem per file and fails when any file fails."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from elk_cli.main import cli

FIXTURES = Path(__file__).parents[1] / "fixtures" / "oso"


def test_validate_accepts_all_samples() -> None:
    files = [str(p) for p in sorted(FIXTURES.glob("*.xml"))]
    result = CliRunner().invoke(cli, ["oso", "validate", *files])
    assert result.exit_code == 0, result.output
    assert result.output.count("OK") == 8
    assert "8 goed, 0 fout." in result.output


def test_validate_lists_problems_and_exits_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "bom.xml"
    bad.write_bytes(b'<!DOCTYPE d [<!ENTITY a "b">]><dossier>&a;</dossier>')
    broken = tmp_path / "kapot.xml"
    broken.write_bytes((FIXTURES / "Voorbeelddossier_OV_BB_opt_out.xml").read_bytes()[:-40])
    result = CliRunner().invoke(cli, ["oso", "validate", str(bad), str(broken)])
    assert result.exit_code == 3
    assert "DOCTYPE" in result.output
    assert "geen geldige XML" in result.output
    assert "0 goed, 2 fout." in result.output
