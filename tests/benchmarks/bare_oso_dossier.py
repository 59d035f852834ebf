"""The same-work baseline of ``BENCH oso_sync``, part 1: one OSO dossier read with lxml directly.

The same safe parse and XSD validation as the ``bare`` figure (``parse_untrusted``, the compiled
schema), Edustandaard's official rules run with saxonche directly (the same stylesheets, on
the dossier without its documents' base64 as ELK does; the texts of the messages, no rule
codes), then the fields, LVS tests and school career ELK takes from a dossier, by the rules
of ``elk_adapters.oso.dossiers.fields`` and ``dossier_records``, straight into the form ELK
stores them in (JSON-ready dicts, ISO dates): no domain objects. ``bare_oso_sync`` merges and
writes them; ``bare_oso_attachments`` reads and stores the documents.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree
from tests.benchmarks.bare_oso_attachments import attachments

from elk_adapters.oso.dossiers.official_rules import (
    MAIN_STYLESHEET,
    MELDINGEN_NS,
    stylesheet_folder,
)
from elk_adapters.oso.dossiers.parser import schema
from elk_adapters.oso.dossiers.xmlsafe import parse_untrusted
from elk_domain.errors import Rejected
from elk_domain.kernel.advice import parse_advice
from elk_domain.okidoc import fields as f

NS = "{http://www.edustandaard.nl/oso_gegevensset/2019/dossier}"
_NS_LEN = len(NS)
_NATION = NS + "nationaliteit"
_TEST_TAGS = tuple(
    NS + tag
    for tag in ("toetsonderdeel", "eldtoetscode", "leergebied", "toetsnaam", "afnamedatum", "dl",
                "aantalgoed", "vaardigheidsscore", "codereferentiescore", "waarde")
)  # fmt: skip
Doc = dict[str, Any]
Typed = tuple[str, Any]  # (the stored type name, the JSON value) of one Oki-doc field

_AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
_GENDER = {"0": "onbekend", "1": "vrouw", "2": "man"}
_RELATION = {"1": "vader", "2": "moeder", "3": "voogd"}
_ADDRESS_RANK = {"gba": 0, "bezoek": 1, "post": 2}
_CHANNEL_RANK = {"prive": 0, "overig": 1, "werk": 2}
_TEKST = f"{{{MELDINGEN_NS}}}tekst"
_CONTENT = re.compile(r"(<(?:[\w.-]+:)?bestandsinhoud\b[^>]*>)[^<]+")
_POSTCODE = re.compile(r"^([1-9]\d{3})\s?([A-Z]{2})$")


@dataclass(frozen=True, slots=True)
class BareDossier:
    """What the merge needs of one dossier, in stored form; tests already past retention."""

    bsn: str
    by: str  # the sender label of provenance and attachments ('naam (BRINvest)')
    at: str  # the dossier date at midnight in Amsterdam, ISO
    advice_code: str
    fields: dict[str, Typed]
    tests: list[Doc]
    career: list[Doc]
    attachments: list[tuple[Doc, bytes]]
    rule_messages: list[str]  # the official rules' texts


def read(data: bytes, *, brin: str, oldest_year: int) -> BareDossier:
    """Parse, validate and read one dossier sent by ``brin``; tests before ``oldest_year`` go."""
    root = parse_untrusted(data)
    if root.findtext(_p("metadata/standaardversie")) != "2019.1" or not schema().validate(root):
        raise ValueError("not a valid OSO 2019.1 dossier")
    messages = _official_rules(root)
    school = root.find(_p("huidigeschool"))
    leerling = None if school is None else school.find(_p("leerling"))
    if school is None or leerling is None or _t(school, "brincode") != brin:
        raise ValueError("a dossier of another school")
    sender, name = _t(school, "brincode") + _t(school, "vestigingscode"), _t(school, "naam")
    day = dt.date.fromisoformat(_t(root, "metadata/datum")[:10])
    advice = leerling.find(_p("overstapadvies"))
    return BareDossier(
        bsn=_t(leerling, "bsn"),
        by=f"{name} ({sender})" if name else sender,
        at=dt.datetime.combine(day, dt.time(), tzinfo=_AMSTERDAM).isoformat(),
        advice_code=_t(advice, "herzienadvies") or _t(advice, "advies"),
        fields=_fields(leerling),
        tests=[t for t in _tests(leerling) if t["school_year"] >= oldest_year],
        career=list(_career(leerling)),
        attachments=list(attachments(leerling)),
        rule_messages=messages,
    )


@functools.cache
def _saxon() -> tuple[Any, Any]:
    """A processor of its own and the stylesheet compiled with it, once."""
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    main = str(stylesheet_folder() / MAIN_STYLESHEET)
    return processor, processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=main)


def _official_rules(root: etree._Element) -> list[str]:
    processor, executable = _saxon()
    text = _CONTENT.sub(r"\1", etree.tostring(root, encoding="unicode"))
    source = processor.parse_xml(xml_text=text)
    meldingen = etree.fromstring(executable.transform_to_string(xdm_node=source).encode())
    return [(m.text or "").strip() for m in meldingen.iter(_TEKST)]


def school_year(iso: str) -> int:
    """The school year (its first calendar year) of an ISO date: 1 August starts a new one."""
    return int(iso[:4]) if int(iso[5:7]) >= 8 else int(iso[:4]) - 1


@functools.cache
def _p(path: str) -> str:
    return "/".join(NS + part for part in path.split("/"))


def _t(el: etree._Element | None, path: str) -> str:
    return "" if el is None else (el.findtext(_p(path)) or "").strip()


def _all(el: etree._Element, path: str) -> list[str]:
    return [t for n in el.iterfind(_p(path)) if (t := (n.text or "").strip())]


def _int(raw: str) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def _put(out: dict[str, Typed], path: str, kind: str, value: Any) -> None:
    if value is not None and value != "":
        out[path] = (kind, value)


def _kids(el: etree._Element | None) -> dict[str, str]:
    """An element's child texts (stripped) by local name, the first of each: one pass."""
    found: dict[str, str] = {}
    for node in () if el is None else el:
        found.setdefault(node.tag[_NS_LEN:], (node.text or "").strip())
    return found


def _address(out: dict[str, Typed], prefix: str, person: etree._Element) -> None:
    found = [(a, _kids(a)) for a in person.iterfind(_p("adreslijst/adres"))]
    if not found:
        return
    node, adr = min(found, key=lambda a: _ADDRESS_RANK.get(a[1].get("soortadres", ""), 3))
    code, postcode = adr.get("land", ""), adr.get("postcode", "")
    foreign = code not in {"", "6030"}
    match = None if foreign else _POSTCODE.match(postcode.upper())
    number = " ".join(_all(node, "nummer") + _all(node, "toevoeging"))
    _put(out, f"{prefix}.straat", "str", adr.get("straat"))
    _put(out, f"{prefix}.huisnummer", "str", number)
    _put(out, f"{prefix}.postcode", "str", f"{match[1]} {match[2]}" if match else postcode)
    _put(out, f"{prefix}.woonplaats", "str", adr.get("plaats"))
    if foreign:
        land = node.find(_p("land"))
        _put(out, f"{prefix}.land", "str", (land is not None and land.get("omschrijving")) or code)


def _phones(out: dict[str, Typed], prefix: str, person: etree._Element, work: bool) -> None:
    found = map(_kids, person.iterfind(_p("communicatielijst/communicatie")))
    items = [c for c in found if c.get("geheim") not in {"true", "1"}]
    items.sort(key=lambda c: _CHANNEL_RANK.get(c.get("aanduiding", ""), 3))
    phones = [c for c in items if c.get("soort") == "telefoon"]
    private = [c for c in phones if not work or c.get("aanduiding") != "werk"]
    _put(out, f"{prefix}.telefoon", "str", private[0].get("nummer") if private else "")
    if work:
        office = [c for c in phones if c.get("aanduiding") == "werk"]
        mails = [c for c in items if c.get("soort") == "e-mail"]
        _put(out, f"{prefix}.telefoon_werk", "str", office[0].get("nummer") if office else "")
        _put(out, f"{prefix}.email", "str", mails[0].get("nummer") if mails else "")


def _person(out: dict[str, Typed], prefix: str, el: etree._Element, kids: dict[str, str]) -> None:
    first = next(iter(_all(el, "voornaam")), "") or kids.get("roepnaam")
    _put(out, f"{prefix}.voornaam", "str", first)
    _put(out, f"{prefix}.tussenvoegsel", "str", kids.get("voorvoegsel"))
    _put(out, f"{prefix}.achternaam", "str", kids.get("achternaam"))
    _address(out, prefix, el)


def _fields(leerling: etree._Element) -> dict[str, Typed]:
    out: dict[str, Typed] = {}
    pupil = _kids(leerling)
    _person(out, "leerling", leerling, pupil)
    _put(out, "leerling.roepnaam", "str", pupil.get("roepnaam"))
    _put(out, f.PUPIL_BIRTH_DATE, "date", pupil.get("geboortedatum", "")[:10])
    _put(out, "leerling.geslacht", "str", _GENDER.get(pupil.get("geslacht", ""), ""))
    nations = [n.get("omschrijving") or (n.text or "").strip() for n in leerling.iterfind(_NATION)]
    _put(out, "leerling.nationaliteit", "str", ", ".join(n for n in nations if n))
    _phones(out, "leerling", leerling, work=False)
    _parents(out, leerling)
    _advice(out, leerling)
    absence = _kids(leerling.find(_p("verzuim")))
    for kind in ("geoorloofd", "ongeoorloofd"):
        days = _int(absence.get(f"dagdelen{kind}", ""))
        _put(out, f"ondersteuning.verzuim.{kind}", "int", days)
    return out


def _parents(out: dict[str, Typed], leerling: etree._Element) -> None:
    carers = [(c, k) for c in leerling.iterfind(_p("verzorger")) if (k := _kids(c))]
    living = [(c, k) for c, k in carers if k.get("overleden") not in {"true", "1"}]
    for index, (carer, kids) in enumerate(living[: f.MAX_PARENTS]):
        prefix = f"ouders.{index}"
        relation = _RELATION.get(kids.get("relatietotkind", ""), "verzorger")
        _put(out, f"{prefix}.relatie", "str", relation)
        _put(out, f"{prefix}.voorletters", "str", kids.get("voorletters-1"))
        _person(out, prefix, carer, kids)
        if gezag := kids.get("wettigevertegenwoordiger"):
            _put(out, f"{prefix}.ouderlijk_gezag", "bool", gezag in {"true", "1"})
        _phones(out, prefix, carer, work=True)


def _advice(out: dict[str, Typed], leerling: etree._Element) -> None:
    advice = _kids(leerling.find(_p("overstapadvies")))
    _put(out, f.ADVICE_PROVISIONAL_8_GROUNDS, "str", advice.get("argumentatie"))
    _put(out, f.ADVICE_DEFINITIVE_GROUNDS, "str", advice.get("motivatie_herzienadvies"))
    final = _kids(leerling.find(_p("eindtoets_basisonderwijs/eindtoetsresultaat")))
    if not final:
        return
    name = final.get("toetsomschrijving") or f"Eindtoets (soort {final.get('toetssoort', '')})"
    _put(out, f.FINAL_TEST_NAME, "str", name)
    _put(out, f.FINAL_TEST_DATE, "date", final.get("datum_afname", "")[:10])
    # Free text ELK cannot read as a level stays in the final test result only.
    with contextlib.suppress(Rejected):
        _put(out, f.FINAL_TEST_OUTCOME, "str", parse_advice(final.get("toets_advies", "")).code)


def _tests(leerling: etree._Element) -> Iterator[Doc]:
    for toets in leerling.iterfind(_p("toetslijst/toets")):
        yield _test(toets)
    final = _kids(leerling.find(_p("eindtoets_basisonderwijs/eindtoetsresultaat")))
    if final:
        taken = final.get("datum_afname", "")[:10]
        yield {
            "school_year": school_year(taken), "taken_on": taken,
            "test_name": final.get("toetsomschrijving") or final.get("toetssoort", ""),
            "subject": "Doorstroomtoets", "score": final.get("standaardscore", ""),
            "dle": None, "dl": None, "level": final.get("toets_advies", ""), "source": "oso",
        }  # fmt: skip


def _test(toets: etree._Element) -> Doc:
    """One LVS test in one walk over the elements it is read from; a sub-test ends it."""
    texts: dict[str, str] = {}
    refs: dict[str, str] = {}
    code = ""
    for node in toets.iter(*_TEST_TAGS):
        tag, text = node.tag[_NS_LEN:], (node.text or "").strip()
        if tag == "toetsonderdeel":
            break
        if tag == "codereferentiescore":
            code = text
        elif tag == "waarde":
            refs.setdefault(code, text)
        else:
            texts.setdefault(tag, text)
    taken = texts.get("afnamedatum", "")[:10]
    score = texts.get("vaardigheidsscore") or texts.get("aantalgoed") or refs.get("IQ", "")
    return {
        "school_year": school_year(taken), "taken_on": taken,
        "test_name": texts.get("toetsnaam") or texts.get("eldtoetscode", ""),
        "subject": texts.get("leergebied", ""), "score": score,
        "dle": _int(refs.get("DLE", "")), "dl": _int(texts.get("dl", "")),
        "level": refs.get("RNTRM", "") or refs.get("AE", ""), "source": "oso",
    }  # fmt: skip


def _career(leerling: etree._Element) -> Iterator[Doc]:
    for line in map(_kids, leerling.iterfind(_p("schoolloopbaanlijst/schoolloopbaan"))):
        if start := line.get("begindatum", "")[:10]:
            brin = line.get("brincode", "")
            yield {
                "school_name": brin + line.get("vestigingscode", ""), "start": start,
                "end": line.get("einddatum", "")[:10] or None, "brin": brin,
                "group": line.get("groepsnaam") or line.get("groepscode", ""), "source": "oso",
            }  # fmt: skip
