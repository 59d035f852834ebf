"""Builds OSO 2019.1 dossier XML from simple Python data (``dossier_data``).

Every document built here validates against the copied XSD (the tests check this for
arbitrary data), in either OV profile (``Transfer``), with the categories the parents withheld
left out and marked. The simulator's own dossiers (``samples``) also pass Edustandaard's
official business rules (a property test checks this), so the simulator serves only what a
real LAS could send.
"""

from __future__ import annotations

import base64
import datetime as dt

from lxml import etree

from elk_adapters.oso.dossiers.official_rules import RULES_VERSION
from elk_adapters.oso.simulator.dossier_data import (
    CareerLine,
    DossierData,
    PersonData,
    Transfer,
    category_marks,
    delivered,
)
from elk_domain.kernel.values import SchoolLocation, SchoolYear


class _Builder:
    """Appends namespaced elements in XSD order, skipping empty optional values."""

    def __init__(self, namespace: str) -> None:
        self.ns = namespace

    def el(self, parent: etree._Element, name: str, value: object = None) -> etree._Element:
        node = etree.SubElement(parent, f"{{{self.ns}}}{name}")
        if value is not None:
            node.text = value.isoformat() if isinstance(value, dt.date) else str(value)
        return node

    def opt(self, parent: etree._Element, name: str, value: object) -> None:
        if value not in (None, ""):
            self.el(parent, name, value)


def _person(b: _Builder, node: etree._Element, p: PersonData) -> None:
    """The persoonType head: names, gender, address, contacts."""
    b.el(node, "voornaam", p.first_name)
    b.opt(node, "voorvoegsel", p.tussenvoegsel)
    b.el(node, "achternaam", p.last_name)


def _address(b: _Builder, node: etree._Element, kind: str, parts: tuple[str, ...]) -> None:
    """One ``adres`` (code list 19 ``kind``): street, number, postcode, place."""
    adr = b.el(b.el(node, "adreslijst"), "adres")
    b.el(adr, "soortadres", kind)
    for name, value in zip(("straat", "nummer", "postcode", "plaats"), parts, strict=True):
        b.el(adr, name, value)


def _communication(b: _Builder, node: etree._Element, items: list[tuple[str, str, str]]) -> None:
    """A ``communicatielijst`` of (soort, aanduiding, nummer); none when ``items`` is empty."""
    if items:
        lst = b.el(node, "communicatielijst")
        for kind, where, value in items:
            com = b.el(lst, "communicatie")
            b.el(com, "soort", kind)
            b.el(com, "aanduiding", where)
            b.el(com, "nummer", value)


def _contact_blocks(b: _Builder, node: etree._Element, p: PersonData) -> None:
    if p.street:
        parts = (p.street, p.house_number or "1", p.postcode or "1234AB", p.city or "Onbekend")
        _address(b, node, "gba", parts)
    items = (("e-mail", p.email), ("telefoon", p.phone))
    _communication(b, node, [(kind, "prive", value) for kind, value in items if value])


def _metadata(b: _Builder, root: etree._Element, d: DossierData) -> None:
    meta = b.el(root, "metadata")
    for name, value in (
        ("deeldossier", "LASLVS"),
        ("pakketnaam", "ELK-simulator"),
        ("pakketversie", "1"),
        ("datum", d.dossier_date),
        ("standaardversie", d.version),
        ("validatieversie", RULES_VERSION),  # the official rules' version (OVa/OVb.MD02)
    ):
        b.el(meta, name, value)
    marks = b.el(meta, "categorie_uitlevering")  # required by OVa.MD03 and OVb.MD03
    for name, value in category_marks(d.transfer, d.withheld):
        b.el(marks, name, value)
    b.el(meta, "overstap", d.transfer.overstap)
    b.el(root, "overdrachtsoort", d.transfer.overdrachtsoort)
    if d.transfer is Transfer.PO_VO:  # seen by the parents, who agreed (OVa.IZ01-IZ04)
        inzage = b.el(root, "inzage")
        for name, value in (
            ("voorlopigdossier", "false"),
            ("inzage", "true"),
            ("inzagedatum", d.dossier_date),
            ("akkoord", "Ja"),
        ):
            b.el(inzage, name, value)


def _school(b: _Builder, root: etree._Element, d: DossierData) -> etree._Element:
    """The school, with the address and contacts an overstapdossier needs (OVa.SL01, SL02)."""
    school = b.el(root, "huidigeschool")
    b.el(school, "naam", f"Simulatieschool {d.location}")
    _address(b, school, "bezoek", ("Schoolplein", "1", "1234AB", "Simulatiestad"))
    _communication(b, school, [("telefoon", "werk", "0201234567")])
    b.el(school, "brincode", d.location.brin)
    b.el(school, "vestigingscode", d.location.vestiging)
    b.el(school, "aanleverpunt", "1")
    return b.el(school, "leerling")


def _final_test(b: _Builder, leerling: etree._Element, d: DossierData) -> None:
    if d.final_test is not None:
        block = b.el(leerling, "eindtoets_basisonderwijs")
        res = b.el(block, "eindtoetsresultaat")
        items: tuple[tuple[str, object], ...] = (
            ("toetssoort", "0011"),
            ("toetsniveau", "G"),
            ("toetsomschrijving", d.final_test.name),
            ("datum_afname", d.final_test.taken_on),
            ("standaardscore", d.final_test.score),
            ("toets_advies", d.final_test.advice),
        )
        for name, value in items:
            b.el(res, name, value)
        b.el(res, "onderdelen")
        b.el(block, "deelgenomen", "true")


def _tests(b: _Builder, leerling: etree._Element, d: DossierData) -> None:
    if not d.tests:
        return
    lst = b.el(leerling, "toetslijst")
    for t in d.tests:
        toets = b.el(lst, "toets")
        ident = b.el(toets, "toetsidentificatie")
        b.el(ident, "eldtoetscode", t.code)
        b.el(ident, "leergebied", t.subject)
        b.el(ident, "toetsnaam", t.name)
        afname = b.el(toets, "afname")
        b.el(afname, "afnamedatum", t.taken_on)
        b.opt(afname, "dl", t.dl)
        res = b.el(toets, "resultaat")
        b.el(b.el(res, "toetsscore"), "vaardigheidsscore", t.score)
        refs: tuple[tuple[str, object], ...] = (("RNTRM", t.level), ("DLE", t.dle))
        for code, value in refs:
            if value not in (None, ""):
                ref = b.el(res, "referentiescore")
                b.el(ref, "codereferentiescore", code)
                b.el(ref, "codevergelijkingsgroep", "Landelijk")
                b.el(ref, "waarde", value)


def _pupil(b: _Builder, leerling: etree._Element, d: DossierData) -> None:
    _person(b, leerling, d.pupil)
    b.el(leerling, "geboortedatum", d.birth_date)
    b.el(leerling, "geslacht", d.pupil.gender)
    # Without an address it is secret: an overstapdossier needs one otherwise (OVa.LL04, LL05).
    b.el(leerling, "adresgeheim", str(not d.pupil.street).lower())
    _contact_blocks(b, leerling, d.pupil)
    b.el(leerling, "bsn", d.bsn)
    b.el(leerling, "leerlingid", f"LL{d.bsn[-6:]}")  # the LAS's own number (OVa.LL13)
    b.el(leerling, "datuminschrijving", _enrolled_on(d.birth_date))  # OVa.LL14
    if d.delivers("oudersverzorgers"):  # OVa.LL15, OV01, AI01
        b.el(leerling, "verzorgersaansprakelijk", str(bool(d.parents)).lower())
        if not d.parents:
            b.el(b.el(leerling, "aansprakelijkeinstelling"), "naam", "Jeugdzorg Simulatie")
    _advice(b, leerling, d)
    if d.delivers("schoolloopbaan"):
        lines = b.el(leerling, "schoolloopbaanlijst")
        for earlier in d.earlier_career:
            _career_line(b, lines, d.location, earlier, ended=True)
        current = CareerLine(school_year=SchoolYear.of(d.dossier_date), group=d.group, grade=8)
        _career_line(b, lines, d.location, current)


def _enrolled_on(birth: dt.date) -> dt.date:
    """The day the pupil started school: the fourth birthday (29 February: 1 March)."""
    try:
        return birth.replace(year=birth.year + 4)
    except ValueError:
        return dt.date(birth.year + 4, 3, 1)


def _advice(b: _Builder, leerling: etree._Element, d: DossierData) -> None:
    """The overstapadvies: always in an overstapdossier (OVa.OA01), with ``contactnodig``."""
    if d.advice or d.revised_advice or d.transfer is Transfer.PO_VO:
        adv = b.el(leerling, "overstapadvies")
        b.opt(adv, "advies", d.advice)
        b.opt(adv, "herzienadvies", d.revised_advice)
        b.el(adv, "contactnodig", "false")  # OVa.OA03


def _career_line(
    b: _Builder,
    lines: etree._Element,
    location: SchoolLocation,
    career: CareerLine,
    *,
    ended: bool = False,
) -> None:
    """One schoolloopbaan; a line that has ended runs to the end of its school year."""
    line = b.el(lines, "schoolloopbaan")
    for name, value in (
        ("schooljaar", str(career.school_year)),
        ("groepscode", career.group),
        ("groepsnaam", career.group),
        ("jaargroep", str(career.grade)),
        ("begindatum", career.school_year.first_day()),
        ("einddatum", dt.date(career.school_year.start + 1, 7, 31) if ended else None),
        ("brincode", location.brin),
        ("vestigingscode", location.vestiging),
    ):
        b.opt(line, name, value)


def _document(b: _Builder, parent: etree._Element, filename: str, content: bytes) -> None:
    doc = b.el(parent, "document")
    b.el(doc, "bestandsnaam", filename)
    b.el(doc, "bestandsinhoud", base64.b64encode(content).decode("ascii"))


def _support(b: _Builder, leerling: etree._Element, d: DossierData) -> None:
    """The onderwijsondersteuning block: medication flag and handelingsplannen."""
    if d.medication is None and not d.support:
        return
    block = b.el(leerling, "onderwijsondersteuning")
    b.opt(block, "medicijngebruik", None if d.medication is None else str(d.medication).lower())
    for plan in d.support:
        node = b.el(block, "handelingsplan")
        b.el(node, "startdatum", plan.start)
        b.opt(node, "einddatum", plan.end)
        b.el(node, "isgerichtop", plan.focus)
        if plan.document is not None:
            _document(b, node, *plan.document)


def _absence(b: _Builder, leerling: etree._Element, d: DossierData) -> None:
    if d.absence is not None:
        block = b.el(leerling, "verzuim")
        b.el(block, "dagdelengeoorloofd", d.absence[0])
        b.el(block, "dagdelenongeoorloofd", d.absence[1])


def build_dossier_xml(data: DossierData) -> bytes:
    """Serialise ``data`` as an OSO dossier (UTF-8 with XML declaration).

    Without the data of the categories it withholds (``dossier_data.delivered``).
    """
    d = delivered(data)
    b = _Builder(d.namespace)
    root = etree.Element(f"{{{d.namespace}}}dossier", nsmap={None: d.namespace})
    _metadata(b, root, d)
    leerling = _school(b, root, d)
    _pupil(b, leerling, d)
    _support(b, leerling, d)
    _absence(b, leerling, d)
    _final_test(b, leerling, d)
    _tests(b, leerling, d)
    if d.attachments:
        lst = b.el(leerling, "overigdocumentlijst")
        for filename, content in d.attachments:
            _document(b, lst, filename, content)
    for parent in d.parents:
        node = b.el(leerling, "verzorger")
        _person(b, node, parent)
        b.el(node, "geslacht", parent.gender)
        _contact_blocks(b, node, parent)
        b.el(node, "relatietotkind", parent.relation)
        b.el(node, "wettigevertegenwoordiger", "true")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
