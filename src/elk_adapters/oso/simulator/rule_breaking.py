"""A dossier that passes the XSD but breaks an official business rule (issue 21, decision 0044).

The simulator otherwise serves only dossiers a LAS could send. The ``breaks_rules`` fault serves
the pupil's dossier without its ``categorie_uitlevering`` block: the XSD allows that (minOccurs
0), the OV profiles' business rules do not ("Een binnen-brin dossier moet het blok "Categorie
uitlevering" bevatten."). ELK must merge it anyway and pass the official message on to the school.
"""

from __future__ import annotations

from lxml import etree

from elk_adapters.oso.dossiers.xmltext import OSO_NS

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def without_category_block(xml: bytes) -> bytes:
    """``xml`` (a dossier the generator built) without its ``categorie_uitlevering`` block."""
    root = etree.fromstring(xml, _PARSER)
    for block in list(root.iter(f"{{{OSO_NS}}}categorie_uitlevering")):
        parent = block.getparent()
        if parent is not None:
            parent.remove(block)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
