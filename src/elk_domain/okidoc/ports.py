"""Repositories of the Oki-doc: the documents and each school's preferences for them."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Protocol

from elk_domain.okidoc.model import OkiDoc
from elk_domain.okidoc.school_preferences import SchoolPreferences
from elk_domain.pupils.ports import PupilsWork


class OkiDocRepository(Protocol):
    """Oki-docs, one per pupil."""

    def for_pupil(self, pupil_id: int) -> OkiDoc:
        """Raises NotFound."""
        ...

    def for_pupils(self, pupil_ids: Collection[int]) -> Mapping[int, OkiDoc]:
        """The Oki-docs of these pupils by pupil id, read at once (one without: absent)."""
        ...

    def add(self, okidoc: OkiDoc) -> OkiDoc:
        """Store a new Oki-doc and return it with its id."""
        ...

    def update(self, okidoc: OkiDoc) -> OkiDoc:
        """Save all content; raises Conflict when ``okidoc.version`` is stale."""
        ...


class SchoolPreferencesRepository(Protocol):
    """Each school's Voorkeursinstellingen: defaults for the Ind. LWOO/PrO tab (R-AUTH-3)."""

    def for_school(self, school_id: int) -> SchoolPreferences:
        """The school's preferences; blank ones (version 0) when none were ever saved."""
        ...

    def save(self, preferences: SchoolPreferences) -> SchoolPreferences:
        """Insert (version 0) or update; Conflict on a stale version. Returns version + 1."""
        ...


class OkidocRepositories(Protocol):
    """The Oki-doc's repositories."""

    okidocs: OkiDocRepository
    preferences: SchoolPreferencesRepository


class OkidocWork(OkidocRepositories, PupilsWork, Protocol):
    """The unit of work of the Oki-doc's use cases."""
