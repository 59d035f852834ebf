"""The building blocks of the Oki-doc field catalogue: tabs, field kinds and one field's spec.

The bottom of the field modules: ``entries`` (the data), ``parsing`` (form input) and
``elk_domain.okidoc.fields`` (lookups) all build on these types without importing each other in
a circle.
"""

from __future__ import annotations

import enum

import attrs


class Tab(enum.Enum):
    """The tabs of the Oki-doc, in screen order."""

    LEERLING = "Leerling"
    ADVIES = "Advies"
    TOETSRESULTATEN = "Toetsresultaten"
    LWOO_PRO = "Ind. LWOO/PrO"
    ONDERSTEUNING = "Ondersteuning"
    OVERZICHT = "Overzicht"
    BIJLAGEN = "Bijlagen"

    @property
    def label(self) -> str:
        """The Dutch tab title."""
        return self.value


class Kind(enum.Enum):
    """How a field is entered, checked and stored."""

    TEXT = "text"
    LONGTEXT = "longtext"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"
    ADVICE = "advice"  # stored as ``Advice.code``
    EMAIL = "email"
    PHONE = "phone"
    POSTCODE = "postcode"
    INTEGER = "integer"


@attrs.frozen(kw_only=True)
class FieldSpec:
    """One Oki-doc field: where it lives, how it is entered, whether required and OSO-filled."""

    path: str
    label: str
    tab: Tab
    kind: Kind = Kind.TEXT
    required: bool = False
    oso: bool = False  # filled from the LAS via OSO and marked as such (R-OKI-4)
    # The OSO category ("Categorie uitlevering") whose block carries the value; '' when none.
    # Parents may withhold a category: its fields are then not delivered (``OkiDoc.withheld``).
    category: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, Dutch label)
    section: str = ""

    @property
    def is_template(self) -> bool:
        """True for the parent templates (``ouders.{n}.…``)."""
        return "{n}" in self.path
