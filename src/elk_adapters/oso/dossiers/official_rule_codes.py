"""The code of each official business rule (``OVb.MD03``), read from the stylesheets' comments.

The rules' output names no rule: a ``<melding>`` has a type, a location and a text. The code is
in the comment that introduces each rule ("... business rule OVb.MD03"), so the text of each
message is mapped to the codes of the comments just before it. Read from the shipped
stylesheets themselves, the table follows them when Edustandaard publishes a new version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from lxml import etree

_XSL = "{http://www.w3.org/1999/XSL/Transform}"
_CALL = f"{_XSL}call-template"
_TEXT = etree.XPath(
    "string(xsl:with-param[@name='tekst'])", namespaces={"xsl": _XSL[1:-1]}, smart_strings=False
)
_CODE = re.compile(r"business rule\s+([A-Za-z]+\.[A-Za-z0-9.?]+)")


def rule_codes(stylesheets: Iterable[Path]) -> Mapping[str, str]:
    """Message text → rule code(s) ("OVa.LL08/OVa.OV04"); texts under no code are left out."""
    found: dict[str, list[str]] = {}
    for path in stylesheets:
        for text, codes in _messages(etree.parse(str(path)).getroot()):
            known = found.setdefault(text, [])
            known += [code for code in codes if code not in known]
    return {text: "/".join(codes) for text, codes in found.items() if codes}


def _messages(root: etree._Element) -> Iterable[tuple[str, list[str]]]:
    """Each ``melding`` call's text with the codes of the rule comment(s) before it.

    Rule comments right after one another name one rule together (a rule of both profiles:
    ``OVa.MD01`` and ``OVb.MD01``); any other node in between starts a new rule, so a rule
    whose code was commented out (``OVa.TR01``) does not lend its code to the next. A code
    with question marks ("OVb.LL??") is the stylesheet's placeholder, not a code.
    """
    current: list[str] = []
    previous_named = False
    for node in root.iter():
        named = isinstance(node, etree._Comment) and bool(_CODE.search(node.text or ""))
        if named:
            codes = _CODE.findall(node.text or "")
            current = (current if previous_named else []) + [c for c in codes if "?" not in c]
        elif node.tag == _CALL and node.get("name") == "melding":
            yield " ".join(_TEXT(node).split()), current
        previous_named = named
