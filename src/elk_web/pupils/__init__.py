"""The Leerlingen area: the pupil overview, the Oki-doc editor and the row menu's pages."""

from __future__ import annotations

from elk_web.pupils import extras, okidoc, overview
from elk_web.pupils._blueprint import bp

__all__ = ["bp", "extras", "okidoc", "overview"]
