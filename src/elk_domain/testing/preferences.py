"""In-memory Voorkeursinstellingen (school preferences), keyed by school id."""

from __future__ import annotations

import attrs

from elk_domain.errors import Conflict
from elk_domain.okidoc.school_preferences import SchoolPreferences
from elk_domain.testing.store import STALE, InMemoryStore, Rows

__all__ = ["InMemorySchoolPreferencesRepository"]


class InMemorySchoolPreferencesRepository:
    """Preferences in the unit of work's working rows, keyed by school id."""

    def __init__(self, store: InMemoryStore, work: Rows) -> None:
        self._rows: dict[int, SchoolPreferences] = work["school_preferences"]

    def for_school(self, school_id: int) -> SchoolPreferences:
        """The stored preferences, or blank ones (version 0)."""
        return self._rows.get(school_id) or SchoolPreferences(school_id=school_id)

    def save(self, preferences: SchoolPreferences) -> SchoolPreferences:
        """Insert or update with version + 1; Conflict when the version is stale."""
        if self.for_school(preferences.school_id).version != preferences.version:
            raise Conflict(STALE.format(what="de voorkeursinstellingen"))
        stored = attrs.evolve(preferences, version=preferences.version + 1)
        self._rows[preferences.school_id] = stored
        return stored
