"""The XML layout of a result file: ``<leerling>`` elements under one root, values as children.

Parsed by the one hardened parser of ELK (``elk_adapters.oso.dossiers.xmlsafe``: no DTD, no
entities, no network, a size cap). Namespaces are ignored; the test and its date may sit on
the root (``toets``, ``afnamedatum`` attributes) or per pupil.
"""

from __future__ import annotations

from lxml import etree

from elk_adapters.imports.values import bad_line, date, text
from elk_adapters.oso.dossiers.xmlsafe import parse_untrusted
from elk_domain.errors import Rejected
from elk_domain.finaltest.results import ResultLine

_MAX_XML = 20 * 1024 * 1024


def _children(element: etree._Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for child in element:
        if isinstance(child.tag, str):
            values.setdefault(etree.QName(child).localname.lower(), child.text or "")
    return values


def _scores(element: etree._Element) -> tuple[tuple[str, str], ...]:
    return tuple(
        (text(node.get("onderdeel"), "Onderdeel"), text(node.text, "Score"))
        for node in element.iter()
        if isinstance(node.tag, str) and etree.QName(node).localname.lower() == "score"
    )


class XmlResultFormat:
    """``ResultFormat`` for ``*.xml`` entries."""

    name = "XML"

    def claims(self, entry: str) -> bool:
        """XML entries."""
        return entry.lower().endswith(".xml")

    def read(self, entry: str, data: bytes, first: int) -> list[ResultLine]:
        """Every ``<leerling>`` of the entry as a result line."""
        root = parse_untrusted(data, what=f"bestand {entry}", max_bytes=_MAX_XML)
        shared = {key.lower(): value for key, value in root.attrib.items()}
        pupils = [
            node
            for node in root.iter()
            if isinstance(node.tag, str) and etree.QName(node).localname.lower() == "leerling"
        ]
        if not pupils:
            raise Rejected(f"{entry} bevat geen <leerling>.")
        return [_line(entry, first + n, node, shared) for n, node in enumerate(pupils)]


def _line(entry: str, number: int, node: etree._Element, shared: dict[str, str]) -> ResultLine:
    values = {**shared, **{k.lower(): v for k, v in node.attrib.items()}, **_children(node)}
    try:
        return ResultLine(
            number=number,
            source=entry,
            brin=text(values.get("brin"), "BRIN"),
            first_name=text(values.get("voornaam") or values.get("voorletters"), "Voornaam"),
            tussenvoegsel=text(values.get("tussenvoegsel"), "Tussenvoegsel"),
            last_name=text(values.get("achternaam"), "Achternaam"),
            birth_date=date(values.get("geboortedatum"), "Geboortedatum"),
            bsn=text(values.get("bsn"), "BSN"),
            test=text(values.get("toets"), "Toets"),
            test_date=date(values.get("afnamedatum"), "Afnamedatum"),
            outcome=text(values.get("uitslag"), "Uitslag"),
            scores=_scores(node),
        )
    except Rejected as error:
        raise bad_line(entry, number, error.message) from None
