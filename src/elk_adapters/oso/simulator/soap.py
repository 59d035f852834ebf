"""SOAP 1.1 envelopes for the simulator: read a request safely, write a response or a fault."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence

from lxml import etree

from elk_adapters.oso.dossiers.xmlsafe import parse_untrusted

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
#: The OSO'21/'22 transport namespace seen in public examples (TRANSPORT.md §1.3).
TNS = "http://xml.kennisnet.nl/schemas/Overstapservice/20200910"

Value = str | bool | Mapping[str, "Value"] | Sequence["Value"]


def read_request(body: bytes) -> tuple[str, dict[str, str]]:
    """(operation element's local name, its child texts by local name)."""
    root = parse_untrusted(body, what="SOAP-bericht", max_bytes=1024 * 1024)
    payload = root.find(f"{{{SOAP_ENV}}}Body/*")
    if payload is None:
        raise ValueError("SOAP Body is leeg")
    values = {etree.QName(c).localname: (c.text or "").strip() for c in payload}
    return etree.QName(payload).localname, values


def _fill(parent: etree._Element, name: str, value: Value) -> None:
    if isinstance(value, list | tuple):
        for item in value:
            _fill(parent, name, item)
        return
    node = etree.SubElement(parent, f"{{{TNS}}}{name}")
    if isinstance(value, Mapping):
        for key, sub in value.items():
            _fill(node, key, sub)
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    else:
        node.text = str(value)


def response(name: str, content: Mapping[str, Value]) -> bytes:
    """A SOAP envelope with ``<tns:name>`` holding ``content`` (dicts nest, lists repeat)."""
    env = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV, "oso": TNS})
    body = etree.SubElement(env, f"{{{SOAP_ENV}}}Body")
    _fill(body, name, content)
    return bytes(etree.tostring(env, xml_declaration=True, encoding="UTF-8"))


def fault(code: str, message: str, *, client: bool = True) -> bytes:
    """A SOAP 1.1 fault with an ``ossFout`` detail carrying the OSO error code."""
    env = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV, "oso": TNS})
    body = etree.SubElement(env, f"{{{SOAP_ENV}}}Body")
    node = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(node, "faultcode").text = "soap:Client" if client else "soap:Server"
    etree.SubElement(node, "faultstring").text = message
    detail = etree.SubElement(node, "detail")
    _fill(detail, "ossFout", {"foutcode": code, "omschrijving": message})
    return bytes(etree.tostring(env, xml_declaration=True, encoding="UTF-8"))


_PAYLOAD_SLOT = "elk-simulator-dossier-payload-slot"


def document_answer(xml: bytes) -> bytes:
    """The ``documentResponse`` that delivers a dossier (base64 in ``<dossier>``).

    The base64 text needs no XML escaping, so it is spliced into the serialised envelope
    instead of passing through lxml: the oversized fault's 32 MB answer is then built in tens
    of milliseconds, not a third of a second (which, on a loaded machine, outlasted the tests'
    one-second OSO timeout).
    """
    envelope = response(
        "documentResponse", {"resultaat": "DossierGeleverd", "dossier": _PAYLOAD_SLOT}
    )
    head, tail = envelope.split(_PAYLOAD_SLOT.encode("ascii"))
    return b"".join((head, base64.b64encode(xml), tail))
