"""Builds OSO 2019.1 dossier XML from simple Python data (``dossier_data``).

Every document built here validates against the copied XSD (the tests check this for
arbitrary data), so the simulator never serves a dossier a real LAS could not have sent.
"""

from __future__ import annotations

import base64
import datetime as dt

from lxml import etree

from elk_adapters.oso.simulator.dossier_data import CareerLine, DossierData, PersonData
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


def _contact_blocks(b: _Builder, node: etree._Element, p: PersonData) -> None:
    if p.street:
        adr = b.el(b.el(node, "adreslijst"), "adres")
        for name, value in (
            ("soortadres", "gba"),
            ("straat", p.street),
            ("nummer", p.house_number or "1"),
            ("postcode", p.postcode or "1234AB"),
            ("plaats", p.city or "Onbekend"),
        ):
            b.el(adr, name, value)
    items = [(k, v) for k, v in (("e-mail", p.email), ("telefoon", p.phone)) if v]
    if items:
        lst = b.el(node, "communicatielijst")
        for kind, value in items:
            com = b.el(lst, "communicatie")
            b.el(com, "soort", kind)
            b.el(com, "aanduiding", "prive")
            b.el(com, "nummer", value)


def _metadata(b: _Builder, root: etree._Element, d: DossierData) -> None:
    meta = b.el(root, "metadata")
    for name, value in (
        ("deeldossier", "LASLVS"),
        ("pakketnaam", "ELK-simulator"),
        ("pakketversie", "1"),
        ("datum", d.dossier_date),
        ("standaardversie", d.version),
        ("validatieversie", f"{d.version}.1"),
    ):
        b.el(meta, name, value)
    b.el(meta, "overstap", "POPO")
    b.el(root, "overdrachtsoort", "overdrachtbinnenbrin")


def _school(b: _Builder, root: etree._Element, d: DossierData) -> etree._Element:
    school = b.el(root, "huidigeschool")
    b.el(school, "naam", f"Simulatieschool {d.location}")
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
    _contact_blocks(b, leerling, d.pupil)
    b.el(leerling, "bsn", d.bsn)
    if d.advice or d.revised_advice:
        adv = b.el(leerling, "overstapadvies")
        b.opt(adv, "advies", d.advice)
        b.opt(adv, "herzienadvies", d.revised_advice)
    year = SchoolYear.of(d.dossier_date)
    lines = b.el(leerling, "schoolloopbaanlijst")
    for earlier in d.earlier_career:
        _career_line(b, lines, d.location, earlier, ended=True)
    _career_line(b, lines, d.location, CareerLine(school_year=year, group=d.group, grade=8))


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


def build_dossier_xml(d: DossierData) -> bytes:
    """Serialise ``d`` as an OSO dossier (UTF-8 with XML declaration)."""
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
