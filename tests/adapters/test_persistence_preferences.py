"""Repository contract for the Voorkeursinstellingen (school preferences).

Runs on the in-memory fake, SQLite and PostgreSQL alike (``uow_factory`` and ``world`` come
from tests/adapters/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest

from elk_domain.errors import Conflict
from elk_domain.okidoc.school_preferences import SchoolPreferences
from elk_domain.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
World = Any  # tests/adapters/conftest.py World


def preferences(world: World, **changes: Any) -> SchoolPreferences:
    """The PO school's preferences with every field set."""
    base = SchoolPreferences(
        school_id=world.po.id,
        lat=True,
        cap=False,
        sem=None,
        institution="Onderzoeksbureau West",
        researcher="Dr. A. Vos",
    )
    return attrs.evolve(base, **changes)


class TestSchoolPreferences:
    def test_a_school_without_preferences_gets_blank_ones(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            found = uow.preferences.for_school(world.po.id)
        assert found == SchoolPreferences(school_id=world.po.id)
        assert found.version == 0

    def test_saved_preferences_read_back_field_for_field(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            stored = uow.preferences.save(preferences(world))
            uow.commit()
        assert stored.version == 1
        with uow_factory() as uow:
            assert uow.preferences.for_school(world.po.id) == stored
            assert uow.preferences.for_school(world.vo.id).version == 0

    def test_update_bumps_the_version_and_refuses_a_stale_one(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            first = uow.preferences.save(preferences(world))
            uow.commit()
        with uow_factory() as uow:
            second = uow.preferences.save(attrs.evolve(first, lat=None, sem=True, researcher=""))
            uow.commit()
        assert second.version == 2
        with uow_factory() as uow:
            with pytest.raises(Conflict):
                uow.preferences.save(attrs.evolve(first, cap=True))
            assert uow.preferences.for_school(world.po.id) == second

    def test_a_second_first_save_is_a_conflict(self, uow_factory: UowFactory, world: World) -> None:
        with uow_factory() as uow:
            uow.preferences.save(preferences(world))
            uow.commit()
        with uow_factory() as uow, pytest.raises(Conflict):
            uow.preferences.save(preferences(world, cap=True))

    def test_without_commit_nothing_is_kept(self, uow_factory: UowFactory, world: World) -> None:
        with uow_factory() as uow:
            uow.preferences.save(preferences(world))
        with uow_factory() as uow:
            assert uow.preferences.for_school(world.po.id).version == 0
