"""Recognise an uploaded file by its content, never by its name (attachments, R-OKI-1 Bijlagen).

PDF, PNG, JPEG and GIF by their signature; Office Open XML (docx/xlsx/pptx) and OpenDocument
(odt/ods) by what their ZIP holds, judged from its directory without unpacking it (``archives``);
the old binary Office formats (doc/xls) by the OLE2 signature. Anything else is refused with a
Dutch message. The file is kept under the detected type's extension (``stored_name``).
"""

from __future__ import annotations

import zipfile

import attrs

from elk_domain.errors import Rejected, Violation
from elk_domain.kernel import archives

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")
_MIMETYPE_MAX = 100  # an ODF 'mimetype' entry is one short line

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


_ODD_MIMETYPE = "Het bestand is vreemd opgebouwd: de aanduiding van het soort document klopt niet."
_NO_NAME = "bijlage"


@attrs.frozen
class FileType:
    """What the content turned out to be: its MIME type, the usual extension, and other
    extensions that name the same content (a name with one of those is kept as it is)."""

    content_type: str
    extension: str
    aliases: frozenset[str] = frozenset()

    @property
    def extensions(self) -> frozenset[str]:
        """Every extension a file of this type may keep."""
        return self.aliases | {self.extension}


_SIGNATURES: tuple[tuple[bytes, FileType], ...] = (
    (b"%PDF-", FileType("application/pdf", "pdf")),
    (b"\x89PNG\r\n\x1a\n", FileType("image/png", "png")),
    (b"\xff\xd8\xff", FileType("image/jpeg", "jpg", frozenset({"jpeg", "jpe", "jfif"}))),
    (b"GIF87a", FileType("image/gif", "gif")),
    (b"GIF89a", FileType("image/gif", "gif")),
    # OLE2 holds Word, Excel and PowerPoint files alike (and password-protected docx/xlsx).
    (
        _OLE2,
        FileType(
            "application/x-ole-storage",
            "doc",
            frozenset({"xls", "ppt", "docx", "xlsx", "pptx"}),
        ),
    ),
)


def detect(data: bytes) -> FileType | None:
    """The type of ``data`` by its content, or None when it is not an accepted kind.

    Raises Rejected for a hostile archive (a zip bomb and the like), saying what is wrong.
    """
    for signature, found in _SIGNATURES:
        if data.startswith(signature):
            return found
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    return None


def _zip_type(data: bytes) -> FileType | None:
    archive = archives.open_checked(data)
    if archive is None:
        return None
    with archive:
        names = archive.namelist()
        if "mimetype" in names:
            return _odf_type(archive, archive.getinfo("mimetype"))
        if "[Content_Types].xml" not in names:
            return None
        for prefix, content_type, extension in _OOXML:
            if any(name.startswith(prefix) for name in names):
                return FileType(content_type, extension)
    return None


def _odf_type(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> FileType | None:
    """OpenDocument by its 'mimetype' entry, of which at most a hundred bytes are unpacked."""
    if info.file_size > _MIMETYPE_MAX:
        raise archives.refused(_ODD_MIMETYPE)
    try:
        with archive.open(info) as stream:
            head = stream.read(_MIMETYPE_MAX)  # a bounded read: zipfile unpacks no further
    except archives.ZIP_ERRORS:
        return None
    mimetype = head.decode("ascii", "replace").strip()
    extension = _ODF.get(mimetype)
    return FileType(mimetype, extension) if extension else None


def known_type(content_type: str) -> FileType | None:
    """The accepted type with this MIME type (None for others, e.g. an OSO ZIP)."""
    known = [found for _, found in _SIGNATURES]
    known += [FileType(content_type, extension) for _, content_type, extension in _OOXML]
    known += [FileType(content_type, extension) for content_type, extension in _ODF.items()]
    return next((found for found in known if found.content_type == content_type), None)


def stored_name(filename: str, found: FileType) -> str:
    """The name to keep: the uploader's (last path part, no control characters), with the
    detected type's extension unless the given one already names that type."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c if c.isprintable() else "_" for c in base).strip().rstrip(". ")[:200]
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    stem = stem.strip() or _NO_NAME
    if extension.lower() in found.extensions:
        return f"{stem}.{extension}"
    return f"{stem}.{found.extension}"


def check_upload(data: bytes, *, limit: int = MAX_UPLOAD_BYTES) -> FileType:
    """The detected type; Rejected (Dutch) for an empty, too large or unknown file."""
    if not data:
        message = "Het bestand is leeg."
    elif len(data) > limit:
        message = f"Het bestand is groter dan {limit // (1024 * 1024)} MB."
    else:
        found = detect(data)
        if found is not None:
            return found
        message = REFUSED
    raise Rejected(message, violations=[Violation("bestand", message)])
