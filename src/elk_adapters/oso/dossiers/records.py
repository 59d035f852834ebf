"""Growing records from an OSO dossier: school career, test results and attachments."""

from __future__ import annotations

import binascii
import datetime as dt
import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from elk_adapters.oso.dossiers.xmltext import (
    OSO_NS,
    ChildTexts,
    child,
    iso_date,
    q,
    required_date,
    text,
    xpath,
)
from elk_domain.errors import Rejected
from elk_domain.kernel.values import SchoolYear
from elk_domain.okidoc.model import CareerEntry, Source, TestResult
from elk_domain.oso.dossiers.dossier import DossierAttachment

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
    for line in map(ChildTexts, xpath(leerling, "schoolloopbaanlijst/schoolloopbaan")):
        start = iso_date(line("begindatum"))
        if start is None:
            continue  # without a start date a line has no natural key; it is not usable
        brin = line("brincode")
        entries.append(
            CareerEntry(
                school_name=f"{brin}{line('vestigingscode')}",
                start=start,
                end=iso_date(line("einddatum")),
                brin=brin,
                group=line("groepsnaam") or line("groepscode"),
                source=Source.OSO,
            )
        )
    return tuple(entries)


def _as_int(raw: str) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def test_results(leerling: etree._Element) -> tuple[TestResult, ...]:
    """LVS tests (toetslijst) with DL, DLE and reference level."""
    return tuple(
        _test(texts, references)
        for lijst in leerling.iterchildren(_TOETSLIJST)
        for texts, references in _test_parts(lijst)
    )


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


_TOETSLIJST, _TOETS, _TOETSONDERDEEL = q("toetslijst"), q("toets"), q("toetsonderdeel")
_TOETSNAAM, _ELDTOETSCODE, _LEERGEBIED = q("toetsnaam"), q("eldtoetscode"), q("leergebied")
_AFNAMEDATUM, _DL = q("afnamedatum"), q("dl")
_VAARDIGHEIDSSCORE, _AANTALGOED = q("vaardigheidsscore"), q("aantalgoed")
_CODE, _WAARDE = q("codereferentiescore"), q("waarde")
#: Every element a test is read from; lxml matches these in C and skips the rest.
_TEST_TAGS = (
    _TOETS,
    _TOETSONDERDEEL,
    _TOETSNAAM,
    _ELDTOETSCODE,
    _LEERGEBIED,
    _AFNAMEDATUM,
    _DL,
    _VAARDIGHEIDSSCORE,
    _AANTALGOED,
    _CODE,
    _WAARDE,
)


def _test_parts(lijst: etree._Element) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """Per ``toets``: its texts by tag (the first of each) and its reference scores
    (codelijst 11: code → value, the first per code).

    One walk over the whole list instead of lookups per test and level (a dossier has dozens
    of tests, and those lookups were most of the time spent reading it). Only for a validated
    tree: the schema fixes that each tag occurs once where it is read, that every
    ``referentiescore`` has a code and then a value, and that sub-tests (``toetsonderdeel``,
    with results of their own) come after the test's own result; they are skipped.
    """
    texts: dict[str, str] = {}
    references: dict[str, str] = {}
    started = in_part = False
    code = ""
    for node in lijst.iter(*_TEST_TAGS):
        tag = node.tag
        if tag == _TOETS:
            if started:
                yield texts, references
            texts, references, started, in_part = {}, {}, True, False
        elif in_part:
            continue
        elif tag == _TOETSONDERDEEL:
            in_part = True
        elif tag == _CODE:
            code = (node.text or "").strip()
        elif tag == _WAARDE:
            references.setdefault(code, (node.text or "").strip())
        else:
            texts.setdefault(tag, (node.text or "").strip())
    if started:
        yield texts, references


def _test(texts: dict[str, str], references: dict[str, str]) -> TestResult:
    """One LVS test: the score is the ability score, else the number correct."""
    taken_text = texts.get(_AFNAMEDATUM, "")
    if not taken_text:
        raise Rejected("Het dossier mist het verplichte element 'afname/afnamedatum'.")
    taken = dt.date.fromisoformat(taken_text[:10])
    return TestResult(
        school_year=SchoolYear.of(taken),
        taken_on=taken,
        test_name=texts.get(_TOETSNAAM, "") or texts.get(_ELDTOETSCODE, ""),
        subject=texts.get(_LEERGEBIED, ""),
        score=texts.get(_VAARDIGHEIDSSCORE, "")
        or texts.get(_AANTALGOED, "")
        or references.get("IQ", ""),
        dle=_as_int(references.get("DLE", "")),
        dl=_as_int(texts.get(_DL, "")),
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


def _base64_text(doc: etree._Element) -> str:
    """The document's base64 content as sent (LASs may wrap lines; see ``_decode``)."""
    node = child(doc, "bestandsinhoud")
    return "" if node is None else node.text or ""


def _decode(raw: str) -> bytes:
    """Strict base64 (``binascii.Error``/``ValueError`` when not valid), whitespace ignored.

    Straight to ``binascii`` on the text: ``base64.b64decode`` would first copy it to bytes,
    and scanning a large text for whitespace it does not have cost more than decoding it.
    Only text the strict decoder refuses is stripped of whitespace and decoded once more.
    """
    try:
        return binascii.a2b_base64(raw, strict_mode=True)
    except (binascii.Error, ValueError):
        return binascii.a2b_base64("".join(raw.split()), strict_mode=True)


def _too_large(raw: str) -> bool:
    """More than ``MAX_ATTACHMENT_BYTES`` once decoded; wrapping whitespace does not count."""
    if len(raw) * 3 // 4 <= MAX_ATTACHMENT_BYTES:
        return False  # the common case, decided without copying the text
    return len("".join(raw.split())) * 3 // 4 > MAX_ATTACHMENT_BYTES


def decode_attachment(kind: str, doc: etree._Element) -> DossierAttachment:
    """One document, base64-decoded; Rejected when too large or not valid base64."""
    name = text(doc, "bestandsnaam")
    raw = _base64_text(doc)
    if _too_large(raw):
        raise Rejected(
            f"Bijlage '{name}' is groter dan {MAX_ATTACHMENT_BYTES // 1_048_576} MB "
            "en is niet ingelezen."
        )
    try:
        data = _decode(raw)
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
