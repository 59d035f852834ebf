"""Voorkeursinstellingen (school preferences) in SQL: one row per school, optimistic locking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Row

from elk_adapters.persistence import tables as t
from elk_adapters.persistence.errors import STALE
from elk_adapters.persistence.repositories.base import SqlRepository
from elk_domain.errors import Conflict, Rejected
from elk_domain.okidoc.school_preferences import SchoolPreferences

_TAKEN = "Deze school heeft al voorkeursinstellingen."
_WHAT = "de voorkeursinstellingen"


def _values(preferences: SchoolPreferences) -> Mapping[str, Any]:
    return {
        "lat": preferences.lat,
        "cap": preferences.cap,
        "sem": preferences.sem,
        "institution": preferences.institution,
        "researcher": preferences.researcher,
    }


def _from_row(row: Row[Any]) -> SchoolPreferences:
    return SchoolPreferences(
        school_id=row.school_id,
        lat=row.lat,
        cap=row.cap,
        sem=row.sem,
        institution=row.institution,
        researcher=row.researcher,
        version=row.version,
    )


class SqlAlchemySchoolPreferencesRepository(SqlRepository):
    """One row per school, keyed by school id; no row means no preferences yet."""

    label = "Voorkeursinstellingen"

    def for_school(self, school_id: int) -> SchoolPreferences:
        """The school's preferences; blank ones (version 0) when none were ever saved."""
        table = t.school_preferences
        row = self._execute(sa.select(table).where(table.c.school_id == school_id)).first()
        return SchoolPreferences(school_id=school_id) if row is None else _from_row(row)

    def save(self, preferences: SchoolPreferences) -> SchoolPreferences:
        """Insert (version 0) or update; Conflict on a stale version. Returns version + 1."""
        table = t.school_preferences
        values = _values(preferences)
        if preferences.version == 0:
            insert = sa.insert(table).values(school_id=preferences.school_id, version=1, **values)
            try:
                self._write(insert, duplicate=_TAKEN)
            except Rejected as refused:  # stored meanwhile by someone else: a stale version
                if refused.message != _TAKEN:
                    raise
                raise Conflict(STALE.format(what=_WHAT)) from refused
            return attrs.evolve(preferences, version=1)
        update = (
            sa.update(table)
            .where(
                table.c.school_id == preferences.school_id,
                table.c.version == preferences.version,
            )
            .values(**values, version=preferences.version + 1)
        )
        if self._write(update).rowcount != 1:
            raise Conflict(STALE.format(what=_WHAT))
        return attrs.evolve(preferences, version=preferences.version + 1)
