"""Growing records from an OSO dossier: school career, test results and attachments."""

from __future__ import annotations

import base64
import binascii
import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from elk_adapters.oso.xmltext import (
    OSO_NS,
    child,
    children,
    date,
    node_date,
    node_integer,
    node_text,
    q,
    required_date,
    text,
    xpath,
)
from elk_domain.errors import Rejected
from elk_domain.model.dossier import DossierAttachment
from elk_domain.model.okidoc import CareerEntry, Source, TestResult
from elk_domain.model.values import SchoolYear

#: Largest single attachment accepted after base64 decoding.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

#: Content type by file extension. Anything else is kept as an opaque download
#: (``application/octet-stream``); a ZIP is stored as one file and never unpacked.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "rtf": "application/rtf",
    "txt": "text/plain",
    "csv": "text/csv",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "zip": "application/zip",
}

_ZIP_MAGIC = b"PK\x03\x04"
_OFFICE_ZIPS = frozenset({"docx", "xlsx", "odt"})

#: Section of the dossier a document hangs under → the attachment kind ELK shows.
_KINDS = {
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


def career(leerling: etree._Element) -> tuple[CareerEntry, ...]:
    """One entry per ``schoolloopbaan`` line that has a start date."""
    entries = []
    for line in xpath(leerling, "schoolloopbaanlijst/schoolloopbaan"):
        start = date(line, "begindatum")
        if start is None:
            continue  # without a start date a line has no natural key; it is not usable
        brin = text(line, "brincode")
        entries.append(
            CareerEntry(
                school_name=f"{brin}{text(line, 'vestigingscode')}",
                start=start,
                end=date(line, "einddatum"),
                brin=brin,
                group=text(line, "groepsnaam") or text(line, "groepscode"),
                source=Source.OSO,
            )
        )
    return tuple(entries)


def _references(result: etree._Element | None) -> dict[str, str]:
    """Reference scores (codelijst 11) of a test result: code → value, the first per code."""
    scores: dict[str, str] = {}
    for score in () if result is None else result.iterchildren(_REFERENTIESCORE):
        parts = children(score)
        scores.setdefault(node_text(parts.get(_CODE)), node_text(parts.get(_WAARDE)))
    return scores


def _as_int(raw: str) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def test_results(leerling: etree._Element) -> tuple[TestResult, ...]:
    """LVS tests (toetslijst) with DL, DLE and reference level."""
    return tuple(_test(t) for t in xpath(leerling, "toetslijst/toets"))


def final_test_results(leerling: etree._Element) -> tuple[TestResult, ...]:
    """The final test (doorstroomtoets): standard score, and the outcome as free text."""
    final = child(leerling, "eindtoets_basisonderwijs/eindtoetsresultaat")
    if final is None:
        return ()
    taken = required_date(final, "datum_afname")
    return (
        TestResult(
            school_year=SchoolYear.of(taken),
            taken_on=taken,
            test_name=text(final, "toetsomschrijving") or text(final, "toetssoort"),
            subject="Doorstroomtoets",
            score=text(final, "standaardscore"),
            level=text(final, "toets_advies"),
        ),
    )


_TOETSIDENTIFICATIE, _AFNAME, _RESULTAAT = q("toetsidentificatie"), q("afname"), q("resultaat")
_TOETSNAAM, _ELDTOETSCODE, _LEERGEBIED = q("toetsnaam"), q("eldtoetscode"), q("leergebied")
_AFNAMEDATUM, _DL, _TOETSSCORE = q("afnamedatum"), q("dl"), q("toetsscore")
_VAARDIGHEIDSSCORE, _AANTALGOED = q("vaardigheidsscore"), q("aantalgoed")
_REFERENTIESCORE, _CODE, _WAARDE = q("referentiescore"), q("codereferentiescore"), q("waarde")


def _test(toets: etree._Element) -> TestResult:
    """One LVS test: the score is the ability score, else the number correct.

    Read with one pass over each level (``children``): a dossier has dozens of tests, and
    per-field lookups were most of the time spent reading it.
    """
    parts = children(toets)
    ident, afname = children(parts.get(_TOETSIDENTIFICATIE)), children(parts.get(_AFNAME))
    taken = node_date(afname.get(_AFNAMEDATUM))
    if taken is None:
        raise Rejected("Het dossier mist het verplichte element 'afname/afnamedatum'.")
    result = parts.get(_RESULTAAT)
    score = children(children(result).get(_TOETSSCORE))
    references = _references(result)
    return TestResult(
        school_year=SchoolYear.of(taken),
        taken_on=taken,
        test_name=node_text(ident.get(_TOETSNAAM)) or node_text(ident.get(_ELDTOETSCODE)),
        subject=node_text(ident.get(_LEERGEBIED)),
        score=node_text(score.get(_VAARDIGHEIDSSCORE))
        or node_text(score.get(_AANTALGOED))
        or references.get("IQ", ""),
        dle=_as_int(references.get("DLE", "")),
        dl=node_integer(afname.get(_DL)),
        level=references.get("RNTRM", "") or references.get("AE", ""),
    )


def _documents(leerling: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """Every ``document`` element with the kind of the section it hangs under."""
    for doc in leerling.iter(q("document")):
        parent = doc.getparent()
        while parent is not None and parent.tag.removeprefix(f"{{{OSO_NS}}}") not in _KINDS:
            parent = parent.getparent()
        kind = "overig" if parent is None else _KINDS[parent.tag.removeprefix(f"{{{OSO_NS}}}")]
        yield kind, doc


#: What ``str.split()`` treats as whitespace in ASCII text.
_ASCII_WHITESPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"


def _base64_text(doc: etree._Element) -> str:
    """The document's base64 content without whitespace (LASs may wrap lines)."""
    node = child(doc, "bestandsinhoud")
    raw = "" if node is None else node.text or ""
    # Copying a large text only to drop whitespace it does not have is most of the cost.
    if raw.isascii() and not any(space in raw for space in _ASCII_WHITESPACE):
        return raw
    return "".join(raw.split())


def decode_attachment(kind: str, doc: etree._Element) -> DossierAttachment:
    """One document, base64-decoded; Rejected when too large or not valid base64."""
    name = text(doc, "bestandsnaam")
    raw = _base64_text(doc)
    if len(raw) * 3 // 4 > MAX_ATTACHMENT_BYTES:
        raise Rejected(
            f"Bijlage '{name}' is groter dan {MAX_ATTACHMENT_BYTES // 1_048_576} MB "
            "en is niet ingelezen."
        )
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Rejected(f"Bijlage '{name}' is niet goed gecodeerd (geen geldige base64).") from exc
    filename, content_type = classify(name, data)
    return DossierAttachment.from_bytes(
        kind=kind, filename=filename, content_type=content_type, data=data
    )


def classify(name: str, data: bytes) -> tuple[str, str]:
    """Safe file name and content type; an OSO-zipped document stays a ZIP (``name.zip``).

    LASs wrap each document in a ZIP (all public samples do). ELK never unpacks it: it is
    stored and offered for download as the ZIP it is. An Office file is itself a ZIP; it is
    recognised by its package entries, read from the central directory without decompressing.
    """
    # Only the last path part: a name like '../../x' must never steer where a file lands.
    safe = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "bijlage"
    ext = safe.rsplit(".", 1)[-1].lower() if "." in safe else ""
    if data.startswith(_ZIP_MAGIC) and ext != "zip" and not _is_office_package(ext, data):
        return f"{safe}.zip", CONTENT_TYPES["zip"]
    return safe, CONTENT_TYPES.get(ext, "application/octet-stream")


def _is_office_package(ext: str, data: bytes) -> bool:
    if ext not in _OFFICE_ZIPS:
        return False
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names or "mimetype" in names


def attachments(leerling: etree._Element) -> tuple[DossierAttachment, ...]:
    """Every document in the dossier, with the kind of section it came from."""
    return tuple(decode_attachment(kind, doc) for kind, doc in _documents(leerling))
