"""Edustandaard's official business rules of the OV profiles, run over a dossier (R-OKI-4).

The rules are XSLT 2.0 stylesheets (``schema/validation``, provenance in its ``SOURCES.md``),
which lxml cannot run: SaxonC-HE (``saxonche``) compiles them once per process, on first use,
and each thread runs its own clone of the compiled stylesheet (SaxonC documents a
``PyXsltExecutable`` as not thread-safe). Decision record 0043.

Saxon gets the dossier only as ``lxml`` serialised it after ``xmlsafe`` parsed it: Saxon's own
parser expands a DOCTYPE's external entities (it read a local file when tried), so raw bytes
from outside never reach it. It gets it without the base64 content of the documents
(``bestandsinhoud``), which no rule reads (a test checks the stylesheets never name it): that
content is most of a realistic dossier's text, and parsing it was most of the rules' cost.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from elk_adapters.oso.dossiers.official_rule_codes import rule_codes
from elk_domain.oso.dossiers.dossier import RuleMessage

if TYPE_CHECKING:
    from saxonche import PySaxonProcessor, PyXsltExecutable

#: The rules' own version: they require it in ``metadata/validatieversie`` (OVa/OVb.MD02).
RULES_VERSION = "2019.1.1"
#: The namespace of the rules' output, ``<meldingen>``.
MELDINGEN_NS = "http://www.edustandaard.nl/oso_gegevensset/2019/schemas/Meldingen"
#: The entry point; it includes ``include/ValideerOSOgegevensset_2019.1.xsl`` (the code lists).
MAIN_STYLESHEET = "OV/ValideerOverstapprofielen.xsl"

_M = f"{{{MELDINGEN_NS}}}"
#: The start tag of a document's base64 content and the content after it.
_DOCUMENT_CONTENT = re.compile(r"(<(?:[\w.-]+:)?bestandsinhoud\b[^>]*>)[^<]+")
_COMPILING = threading.Lock()
_PER_THREAD = threading.local()


def stylesheet_folder() -> Path:
    """Where the copied stylesheets are (a real folder: the include is resolved on disk)."""
    return Path(str(importlib.resources.files("elk_adapters.oso.schema") / "validation"))


class OfficialRules:
    """The compiled rules and the rule code of each message text (one per process)."""

    def __init__(self) -> None:
        from saxonche import PySaxonProcessor  # ~100 MB native library: only when needed

        self.processor: PySaxonProcessor = PySaxonProcessor(license=False)
        # The include is a file; nothing in the rules reads from the network.
        self.processor.set_configuration_property(
            "http://saxon.sf.net/feature/allowedProtocols", "file"
        )
        main = stylesheet_folder() / MAIN_STYLESHEET
        compiler = self.processor.new_xslt30_processor()
        self.executable: PyXsltExecutable = compiler.compile_stylesheet(stylesheet_file=str(main))
        self.codes: Mapping[str, str] = rule_codes(
            [main, *sorted((main.parent / "include").glob("*.xsl"))]
        )


@functools.cache
def _compile() -> OfficialRules:
    return OfficialRules()


def compiled() -> OfficialRules:
    """The process's compiled rules, compiled by the first caller (about 0.3 s)."""
    with _COMPILING:
        return _compile()


def _executable() -> PyXsltExecutable:
    """This thread's own clone of the compiled stylesheet."""
    executable: PyXsltExecutable | None = getattr(_PER_THREAD, "executable", None)
    if executable is None:
        executable = _PER_THREAD.executable = compiled().executable.clone()
    return executable


def check(root: etree._Element) -> tuple[RuleMessage, ...]:
    """The official messages about a dossier that passed the XSD; empty when it passes.

    ``root`` is the tree ``xmlsafe.parse_untrusted`` returned. Should Saxon fail on it, the
    one message says so, in ELK's words: the dossier is not judged, and not passed silently.
    """
    from saxonche import PySaxonApiError

    rules = compiled()
    text = _DOCUMENT_CONTENT.sub(r"\1", etree.tostring(root, encoding="unicode"))
    try:
        source = rules.processor.parse_xml(xml_text=text)
        output = _executable().transform_to_string(xdm_node=source)
    except PySaxonApiError as error:
        return (unchecked(str(error)),)
    return read_messages(output, rules.codes)


def unchecked(reason: str) -> RuleMessage:
    """The message when the rules could not be applied (not one of the official ones)."""
    first = reason.strip().splitlines()[0].strip() if reason.strip() else "onbekende fout"
    return RuleMessage(
        rule="",
        severity="Fout",
        location="/dossier[1]",
        text=f"ELK kon de officiële OSO-regels niet op dit dossier toepassen ({first}).",
    )


def read_messages(output: str, codes: Mapping[str, str]) -> tuple[RuleMessage, ...]:
    """``<meldingen>`` as ``RuleMessage``s, in the rules' order, each with its rule's code."""
    root = etree.fromstring(output.encode(), etree.XMLParser(resolve_entities=False))
    found = []
    for melding in root.iter(f"{_M}melding"):
        text = " ".join((melding.findtext(f"{_M}tekst") or "").split())
        found.append(
            RuleMessage(
                rule=codes.get(text, ""),
                severity=(melding.findtext(f"{_M}type") or "").strip(),
                location=(melding.findtext(f"{_M}locatie") or "").strip(),
                text=text,
            )
        )
    return tuple(found)
