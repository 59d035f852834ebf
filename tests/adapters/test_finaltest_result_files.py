"""The providers' result ZIP read into lines (R-DT-2); hostile files refused in Dutch, whole."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from elk_adapters.imports.result_files import MAX_ENTRY_BYTES, MAX_LINES, ZipResultFileReader
from elk_domain.errors import Rejected

SAMPLES = Path(__file__).parents[1] / "fixtures" / "finaltest"
HEADER = "BRIN;Voornaam;Achternaam;Geboortedatum;Toets;Afnamedatum;Uitslag\n"
ROW = "12AB00;Sam;Jansen;04-05-2013;Route 8;11-02-2026;havo\n"


def zipped(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def read(data: bytes):  # type: ignore[no-untyped-def]
    return ZipResultFileReader().read(data)


class TestSamples:
    def test_reads_the_csv_and_the_xml_and_skips_the_report(self) -> None:
        result = read((SAMPLES / "results_sample.zip").read_bytes())
        assert result.format == "CSV + XML"
        assert [ln.number for ln in result.lines] == [1, 2, 3, 4, 5]
        sam, zoe, noor, lb, mila = result.lines
        assert (sam.bsn, sam.first_name, sam.birth_date, sam.test, sam.outcome) == (
            "111222333",
            "Sam",
            dt.date(2013, 5, 4),
            "Route 8",
            "havo/vwo",
        )
        assert sam.scores == (("taal", "231"), ("rekenen", "219"))
        assert (zoe.first_name, zoe.tussenvoegsel, zoe.last_name) == ("Zoë", "van der", "Berg")
        assert noor.last_name == "El Amrani-de Wit"
        assert (lb.first_name, lb.test, lb.test_date) == ("L.", "IEP", dt.date(2026, 2, 12))
        assert lb.scores == (("lezen", "85"), ("rekenen", "78"))
        assert (mila.source, mila.outcome, mila.scores) == (
            "uitslagen/iep_sample.xml",
            "vmbo-kader",
            (),
        )

    def test_windows_1252_and_a_comma_are_read(self) -> None:
        content = (HEADER + ROW).replace(";", ",").replace("Sam", "Zoë").encode("cp1252")
        [only] = read(zipped({"r.csv": content})).lines
        assert only.first_name == "Zoë"


def refusal(data: bytes) -> str:
    with pytest.raises(Rejected) as caught:
        read(data)
    return caught.value.message


class TestRefused:
    def test_no_zip(self) -> None:
        assert "geen (leesbaar) ZIP-bestand" in refusal(b"BRIN;naam\n")

    def test_a_zip_without_results(self) -> None:
        assert "geen resultaten" in refusal(zipped({"rapport.pdf": b"%PDF"}))

    @pytest.mark.parametrize(
        ("entries", "words"),
        [
            ({"../../etc/passwd.csv": b"x"}, "ongeldige naam"),
            ({"binnen.zip": b"PK"}, "ZIP-bestand of een ander archief"),
            ({"a.csv": b"\0" * (3 * 1024 * 1024)}, "extreem sterk samengeperst"),
        ],
    )
    def test_hostile_archives_use_the_one_check(
        self, entries: dict[str, bytes], words: str
    ) -> None:
        message = refusal(zipped(entries))
        assert words in message
        assert message.endswith(
            "Er is niets ingelezen. Vraag de toetsaanbieder om een nieuw bestand."
        )

    def test_utf16_is_refused(self) -> None:
        assert "tekencodering" in refusal(zipped({"r.csv": (HEADER + ROW).encode("utf-16")}))

    def test_missing_columns_are_named(self) -> None:
        message = refusal(zipped({"r.csv": b"BRIN;Naam\n12AB00;Sam\n"}))
        assert "achternaam, geboortedatum, toets, afnamedatum, uitslag, voornaam" in message

    def test_a_bad_date_names_the_line_and_nothing_is_read(self) -> None:
        content = HEADER + ROW + ROW.replace("04-05-2013", "31-02-2013")
        message = refusal(zipped({"r.csv": content.encode()}))
        assert message.startswith("r.csv, leerling 2: Geboortedatum '31-02-2013' is geen datum.")

    def test_xml_attacks_are_refused(self) -> None:
        bomb = (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d><leerling>&a;</leerling></d>'
        )
        assert "DOCTYPE" in refusal(zipped({"r.xml": bomb}))
        assert "geen geldige XML" in refusal(zipped({"r.xml": b"<d><leerling>"}))
        assert "geen <leerling>" in refusal(zipped({"r.xml": b"<d/>"}))

    def test_too_many_pupils(self) -> None:
        content = HEADER + ROW * (MAX_LINES + 1)
        stored = zipped({"r.csv": content.encode()}, zipfile.ZIP_STORED)  # rows this alike: a bomb
        assert f"meer dan {MAX_LINES} leerlingen" in refusal(stored)

    def test_an_entry_larger_than_it_may_be(self) -> None:
        big = (HEADER + "x" * (MAX_ENTRY_BYTES + 10)).encode()
        assert "groter dan 20 MB" in refusal(zipped({"r.csv": big}, zipfile.ZIP_STORED))

    def test_a_damaged_entry(self) -> None:
        data = bytearray(zipped({"r.csv": (HEADER + ROW).encode() * 50}))
        data[60:70] = b"\xff" * 10  # inside the compressed data
        assert "beschadigd" in refusal(bytes(data))

    def test_control_characters_and_empty_entries(self) -> None:
        assert "onleesbaar" in refusal(
            zipped({"r.csv": (HEADER + ROW.replace("Sam", "S\x07m")).encode()})
        )
        assert "leeg" in refusal(zipped({"r.csv": b"\n\n"}))
        assert "geen geldig CSV" in refusal(
            zipped({"r.csv": (HEADER + '"' + "x" * 200_000).encode()})
        )
