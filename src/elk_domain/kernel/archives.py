"""A ZIP upload judged by its central directory before anything in it is unpacked.

Office documents are ZIP archives, and a ZIP can be a bomb: a 1 MB file whose entry unpacks to
a gigabyte (issue 12). ``open_checked`` reads only the directory (names, declared sizes, flags,
offsets) and refuses a hostile archive with a Dutch reason in plain words; the caller then reads
at most a few bytes of one entry through zipfile's bounded stream. Nothing is unpacked whole.
The caps and why: docs/decisions/0034-hostile-uploads-and-answers.md.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

from elk_domain.errors import Rejected, Violation

#: More entries than any school document has (a large workbook: a few hundred).
MAX_ENTRIES = 2_000
#: Declared unpacked size of all entries together: 32 times the largest upload.
MAX_UNPACKED_BYTES = 320 * 1024 * 1024
#: Unpacked/packed size of one entry beyond which it is a bomb (XML: 5-30 times).
MAX_RATIO = 200
_RATIO_FROM = 1024 * 1024  # a small entry may compress any amount
_MAX_DIRECTORY_BYTES = MAX_ENTRIES * 512
_LOCAL_HEADER = 30
_END = struct.Struct("<4s4H2LH")  # end of central directory record
_END_SIGNATURE = b"PK\x05\x06"
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_ARCHIVES = (".zip", ".gz", ".tgz", ".7z", ".rar", ".bz2", ".xz", ".tar", ".jar")
_BAD_NAME = re.compile(r"^/|\\|:|(^|/)\.\.(/|$)|[\x00-\x1f\x7f]")

#: What zipfile may raise on a damaged archive; such a file is simply not a document.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    KeyError,
    NotImplementedError,
    RuntimeError,
    struct.error,
    zlib.error,
)

TOO_MANY = f"Het bestand bestaat uit te veel onderdelen (meer dan {MAX_ENTRIES})."
TOO_BIG = (
    "Het bestand wordt uitgepakt veel te groot "
    f"(meer dan {MAX_UNPACKED_BYTES // (1024 * 1024)} MB)."
)
SQUEEZED = (
    f"Een onderdeel van het bestand is extreem sterk samengeperst (meer dan {MAX_RATIO} keer); "
    "zo ziet een schadelijk bestand eruit."
)
BAD_NAME = "Het bestand bevat een onderdeel met een ongeldige naam."
DUPLICATE = "Het bestand bevat twee onderdelen met dezelfde naam."
NESTED = "Het bestand bevat zelf weer een ZIP-bestand of een ander archief."
ENCRYPTED = "Het bestand bevat een versleuteld onderdeel."
METHOD = "Het bestand is op een ongebruikelijke manier ingepakt."
OVERLAP = "Het bestand is vreemd opgebouwd: onderdelen overlappen elkaar."
_ADVICE = " Het is niet toegevoegd. Sla het document opnieuw op of maak er een PDF van."


def refused(reason: str, advice: str = _ADVICE) -> Rejected:
    """The refusal of a hostile archive: what is wrong, then what the user can do."""
    message = reason + advice
    return Rejected(message, violations=[Violation("bestand", message)])


def open_checked(data: bytes, *, advice: str = _ADVICE) -> zipfile.ZipFile | None:
    """The archive once its directory passes every cap; None when it is no readable ZIP.

    Raises Rejected (via ``refused``, ending with ``advice``: what the user can do) for a
    hostile one. The caller closes the archive.
    """
    declared = _end_record(data)
    if declared is None:
        return None
    entries, directory_bytes = declared
    if entries > MAX_ENTRIES or directory_bytes > _MAX_DIRECTORY_BYTES:
        raise refused(TOO_MANY, advice)  # decided before zipfile reads the directory
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        return None
    problem = _problem(archive.infolist(), len(data))
    if problem is not None:
        archive.close()
        raise refused(problem, advice)
    return archive


def _end_record(data: bytes) -> tuple[int, int] | None:
    """Entry count and directory size as the end record declares them (None: no ZIP)."""
    at = data.rfind(_END_SIGNATURE, max(0, len(data) - _END.size - 0xFFFF))
    if at < 0 or len(data) - at < _END.size:
        return None
    fields = _END.unpack_from(data, at)
    return fields[4], fields[5]


def _problem(infos: list[zipfile.ZipInfo], size: int) -> str | None:
    """The first thing wrong with the directory, in plain words; None when it looks sane."""
    if len(infos) > MAX_ENTRIES:  # the end record understated the count
        return TOO_MANY
    return _names(infos) or _methods(infos) or _sizes(infos) or _layout(infos, size)


def _names(infos: list[zipfile.ZipInfo]) -> str | None:
    names = [info.filename for info in infos]
    if any(_BAD_NAME.search(name) for name in names):
        return BAD_NAME
    if len(set(names)) != len(names):
        return DUPLICATE
    if any(name.lower().endswith(_ARCHIVES) for name in names):
        return NESTED
    return None


def _methods(infos: list[zipfile.ZipInfo]) -> str | None:
    if any(info.flag_bits & 0x1 for info in infos):
        return ENCRYPTED
    if any(info.compress_type not in _METHODS for info in infos):
        return METHOD
    return None


def _sizes(infos: list[zipfile.ZipInfo]) -> str | None:
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        return TOO_BIG
    for info in infos:
        if info.file_size > _RATIO_FROM and info.file_size > MAX_RATIO * info.compress_size:
            return SQUEEZED
    return None


def _layout(infos: list[zipfile.ZipInfo], size: int) -> str | None:
    """Each entry's data ends before the next entry starts (a 'better zip bomb' reuses one
    compressed kernel for many entries by letting them overlap)."""
    if not infos:
        return None  # nothing listed, nothing to overlap (a damaged directory can list nothing)
    ordered = sorted(infos, key=lambda info: info.header_offset)
    ends = [info.header_offset + _LOCAL_HEADER + info.compress_size for info in ordered]
    starts = [info.header_offset for info in ordered[1:]] + [size]
    if any(end > start for end, start in zip(ends, starts, strict=True)):
        return OVERLAP
    return None
