"""Read one OSO gegevensset 2019.1 dossier into the domain's ``OsoDossier``.

Order of checks: size and hostile constructs (``xmlsafe``), namespace and ``standaardversie``
(so an older or newer dossier is refused by name, not with a list of schema errors), XSD
validation (schema compiled once per thread), identity (sender BRIN, BSN), then extraction.
A dossier that fails any of these is refused. One that passes is also run through
Edustandaard's official business rules (``official_rules``): their messages travel with the
dossier (``OsoDossier.rule_messages``) and do not refuse it; the school fixes them in its LAS.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import re
import threading
import zoneinfo

import attrs
from lxml import etree

from elk_adapters.oso.dossiers import fields as dossier_fields
from elk_adapters.oso.dossiers import official_rules
from elk_adapters.oso.dossiers import records as dossier_records
from elk_adapters.oso.dossiers.xmlsafe import MAX_XML_BYTES, parse_untrusted
from elk_adapters.oso.dossiers.xmltext import (
    OSO_NS,
    ChildTexts,
    child,
    required,
    required_date,
    text,
    xpath,
)
from elk_domain.errors import Rejected, Violation
from elk_domain.kernel.values import Bsn, SchoolLocation
from elk_domain.oso.dossiers.dossier import OsoDossier, RuleMessage, check_identity

#: The mark of a category the parents withheld (selectief uitleveren, code list 48).
WITHHELD = "OPT-UIT"
#: The gegevensset version this parser understands (``metadata/standaardversie``).
SUPPORTED_VERSION = "2019.1"
SCHEMA_FILE = "OSO_gegevensset_2019.1.xsd"
_AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
_OSO_NS_RE = re.compile(r"^http://www\.edustandaard\.nl/oso_gegevensset/(.+?)/")


_COMPILING = threading.Lock()
_PER_THREAD = threading.local()


def schema() -> etree.XMLSchema:
    """The compiled 2019.1 XSD of this thread (compiled on first use, ~15 ms).

    One per thread, compiled one thread at a time: libxml2 compiling the schema in two
    threads at once failed ("Document is not valid XML Schema"), crashed or left a schema
    whose validation never ended; and a compiled schema has one error log, which a
    validation in another thread clears or fills, so an invalid dossier could come back
    without its errors (``schema_violations``) or with another dossier's.
    """
    compiled: etree.XMLSchema | None = getattr(_PER_THREAD, "schema", None)
    if compiled is None:
        source = importlib.resources.files("elk_adapters.oso.schema").joinpath(SCHEMA_FILE)
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        with _COMPILING:
            compiled = etree.XMLSchema(etree.fromstring(source.read_bytes(), parser))
        _PER_THREAD.schema = compiled
    return compiled


def check_version(root: etree._Element) -> str:
    """Refuse anything but a 2019.1 dossier, naming what was sent instead."""
    ns = etree.QName(root).namespace or ""
    if ns != OSO_NS:
        match = _OSO_NS_RE.match(ns)
        if match:
            raise Rejected(
                f"Dit dossier heeft OSO-gegevensset versie {match.group(1)}; ELK leest alleen "
                f"versie {SUPPORTED_VERSION}."
            )
        raise Rejected(
            f"Dit is geen OSO-dossier (element '{etree.QName(root).localname}' in namespace "
            f"'{ns or 'geen'}')."
        )
    version = text(root, "metadata/standaardversie")
    if version != SUPPORTED_VERSION:
        raise Rejected(
            f"Dit dossier heeft OSO-gegevensset versie {version or 'onbekend'}; ELK leest alleen "
            f"versie {SUPPORTED_VERSION}."
        )
    return version


def schema_violations(root: etree._Element) -> list[Violation]:
    """All XSD errors of a tree, each with its line number."""
    checker = schema()
    if checker.validate(root):
        return []
    found = [Violation(f"regel {e.line}", e.message) for e in checker.error_log]
    return found or [Violation("dossier", "Het dossier voldoet niet aan het schema.")]


def load(data: bytes, *, max_bytes: int = MAX_XML_BYTES) -> etree._Element:
    """Parse safely, check the version and validate; Rejected lists every schema error."""
    root = parse_untrusted(data, max_bytes=max_bytes)
    check_version(root)
    problems = schema_violations(root)
    if problems:
        raise Rejected(
            f"Het dossier voldoet niet aan het OSO-schema {SUPPORTED_VERSION} "
            f"({len(problems)} fout(en)).",
            violations=problems,
        )
    return root


def _identity(root: etree._Element) -> tuple[SchoolLocation, Bsn, etree._Element]:
    """Sender location, pupil BSN and the ``leerling`` element."""
    school = required(root, "huidigeschool")
    leerling = required(school, "leerling")
    sender = SchoolLocation(text(school, "brincode"), text(school, "vestigingscode"))
    raw_bsn = text(leerling, "bsn")
    if not raw_bsn:
        raise Rejected(
            "Het dossier bevat geen BSN (alleen een onderwijsnummer); ELK vraagt op BSN."
        )
    return sender, Bsn.parse(raw_bsn), leerling


def _group(leerling: etree._Element) -> str:
    """The group of the latest school-career line (by start date, else document order)."""
    lines = [ChildTexts(line) for line in xpath(leerling, "schoolloopbaanlijst/schoolloopbaan")]
    if not lines:
        return ""
    latest = max(enumerate(lines), key=lambda il: (il[1]("schooljaar"), il[0]))[1]
    return latest("groepsnaam") or latest("groepscode")


def withheld(root: etree._Element) -> frozenset[str]:
    """The categories marked OPT-UIT in ``categorie_uitlevering``, without ``cat_``."""
    marks = xpath(root, "metadata/categorie_uitlevering/*")
    return frozenset(
        etree.QName(mark).localname.removeprefix("cat_")
        for mark in marks
        if (mark.text or "").strip() == WITHHELD
    )


def parse_dossier(
    data: bytes,
    *,
    location: SchoolLocation | None = None,
    bsn: Bsn | None = None,
    max_bytes: int = MAX_XML_BYTES,
) -> OsoDossier:
    """Validate and read one dossier; ``location``/``bsn`` must match when given."""
    root = load(data, max_bytes=max_bytes)
    sender, pupil_bsn, leerling = _identity(root)
    check_identity(sender, pupil_bsn, location=location, pupil_bsn=bsn)
    advice = child(leerling, "overstapadvies")
    dossier_date = required_date(root, "metadata/datum")
    return OsoDossier(
        sender=sender,
        bsn=pupil_bsn,
        dossier_date=dt.datetime.combine(dossier_date, dt.time(), tzinfo=_AMSTERDAM),
        gegevensset_version=SUPPORTED_VERSION,
        sender_name=text(root, "huidigeschool/naam"),
        fields=dossier_fields.all_fields(leerling),
        test_results=dossier_records.test_results(leerling),
        final_test_results=dossier_records.final_test_results(leerling),
        career=dossier_records.career(leerling),
        attachments=dossier_records.attachments(leerling),
        advice_code=text(advice, "herzienadvies") or text(advice, "advies") or None,
        group_name=_group(leerling),
        group_teachers=(),  # the 2019.1 gegevensset has no element for group teachers
        rule_messages=official_rules.check(root),
        withheld=withheld(root),
    )


@attrs.frozen
class DossierCheck:
    """What ``elk oso validate`` says of one file: refused (and why), or the rules' messages."""

    refusal: str = ""  # why ELK would refuse the dossier ("" when it reads it)
    errors: tuple[Violation, ...] = ()  # the refusal's details (XSD errors with their lines)
    rule_messages: tuple[RuleMessage, ...] = ()  # of a dossier that is read

    @property
    def passed(self) -> bool:
        """Read, and no official rule broken."""
        return not self.refusal and not self.rule_messages


def check(data: bytes) -> DossierCheck:
    """Read a dossier as a sync would and report it: refusal, rule messages, or neither."""
    try:
        dossier = parse_dossier(data)
    except Rejected as exc:
        return DossierCheck(refusal=exc.message, errors=tuple(exc.violations))
    return DossierCheck(rule_messages=dossier.rule_messages)
