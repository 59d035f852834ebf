"""Attachments are recognised by content, never by name."""

from __future__ import annotations

import io
import zipfile

import pytest

from elk_domain.errors import Rejected
from elk_domain.filetypes import REFUSED, check_upload, detect


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
