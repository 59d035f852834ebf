"""Recognise an uploaded file by its content, never by its name (attachments, R-OKI-1 Bijlagen).

PDF, PNG, JPEG and GIF by their signature; Office Open XML (docx/xlsx/pptx) and OpenDocument
(odt/ods) by what their ZIP holds; the old binary Office formats (doc/xls) by the OLE2
signature. Anything else is refused with a Dutch message.
"""

from __future__ import annotations

import io
import zipfile

import attrs

from elk_domain.errors import Rejected, Violation

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
    (_OLE2, "application/x-ole-storage", "doc"),
)
_OOXML = (
    ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
)
_ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
REFUSED = (
    "Dit soort bestand kan niet als bijlage worden toegevoegd. Kies een PDF, een afbeelding "
    "(PNG, JPEG, GIF) of een Office-document (Word, Excel, OpenDocument)."
)


@attrs.frozen
class FileType:
    """What the content turned out to be: its MIME type and the usual extension."""

    content_type: str
    extension: str


def detect(data: bytes) -> FileType | None:
    """The type of ``data`` by its content, or None when it is not an accepted kind."""
    for signature, content_type, extension in _SIGNATURES:
        if data.startswith(signature):
            return FileType(content_type, extension)
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    return None


def _zip_type(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                extension = _ODF.get(mimetype)
                return FileType(mimetype, extension) if extension else None
            if "[Content_Types].xml" not in names:
                return None
            for prefix, content_type, extension in _OOXML:
                if any(name.startswith(prefix) for name in names):
                    return FileType(content_type, extension)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def check_upload(data: bytes, *, limit: int = MAX_UPLOAD_BYTES) -> FileType:
    """The detected type; Rejected (Dutch) for an empty, too large or unknown file."""
    if not data:
        message = "Het bestand is leeg. Kies een ander bestand."
    elif len(data) > limit:
        message = f"Het bestand is groter dan {limit // (1024 * 1024)} MB."
    else:
        found = detect(data)
        if found is not None:
            return found
        message = REFUSED
    raise Rejected(message, violations=[Violation("bestand", message)])
