"""Attachments are recognised by content, never by name."""

from __future__ import annotations

import io
import struct
import tracemalloc
import warnings
import zipfile

import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from elk_domain.errors import Rejected
from elk_domain.kernel.archives import MAX_ENTRIES, MAX_UNPACKED_BYTES
from elk_domain.kernel.filetypes import REFUSED, check_upload, detect


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "extension"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"\xff\xd8\xff\xe0....", "jpg"),
        (b"GIF89a....", "gif"),
        (bytes.fromhex("d0cf11e0a1b11ae1") + b"....", "doc"),
        (_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}), "docx"),
        (_zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}), "xlsx"),
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), "odt"),
    ],
)
def test_accepted_kinds_are_recognised(data: bytes, extension: str) -> None:
    found = detect(data)
    assert found is not None
    assert found.extension == extension


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00 an executable",
        b"<html><script>alert(1)</script>",
        _zip({"evil.exe": b"MZ"}),
        _zip({"[Content_Types].xml": b"<x/>", "other/file": b""}),
        _zip({"mimetype": b"application/x-unknown"}),
        b"PK\x03\x04 not really a zip",
    ],
)
def test_other_content_is_refused_whatever_its_name(data: bytes) -> None:
    assert detect(data) is None
    with pytest.raises(Rejected, match="Dit soort bestand"):
        check_upload(data)
    assert "PDF" in REFUSED


def test_empty_and_too_large_files_are_refused() -> None:
    with pytest.raises(Rejected, match="leeg"):
        check_upload(b"")
    with pytest.raises(Rejected, match="groter dan 1 MB"):
        check_upload(b"%PDF-" + b"0" * (1024 * 1024), limit=1024 * 1024)
    assert check_upload(b"%PDF-1.4").content_type == "application/pdf"


# --- Hostile archives (issue 12, finding 3): refused from the central directory ----------

MIB = 1024 * 1024
ODF_TEXT = b"application/vnd.oasis.opendocument.text"


def _streamed(entries: dict[str, int], *, first: dict[str, bytes] | None = None) -> bytes:
    """A ZIP with the ``first`` entries as given, then entries of N MiB of zeros written in
    1 MiB pieces: building a bomb stays cheap, only its compressed size is ever held."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (first or {}).items():
            archive.writestr(name, data)
        chunk = bytes(MIB)
        for name, mebibytes in entries.items():
            with archive.open(name, "w") as out:
                for _ in range(mebibytes):
                    out.write(chunk)
    return buffer.getvalue()


def _central(data: bytes, name: str) -> int:
    """Offset of ``name``'s central-directory record (walked from the end record)."""
    (at,) = struct.unpack_from("<L", data, data.rindex(b"PK\x05\x06") + 16)
    while True:
        length, extra, comment = struct.unpack_from("<3H", data, at + 28)
        if data[at + 46 : at + 46 + length] == name.encode():
            return at
        at += 46 + length + extra + comment


def _patched(data: bytes, name: str, offset: int, fmt: str, value: int) -> bytes:
    """``data`` with one field of ``name``'s central-directory record changed (a liar)."""
    out = bytearray(data)
    struct.pack_into(fmt, out, _central(data, name) + offset, value)
    return bytes(out)


@pytest.fixture(scope="module")
def odt_bomb() -> bytes:
    """The probe's file, at 400 MiB: an ODT whose 'mimetype' entry unpacks to 400 MiB."""
    return _streamed({"mimetype": 400})


class TestZipBombs:
    def test_odt_bomb_is_refused_without_unpacking_it(self, odt_bomb: bytes) -> None:
        assert len(odt_bomb) < MIB  # small on disk ...
        tracemalloc.start()
        try:
            with pytest.raises(Rejected, match="veel te groot") as caught:
                check_upload(odt_bomb)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 8 * MIB, f"peak {peak / MIB:.0f} MiB while checking a {len(odt_bomb)} B file"
        assert caught.value.violations[0].path == "bestand"

    def test_a_mimetype_declared_small_is_unpacked_no_further_than_its_head(
        self, odt_bomb: bytes
    ) -> None:
        liar = _patched(odt_bomb, "mimetype", 24, "<L", 39)  # "39 bytes", holding 400 MiB
        tracemalloc.start()
        try:
            with pytest.raises(Rejected, match="Dit soort bestand"):
                check_upload(liar)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 8 * MIB, f"peak {peak / MIB:.0f} MiB"

    def test_absurd_compression_ratio_is_refused(self) -> None:
        bomb = _streamed({"Pictures/leeg.bmp": 16}, first={"mimetype": ODF_TEXT})
        with pytest.raises(Rejected, match="extreem sterk samengeperst"):
            check_upload(bomb)

    def test_ordinary_compression_is_accepted(self) -> None:
        text = b"".join(b"<text:p>Regel %d van het verslag.</text:p>" % i for i in range(40_000))
        found = check_upload(_zip({"mimetype": ODF_TEXT, "content.xml": text}))
        assert found.extension == "odt"

    def test_declared_size_over_the_cap_is_refused_without_reading(self) -> None:
        honest = _zip({"mimetype": ODF_TEXT, "content.xml": b"<x/>" * 1000})
        liar = _patched(honest, "content.xml", 24, "<L", MAX_UNPACKED_BYTES + 1)
        with pytest.raises(Rejected, match="veel te groot"):
            check_upload(liar)

    @pytest.mark.parametrize("end_record_says", [MAX_ENTRIES + 2, 2], ids=["honest", "liar"])
    def test_too_many_entries_are_refused(self, end_record_says: int) -> None:
        entries = {f"Pictures/{i}.png": b"" for i in range(MAX_ENTRIES + 1)}
        data = bytearray(_zip({"mimetype": ODF_TEXT, **entries}))
        end = data.rindex(b"PK\x05\x06")
        struct.pack_into("<2H", data, end + 8, end_record_says, end_record_says)
        with pytest.raises(Rejected, match="te veel onderdelen"):
            check_upload(bytes(data))

    def test_an_end_record_announcing_too_many_entries_is_refused(self) -> None:
        data = bytearray(_zip({"mimetype": ODF_TEXT}))
        end = data.rindex(b"PK\x05\x06")
        struct.pack_into("<2H", data, end + 8, 60_000, 60_000)
        with pytest.raises(Rejected, match="te veel onderdelen"):
            check_upload(bytes(data))

    def test_a_mimetype_that_unpacks_beyond_its_bounded_read_is_refused(self) -> None:
        data = _zip({"mimetype": ODF_TEXT + b" " * 300})
        with pytest.raises(Rejected, match="vreemd opgebouwd"):
            check_upload(data)

    @pytest.mark.parametrize(
        ("entries", "reason"),
        [
            ({"../../etc/passwd": b"x"}, "ongeldige naam"),
            ({"/etc/x": b"x"}, "ongeldige naam"),
            ({"Pictures\\x.png": b"x"}, "ongeldige naam"),
            ({"C:/x": b"x"}, "ongeldige naam"),
            ({"Pictures/bijlage.zip": b"PK"}, "ZIP-bestand"),
        ],
        ids=["dotdot", "absolute", "backslash", "drive", "nested-zip"],
    )
    def test_odd_entries_are_refused(self, entries: dict[str, bytes], reason: str) -> None:
        with pytest.raises(Rejected, match=reason):
            check_upload(_zip({"mimetype": ODF_TEXT, **entries}))

    def test_two_entries_with_one_name_are_refused(self) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive, warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # zipfile: "Duplicate name"
            archive.writestr("mimetype", b"application/x-unknown")
            archive.writestr("mimetype", ODF_TEXT)  # shadows the first in zipfile's lookup
        data = buffer.getvalue()
        with pytest.raises(Rejected, match="dezelfde naam"):
            check_upload(data)

    def test_an_encrypted_entry_is_refused(self) -> None:
        data = _patched(_zip({"mimetype": ODF_TEXT}), "mimetype", 8, "<H", 0x1)
        with pytest.raises(Rejected, match="versleuteld"):
            check_upload(data)

    def test_an_unusual_compression_method_is_refused(self) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
            archive.writestr("mimetype", ODF_TEXT)
        with pytest.raises(Rejected, match="ongebruikelijke manier"):
            check_upload(buffer.getvalue())

    def test_overlapping_entries_are_refused(self) -> None:
        data = _zip({"mimetype": ODF_TEXT, "content.xml": b"<x/>" * 100})
        overlapping = _patched(data, "content.xml", 42, "<L", 10)  # inside the first entry
        with pytest.raises(Rejected, match="overlappen"):
            check_upload(overlapping)

    def test_an_archive_whose_directory_lists_nothing_gives_a_verdict(self) -> None:
        # Found by the property below: one damaged byte left a directory of no entries, and the
        # layout check crashed (ValueError) instead of answering.
        original = _zip({"mimetype": ODF_TEXT, "content.xml": b"<office:document/>" * 20})
        damaged = bytearray(original)
        damaged[601] = 0
        assert detect(bytes(damaged)) is None

    @given(st.data())
    @hyp_settings(max_examples=300, deadline=None)
    def test_damaged_archives_give_a_verdict_never_a_crash(self, data: st.DataObject) -> None:
        original = _zip({"mimetype": ODF_TEXT, "content.xml": b"<office:document/>" * 20})
        damaged = bytearray(original)
        for _ in range(data.draw(st.integers(1, 8))):
            at = data.draw(st.integers(0, len(damaged) - 1))
            damaged[at] = data.draw(st.integers(0, 255))
        verdict: object
        try:
            verdict = detect(bytes(damaged))
        except Rejected as refused:
            verdict = refused.violations[0].path
        assert verdict in (None, "bestand") or getattr(verdict, "extension", "") == "odt"
