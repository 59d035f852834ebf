"""A school's "Voorkeursinstellingen": defaults for the Ind. LWOO/PrO tab (R-AUTH-3).

The manual: the school administrator fills in how the LAT, CAP and SEM are taken; without them
the teacher chooses every time. They apply to the Amsterdam route only (the tab is not used in
Kernprocedure Amstelland). A default pre-fills the editor; it is never stored in an Oki-doc
until the teacher saves the tab. See docs/decisions/0014-school-preferences.md.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from elk_domain.okidoc import fields as f

PREFERENCE_PATHS = (f.LWOO_LAT, f.LWOO_CAP, f.LWOO_SEM, f.LWOO_INSTITUTION, f.LWOO_RESEARCHER)
"""The Oki-doc fields a school can give a default, in form order."""


@attrs.frozen(kw_only=True)
class SchoolPreferences:
    """The defaults of one school; None or '' means "no default: the teacher chooses"."""

    school_id: int
    lat: bool | None = None
    cap: bool | None = None
    sem: bool | None = None
    institution: str = ""
    researcher: str = ""
    version: int = 0  # 0: never stored; the repository raises Conflict on a stale version

    def values(self) -> Mapping[str, bool | str | None]:
        """The defaults by Oki-doc field path (blank ones included)."""
        return {
            f.LWOO_LAT: self.lat,
            f.LWOO_CAP: self.cap,
            f.LWOO_SEM: self.sem,
            f.LWOO_INSTITUTION: self.institution or None,
            f.LWOO_RESEARCHER: self.researcher or None,
        }

    def defaults(self) -> Mapping[str, str]:
        """Form text per field path for the fields that have a default (booleans ja/nee)."""
        return {
            path: text
            for path, value in self.values().items()
            if (text := f.text_of(value)) is not None
        }
