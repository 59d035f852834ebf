"""Small readers over the OSO dossier tree: namespaced lookups that return text, dates or ints."""

from __future__ import annotations

import datetime as dt
import functools

from lxml import etree

from elk_domain.errors import Rejected

#: The target namespace of the OSO gegevensset 2019.1 schema.
OSO_NS = "http://www.edustandaard.nl/oso_gegevensset/2019/dossier"


def q(name: str) -> str:
    """The qualified (Clark) name of a dossier element."""
    return f"{{{OSO_NS}}}{name}"


@functools.cache
def _clark(path: str) -> str:
    """``'a/b'`` → ``'{ns}a/{ns}b'``: precomputed so lookups skip prefix resolution."""
    return "/".join(f"{{{OSO_NS}}}{part}" for part in path.split("/"))


def xpath(el: etree._Element, path: str) -> list[etree._Element]:
    """Elements under ``el`` for a slash path of local names, e.g. ``'toetslijst/toets'``."""
    found: list[etree._Element] = el.findall(_clark(path))
    return found


def child(el: etree._Element | None, path: str) -> etree._Element | None:
    """The first element at ``path`` or None (one level is looked up without ElementPath)."""
    if el is None:
        return None
    if "/" in path:
        return el.find(_clark(path))
    return next(el.iterchildren(_clark(path)), None)


def children(el: etree._Element | None) -> dict[str, etree._Element]:
    """The children of ``el`` by qualified name (the first of each), in one pass.

    For elements read field by field: one walk over the children instead of one lookup per
    field; like ``child``, the first child of each name counts.
    """
    found: dict[str, etree._Element] = {}
    if el is not None:
        for node in el:
            found.setdefault(node.tag, node)
    return found


class ChildTexts:
    """The children of one element, read in one pass: ``ChildTexts(el)('roepnaam')`` is
    ``text(el, 'roepnaam')`` (the first child of that name counts, as in ``child``).

    For an element read field by field (a pupil, a carer, an address): one walk over its
    children instead of one lookup per field.
    """

    __slots__ = ("_el", "_nodes")

    def __init__(self, el: etree._Element | None) -> None:
        self._el = el
        self._nodes = children(el)

    def __call__(self, name: str) -> str:
        return node_text(self._nodes.get(_clark(name)))

    def node(self, name: str) -> etree._Element | None:
        """The first child called ``name``, or None."""
        return self._nodes.get(_clark(name))

    def all(self, name: str) -> list[str]:
        """Every non-empty text of the children called ``name``, as ``texts``."""
        return texts(self._el, name)

    def flag(self, name: str) -> bool | None:
        """An xs:boolean child ('true'/'1'), or None when absent."""
        raw = self(name)
        return raw in {"true", "1"} if raw else None


def node_text(node: etree._Element | None) -> str:
    """Stripped text of an element, '' when absent."""
    return "" if node is None else (node.text or "").strip()


def text(el: etree._Element | None, path: str) -> str:
    """Stripped text at ``path``, '' when absent."""
    node = child(el, path)
    return "" if node is None else (node.text or "").strip()


def texts(el: etree._Element | None, path: str) -> list[str]:
    """All non-empty stripped texts at ``path``."""
    if el is None:
        return []
    return [(n.text or "").strip() for n in xpath(el, path) if (n.text or "").strip()]


def iso_date(raw: str) -> dt.date | None:
    """An xs:date text (a time-zone suffix is ignored), or None when empty."""
    return dt.date.fromisoformat(raw[:10]) if raw else None


def date(el: etree._Element | None, path: str) -> dt.date | None:
    """An xs:date at ``path`` (a time-zone suffix is ignored), or None."""
    return iso_date(text(el, path))


def required_date(el: etree._Element | None, path: str) -> dt.date:
    """An xs:date the schema requires; Rejected (naming the element) if it is missing anyway."""
    found = date(el, path)
    if found is None:
        raise Rejected(f"Het dossier mist het verplichte element '{path}'.")
    return found


def required(el: etree._Element | None, path: str) -> etree._Element:
    """An element the schema requires; Rejected (naming it) if it is missing anyway."""
    found = child(el, path)
    if found is None:
        raise Rejected(f"Het dossier mist het verplichte element '{path}'.")
    return found


def integer(el: etree._Element | None, path: str) -> int | None:
    """An integer at ``path``; None when absent or not a whole number."""
    raw = text(el, path)
    try:
        return int(raw) if raw else None
    except ValueError:
        return None
