"""The same-work baseline of ``BENCH oso_sync``, part 3: the dossier's documents as files.

Read as ``elk_adapters.oso.dossiers.records.attachments`` does (the kind by the section a document
hangs under, strict base64, the size limit, a safe name, a ZIP kept whole as ``name.zip``) and
written as ``FilesystemFileStore.put`` does (a random key, ``root/ab/cdef…``, a temp file renamed
into place, no fsync, folders 0700 and files 0600), with ``binascii``, ``hashlib`` and plain
``open``.
"""

from __future__ import annotations

import binascii
import hashlib
import io
import os
import secrets
import zipfile
from collections.abc import Iterator
from typing import Any

from lxml import etree

from elk_adapters.oso.dossiers.records import CONTENT_TYPES, MAX_ATTACHMENT_BYTES

NS = "{http://www.edustandaard.nl/oso_gegevensset/2019/dossier}"
_KINDS = {  # as dossier_records._KINDS: the section a document hangs under
    "toelichting_onderwijsbehoeften": "onderwijsbehoeften",
    "diagnose": "diagnose",
    "handelingsplan": "handelingsplan",
    "opp": "opp",
    "tlv": "tlv",
    "lwoo": "lwoo",
    "rvc": "rvc",
    "documentLijst": "verzuim",
    "eindtoets_basisonderwijs": "doorstroomtoets",
    "resultaat": "toets",
    "overigdocumentlijst": "overig",
}


def attachments(leerling: etree._Element) -> Iterator[tuple[dict[str, Any], bytes]]:
    """(record without key and time, bytes) per document, as ``dossier_records.attachments``."""
    for doc in leerling.iter(NS + "document"):
        parent, kind = doc.getparent(), "overig"
        while parent is not None:
            if (found := _KINDS.get(parent.tag.removeprefix(NS))) is not None:
                kind = found
                break
            parent = parent.getparent()
        raw = doc.findtext(NS + "bestandsinhoud") or ""
        try:
            data = binascii.a2b_base64(raw, strict_mode=True)
        except (binascii.Error, ValueError):
            data = binascii.a2b_base64("".join(raw.split()), strict_mode=True)
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise ValueError("attachment too large")
        name, content_type = _classify((doc.findtext(NS + "bestandsnaam") or "").strip(), data)
        sha = hashlib.sha256(data).hexdigest()
        record = {"kind": kind, "filename": name, "content_type": content_type}
        yield {**record, "size": len(data), "sha256": sha}, data


def _classify(name: str, data: bytes) -> tuple[str, str]:
    safe = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "bijlage"
    ext = safe.rsplit(".", 1)[-1].lower() if "." in safe else ""
    if data.startswith(b"PK\x03\x04") and ext != "zip" and not _office(ext, data):
        return f"{safe}.zip", CONTENT_TYPES["zip"]
    return safe, CONTENT_TYPES.get(ext, "application/octet-stream")


def _office(ext: str, data: bytes) -> bool:
    if ext not in {"docx", "xlsx", "odt"}:
        return False
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names or "mimetype" in names


def store(root: str, data: bytes) -> str:
    """Write ``data`` under a new random key below ``root`` (folders 0700, files 0600, as
    ``elk_adapters.files``) and return the key."""
    key = secrets.token_hex(32)
    directory = os.path.join(root, key[:2])
    os.makedirs(directory, mode=0o700, exist_ok=True)
    path = os.path.join(directory, key[2:])
    with open(f"{path}.tmp", "wb", opener=_private) as out:
        out.write(data)
    os.replace(f"{path}.tmp", path)
    return key


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)
