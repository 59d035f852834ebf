"""``elk placement solve`` and ``elk placement verify``: files in, files out, no database."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from elk_cli.main import cli

EXAMPLE = Path(__file__).parents[1] / "fixtures" / "placement" / "amstelland-voorbeeld.json"


def solve(tmp_path: Path) -> Path:
    out = tmp_path / "resultaat.json"
    result = CliRunner().invoke(cli, ["placement", "solve", str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "blokkerende paren" in result.output
    return out


def test_solve_writes_a_result_that_verify_accepts(tmp_path: Path) -> None:
    out = solve(tmp_path)
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["format"] == "elk-placement-result/1"
    assert written["audit"]["blocking_pairs"] == 0
    assert set(written["placements"]) == {
        str(p["id"]) for p in json.loads(EXAMPLE.read_bytes())["pupils"]
    }
    result = CliRunner().invoke(cli, ["placement", "verify", str(EXAMPLE), str(out)])
    assert result.exit_code == 0, result.output
    assert "Klopt" in result.output


def test_verify_fails_on_a_result_with_one_placement_changed(tmp_path: Path) -> None:
    out = solve(tmp_path)
    written = json.loads(out.read_text(encoding="utf-8"))
    pupil, placed = next((p, at) for p, at in written["placements"].items() if at)
    written["placements"][pupil] = None
    out.write_text(json.dumps(written), encoding="utf-8")
    result = CliRunner().invoke(cli, ["placement", "verify", str(EXAMPLE), str(out)])
    assert result.exit_code == 3
    assert "Fout: het resultaat wijkt af van de herberekening." in result.output
    assert f"De plaatsing van leerling {pupil}: in het bestand None, herberekend {placed!r}." in (
        result.output
    )


def test_hostile_input_gets_a_dutch_message_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "kapot.json"
    bad.write_bytes(b'{"procedure": "amstelland", "seed": "x", "programmes": [1], "pupils": {}}')
    result = CliRunner().invoke(cli, ["placement", "solve", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert "Fout: Het bestand is geen geldige invoer voor de plaatsing." in result.output
    assert "programmes[0]: Verwacht een object." in result.output
    assert "pupils: Verwacht een lijst." in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_a_missing_file_or_an_unwritable_output_is_a_dutch_message(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["placement", "verify", str(tmp_path / "weg.json"), "x.json"])
    assert missing.exit_code == 3
    assert "weg.json kan niet worden gelezen" in missing.output
    nowhere = tmp_path / "geen-map" / "uit.json"
    result = runner.invoke(cli, ["placement", "solve", str(EXAMPLE), "--out", str(nowhere)])
    assert result.exit_code == 3
    assert "uit.json kan niet worden geschreven" in result.output


def test_the_installed_command_verifies_from_a_shell(tmp_path: Path) -> None:
    out = solve(tmp_path)
    elk = shutil.which("elk", path=str(Path(sys.executable).parent))
    command = [elk] if elk else [sys.executable, "-c", "from elk_cli.main import cli; cli()"]
    done = subprocess.run(
        [*command, "placement", "verify", str(EXAMPLE), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Klopt" in done.stdout
