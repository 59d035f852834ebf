"""Scalar Oki-doc fields from an OSO dossier: pupil, parents, advice texts, final test, absence.

Keys are the catalogue's OSO field paths (``elk_domain.okidoc.fields``, ``oso=True``). What the
dossier carries but ELK does not use is listed in ``docs/oso.md``; secret contact data
(``geheim``) and deceased carers are left out on purpose.
"""

from __future__ import annotations

import contextlib
import re

from lxml import etree

from elk_adapters.oso.dossiers.xmltext import (
    ChildTexts,
    child,
    date,
    integer,
    iso_date,
    text,
    xpath,
)
from elk_domain.errors import Rejected
from elk_domain.kernel.advice import parse_advice
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import Scalar

Fields = dict[str, Scalar]

#: Codelijst 14 as the XSD states it: 0 onbekend, 1 vrouw, 2 man.
_GENDER = {"0": "onbekend", "1": "vrouw", "2": "man"}
#: Codelijst 41: the XSD names only 1, 2 and 3; every other carer is a 'verzorger'.
_RELATION = {"1": "vader", "2": "moeder", "3": "voogd"}
#: Address kinds in order of preference for a home address.
_ADDRESS_ORDER = ("gba", "bezoek", "post")
_NL_POSTCODE = re.compile(r"^([1-9]\d{3})\s?([A-Z]{2})$")
_NETHERLANDS = "6030"  # GBA land code


def _put(fields: Fields, path: str, value: Scalar | None) -> None:
    """Store a value unless it is empty."""
    if value is None or (isinstance(value, str) and not value):
        return
    fields[path] = value


def _rank(address: ChildTexts) -> int:
    kind = address("soortadres")
    return _ADDRESS_ORDER.index(kind) if kind in _ADDRESS_ORDER else len(_ADDRESS_ORDER)


def _address(fields: Fields, prefix: str, person: etree._Element) -> None:
    """The preferred home address of a person (gba, then bezoek, then post)."""
    ranked = sorted(map(ChildTexts, xpath(person, "adreslijst/adres")), key=_rank)
    if not ranked:
        return
    adr = ranked[0]
    land = adr.node("land")
    code = adr("land")
    foreign = code not in {"", _NETHERLANDS}
    postcode = adr("postcode")
    match = None if foreign else _NL_POSTCODE.match(postcode.upper())
    _put(fields, f"{prefix}.straat", adr("straat"))
    _put(fields, f"{prefix}.huisnummer", " ".join(adr.all("nummer") + adr.all("toevoeging")))
    _put(fields, f"{prefix}.postcode", f"{match[1]} {match[2]}" if match else postcode)
    _put(fields, f"{prefix}.woonplaats", adr("plaats"))
    if foreign and land is not None:
        _put(fields, f"{prefix}.land", land.get("omschrijving") or code)


_CHANNEL_ORDER = {"prive": 0, "overig": 1, "werk": 2}


def _phones(fields: Fields, prefix: str, person: etree._Element, *, work: bool) -> None:
    """First non-secret e-mail and phone (private first); a work phone separately if asked."""
    items = [
        c
        for c in map(ChildTexts, xpath(person, "communicatielijst/communicatie"))
        if not c.flag("geheim")
    ]
    items.sort(key=lambda c: _CHANNEL_ORDER.get(c("aanduiding"), 3))
    phones = [c for c in items if c("soort") == "telefoon"]
    private = [c for c in phones if not work or c("aanduiding") != "werk"]
    _put(fields, f"{prefix}.telefoon", private[0]("nummer") if private else "")
    if work:
        office = [c for c in phones if c("aanduiding") == "werk"]
        _put(fields, f"{prefix}.telefoon_werk", office[0]("nummer") if office else "")
        mails = [c for c in items if c("soort") == "e-mail"]
        _put(fields, f"{prefix}.email", mails[0]("nummer") if mails else "")


def _first_name(person: ChildTexts) -> str:
    return next(iter(person.all("voornaam")), "") or person("roepnaam")


def pupil_fields(fields: Fields, leerling: etree._Element) -> None:
    """Names, birth date, gender, nationality, home address and phone of the pupil."""
    pupil = ChildTexts(leerling)
    _put(fields, f.PUPIL_FIRST_NAME, _first_name(pupil))
    _put(fields, "leerling.roepnaam", pupil("roepnaam"))
    _put(fields, f.PUPIL_TUSSENVOEGSEL, pupil("voorvoegsel"))
    _put(fields, f.PUPIL_LAST_NAME, pupil("achternaam"))
    _put(fields, f.PUPIL_BIRTH_DATE, iso_date(pupil("geboortedatum")))
    _put(fields, "leerling.geslacht", _GENDER.get(pupil("geslacht"), ""))
    nationalities = [
        n.get("omschrijving") or (n.text or "").strip() for n in xpath(leerling, "nationaliteit")
    ]
    _put(fields, "leerling.nationaliteit", ", ".join(n for n in nationalities if n))
    _address(fields, "leerling", leerling)
    _phones(fields, "leerling", leerling, work=False)


def parent_fields(fields: Fields, leerling: etree._Element) -> None:
    """Living carers in dossier order become ``ouders.0`` … (at most ``MAX_PARENTS``)."""
    carers = [(c, ChildTexts(c)) for c in xpath(leerling, "verzorger")]
    living = [(c, texts) for c, texts in carers if not texts.flag("overleden")]
    for index, (carer, texts) in enumerate(living[: f.MAX_PARENTS]):
        prefix = f"ouders.{index}"
        _put(fields, f"{prefix}.relatie", _RELATION.get(texts("relatietotkind"), "verzorger"))
        _put(fields, f"{prefix}.voorletters", texts("voorletters-1"))
        _put(fields, f"{prefix}.voornaam", _first_name(texts))
        _put(fields, f"{prefix}.tussenvoegsel", texts("voorvoegsel"))
        _put(fields, f"{prefix}.achternaam", texts("achternaam"))
        _put(fields, f"{prefix}.ouderlijk_gezag", texts.flag("wettigevertegenwoordiger"))
        _address(fields, prefix, carer)
        _phones(fields, prefix, carer, work=True)


def advice_fields(fields: Fields, leerling: etree._Element) -> None:
    """The grounds of the advice and the final test; the advice code itself travels raw."""
    adv = child(leerling, "overstapadvies")
    _put(fields, f.ADVICE_PROVISIONAL_8_GROUNDS, text(adv, "argumentatie"))
    _put(fields, f.ADVICE_DEFINITIVE_GROUNDS, text(adv, "motivatie_herzienadvies"))
    final = child(leerling, "eindtoets_basisonderwijs/eindtoetsresultaat")
    if final is None:
        return
    name = text(final, "toetsomschrijving") or f"Eindtoets (soort {text(final, 'toetssoort')})"
    _put(fields, f.FINAL_TEST_NAME, name)
    _put(fields, f.FINAL_TEST_DATE, date(final, "datum_afname"))
    # Free text ELK cannot read as a level stays in the final test result only.
    with contextlib.suppress(Rejected):
        _put(fields, f.FINAL_TEST_OUTCOME, parse_advice(text(final, "toets_advies")).code)


def absence_fields(fields: Fields, leerling: etree._Element) -> None:
    """Authorised and unauthorised absence in dagdelen (hours are not used)."""
    absence = child(leerling, "verzuim")
    _put(fields, "ondersteuning.verzuim.geoorloofd", integer(absence, "dagdelengeoorloofd"))
    _put(fields, "ondersteuning.verzuim.ongeoorloofd", integer(absence, "dagdelenongeoorloofd"))


def all_fields(leerling: etree._Element) -> Fields:
    """Every scalar field ELK takes from the dossier."""
    fields: Fields = {}
    for extract in (pupil_fields, parent_fields, advice_fields, absence_fields):
        extract(fields, leerling)
    return fields
