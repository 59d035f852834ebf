"""Hardened XML parsing for everything that arrives from OSO: no DTD, no entities, no network.

Every dossier and every SOAP payload passes through ``parse_untrusted`` (or through zeep with the
same settings), so a hostile sender can neither expand entities, read local files, reach the
network, nor exhaust memory with a huge document.
"""

from __future__ import annotations

from lxml import etree

from elk_domain.errors import Rejected, Violation

#: Largest dossier accepted (bytes of XML). The biggest public sample is 180 KB; real dossiers
#: with scanned attachments reach a few MB. 20 MB leaves room without inviting abuse.
MAX_XML_BYTES = 20 * 1024 * 1024


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_untrusted(
    data: bytes, *, what: str = "dossier", max_bytes: int = MAX_XML_BYTES
) -> etree._Element:
    """Parse bytes from outside; raise Rejected (Dutch reason) for anything but plain, small XML."""
    if len(data) > max_bytes:
        raise Rejected(
            f"Het {what} is te groot ({len(data) / 1_048_576:.1f} MB; "
            f"de grens is {max_bytes / 1_048_576:.0f} MB) en is niet ingelezen."
        )
    if not data.strip():
        raise Rejected(f"Het {what} is leeg.")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise Rejected(
            f"Het {what} is geen geldige XML en is niet ingelezen.",
            violations=[Violation(f"regel {exc.lineno}", str(exc.msg))],
        ) from exc
    _refuse_dtd(root, what)
    return root


def _refuse_dtd(root: etree._Element, what: str) -> None:
    """A DOCTYPE (and so any entity declaration) has no place in OSO traffic."""
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise Rejected(
            f"Het {what} bevat een DOCTYPE-declaratie (mogelijk een entity-aanval) en is geweigerd."
        )
    for node in root.iter(etree.Entity):
        raise Rejected(f"Het {what} bevat een entity-verwijzing ({node}) en is geweigerd.")
