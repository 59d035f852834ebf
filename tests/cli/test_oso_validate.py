"""``elk oso validate``: the XSD, then the official rules; OK, FOUT or MELDING per file."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from elk_cli.main import cli

FIXTURES = Path(__file__).parents[1] / "fixtures" / "oso"
SAMPLES = sorted(FIXTURES.glob("Voorbeelddossier_OV_*.xml"))


def _broken(tmp_path: Path) -> Path:
    """The public POVO sample without the pupil's school code and with a made-up category."""
    data = (FIXTURES / "Voorbeelddossier_OV_POVO_full.xml").read_bytes()
    data = re.sub(rb"<leerlingid>.*?</leerlingid>", b"", data)
    data = data.replace(b"<cat_vve>VERBODEN</cat_vve>", b"<cat_vve>NEE</cat_vve>")
    path = tmp_path / "povo-kapot.xml"
    path.write_bytes(data)
    return path


def test_all_eight_public_samples_pass_with_no_message() -> None:
    assert len(SAMPLES) == 8
    result = CliRunner().invoke(cli, ["oso", "validate", *map(str, SAMPLES)])
    assert result.exit_code == 0, result.output
    assert result.output.count("OK") == 8
    assert "MELDING" not in result.output
    assert "8 goed, 0 fout." in result.output


def test_a_dossier_breaking_rules_prints_each_official_message_and_fails(tmp_path: Path) -> None:
    broken = _broken(tmp_path)
    result = CliRunner().invoke(cli, ["oso", "validate", str(broken), str(SAMPLES[0])])
    assert result.exit_code == 3
    lines = result.output.splitlines()
    assert lines[0] == f"MELDING {broken}"
    assert lines[1] == (
        "  - Fout /dossier[1]/metadata[1]/categorie_uitlevering[1]/cat_vve[1]: Het veld "
        "'Categorie VVE' (cat_vve) binnen metadata bevat een waarde die niet voorkomt in "
        "codelijst 48."
    )
    assert lines[2] == (
        "  - Fout OVa.LL13 /dossier[1]/huidigeschool[1]/leerling[1]: De code van de leerling "
        "in de schooladministratie is verplicht in een POVO-overstapdossier."
    )
    assert lines[3] == f"OK      {SAMPLES[0]}"
    assert "1 goed, 1 fout." in result.output


def test_json_reports_every_file_for_scripts(tmp_path: Path) -> None:
    broken, unreadable = _broken(tmp_path), tmp_path / "weg.xml"
    result = CliRunner().invoke(
        cli, ["oso", "validate", "--json", str(SAMPLES[0]), str(broken), str(unreadable)]
    )
    assert result.exit_code == 3
    report = json.loads(result.output)
    assert (report["passed"], report["failed"]) == (1, 2)
    ok, rules, refused = report["files"]
    assert (ok["status"], ok["messages"], ok["errors"]) == ("ok", [], [])
    assert rules["status"] == "rules"
    assert rules["messages"][1] == {
        "rule": "OVa.LL13",
        "severity": "Fout",
        "location": "/dossier[1]/huidigeschool[1]/leerling[1]",
        "text": "De code van de leerling in de schooladministratie is verplicht in een "
        "POVO-overstapdossier.",
    }
    assert refused["status"] == "refused"
    assert refused["refusal"].startswith("Het bestand kan niet worden gelezen")


def test_a_schema_error_is_refused_before_the_rules(tmp_path: Path) -> None:
    invalid = tmp_path / "zonder-achternaam.xml"
    invalid.write_bytes(SAMPLES[0].read_bytes().replace(b"<achternaam>Berg</achternaam>", b"", 1))
    result = CliRunner().invoke(cli, ["oso", "validate", "--json", str(invalid)])
    assert result.exit_code == 3
    (entry,) = json.loads(result.output)["files"]
    assert entry["status"] == "refused"
    assert "voldoet niet aan het OSO-schema" in entry["refusal"]
    assert entry["errors"][0]["location"].startswith("regel ")
    assert entry["messages"] == []


def test_hostile_broken_and_other_versions_keep_their_refusal(tmp_path: Path) -> None:
    bad = tmp_path / "bom.xml"
    bad.write_bytes(b'<!DOCTYPE d [<!ENTITY a "b">]><dossier>&a;</dossier>')
    broken = tmp_path / "kapot.xml"
    broken.write_bytes((FIXTURES / "Voorbeelddossier_OV_BB_opt_out.xml").read_bytes()[:-40])
    newer = tmp_path / "2020.xml"
    newer.write_bytes(
        SAMPLES[0].read_bytes().replace(b"oso_gegevensset/2019/", b"oso_gegevensset/2020/")
    )
    result = CliRunner().invoke(cli, ["oso", "validate", str(bad), str(broken), str(newer)])
    assert result.exit_code == 3
    assert result.output.count("FOUT") == 3
    assert "DOCTYPE" in result.output
    assert "geen geldige XML" in result.output
    assert "versie 2020; ELK leest alleen versie 2019.1." in result.output
    assert "0 goed, 3 fout." in result.output
