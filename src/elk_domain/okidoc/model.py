"""The Oki-doc (onderwijskundig rapport): field values with provenance, and its records.

Scalar content is a mapping from a field path (see ``elk_domain.okidoc.fields``) to a
``FieldValue``; parents use indexed paths (``ouders.0.email``, ``ouders.1.email`` …).
Lists that grow (test results, school career, attachments) are tuples of frozen records, each
with a natural key so that a re-sync adds a record once and never twice.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping

import attrs

from elk_domain.kernel.values import SchoolYear

Scalar = str | int | bool | dt.date


class OkiStatus(enum.Enum):
    """R-OKI-2: Onvolledig → Volledig → Definitief."""

    ONVOLLEDIG = "onvolledig"
    VOLLEDIG = "volledig"
    DEFINITIEF = "definitief"

    @property
    def label(self) -> str:
        """Dutch label with a capital."""
        return self.value.capitalize()


class Source(enum.Enum):
    """Where a value came from."""

    OSO = "oso"
    HAND = "hand"


@attrs.frozen
class Provenance:
    """Who or what set a value and when: OSO with its dossier date, or a staff member."""

    source: Source
    at: dt.datetime
    by: str = ""  # staff member's name for HAND; the sending LAS/school for OSO
    # The OSO advice code an unconfirmed, region-trusted translation read the value from
    # (decision 0005); '' for a value sent or typed as it is.
    inferred_from: str = ""

    @property
    def note(self) -> str:
        """What the editor and the PDF print beside an inferred value, so staff check it."""
        return f"afgeleid uit code {self.inferred_from} — controleer" if self.inferred_from else ""


@attrs.frozen
class FieldValue:
    """A value of one Oki-doc field together with its provenance."""

    value: Scalar
    provenance: Provenance


@attrs.frozen(kw_only=True)
class TestResult:
    """One test score from the LAS (R-OKI-5); dle/dl drive the leerrendement chart."""

    school_year: SchoolYear
    taken_on: dt.date
    test_name: str
    subject: str
    score: str = ""
    dle: int | None = None
    dl: int | None = None
    level: str = ""  # e.g. a reference level (1F/2F/1S) or a final-test outcome
    source: Source = Source.OSO

    @property
    def key(self) -> tuple[str, str, dt.date]:
        """Natural key: one result per test, subject and date."""
        return (self.test_name.strip().lower(), self.subject.strip().lower(), self.taken_on)


@attrs.frozen(kw_only=True)
class CareerEntry:
    """One stretch of the pupil's school career."""

    school_name: str
    start: dt.date
    end: dt.date | None = None
    brin: str = ""
    group: str = ""
    source: Source = Source.OSO

    @property
    def key(self) -> tuple[str, dt.date, str]:
        """Natural key."""
        return (self.school_name.strip().lower(), self.start, self.group)


@attrs.frozen(kw_only=True)
class Attachment:
    """A file attached to the Oki-doc; the bytes live in the FileStore under ``storage_key``."""

    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    storage_key: str
    added_at: dt.datetime
    added_by: str = ""
    source: Source = Source.HAND

    @property
    def key(self) -> str:
        """Natural key: the same content is attached once."""
        return self.sha256


@attrs.frozen(kw_only=True)
class OkiDoc:
    """The transfer report of one pupil. Immutable: changes produce a new value via ``evolve``."""

    id: int
    pupil_id: int
    status: OkiStatus = OkiStatus.ONVOLLEDIG
    fields: Mapping[str, FieldValue] = attrs.field(factory=dict)
    test_results: tuple[TestResult, ...] = ()
    career: tuple[CareerEntry, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    version: int = 1
    #: The OSO categories (``catalogue.oso_categories``) the parents withheld, as the latest
    #: dossier said: their fields are "niet uitgeleverd via OSO", not empty fields to fill.
    withheld: frozenset[str] = frozenset()

    def value(self, path: str) -> Scalar | None:
        """The value at ``path``, or None when empty."""
        field = self.fields.get(path)
        return None if field is None else field.value

    def is_filled(self, path: str) -> bool:
        """True when the field has a non-blank value."""
        value = self.value(path)
        return value is not None and not (isinstance(value, str) and not value.strip())

    def parent_indexes(self) -> list[int]:
        """Indexes of the parents present (``ouders.N.*``), in order."""
        found = {int(p.split(".")[1]) for p in self.fields if p.startswith("ouders.")}
        return sorted(found)
