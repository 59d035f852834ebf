"""Two saves of one Oki-doc race inside their transactions (PostgreSQL, read committed).

Both read version 1 before either writes (a barrier after the read makes that certain); the
first UPDATE wins, the second one's ``WHERE version = 1`` then matches nothing. The loser must
hear what the winner changed and keep what they typed, as with any stale save, not get a bare
"someone changed it". SQLite cannot race like this: every unit of work that may write begins
with ``BEGIN IMMEDIATE``, so the second one waits before it reads.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from elk_adapters.persistence.database import SqlAlchemyUnitOfWork
from elk_domain.kernel.people import Actor, OrgKind, Role, User
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.edit import EditConflict, edit_fields
from elk_domain.okidoc.model import OkiDoc
from elk_domain.organisation.model import Board, Group, School
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock

pytestmark = pytest.mark.postgres
NOW = dt.datetime(2025, 3, 3, 10, tzinfo=dt.UTC)


class _ReadThenWait:
    """The Oki-doc repository; a thread's first read waits until the other thread read too."""

    def __init__(self, inner: Any, barrier: threading.Barrier, seen: threading.local) -> None:
        self._inner, self._barrier, self._seen = inner, barrier, seen

    def for_pupil(self, pupil_id: int) -> OkiDoc:
        found: OkiDoc = self._inner.for_pupil(pupil_id)
        if not getattr(self._seen, "done", False):
            self._seen.done = True
            self._barrier.wait()
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _BarrierUnitOfWork(SqlAlchemyUnitOfWork):
    def __init__(self, engine: sa.Engine, barrier: threading.Barrier, seen: threading.local):
        super().__init__(engine)
        self._barrier, self._seen = barrier, seen

    def _wire(self, connection: sa.Connection) -> None:
        super()._wire(connection)
        self.okidocs = _ReadThenWait(self.okidocs, self._barrier, self._seen)


def _seed(engine: sa.Engine) -> tuple[int, Actor, Actor]:
    with SqlAlchemyUnitOfWork(engine) as uow:
        board = uow.boards.add(Board(0, "Stichting Amstelland"))
        school = uow.schools.add(
            School(id=0, board_id=board.id, kind=OrgKind.PO, official_name="De Regenboog",
                   name="De Regenboog", school_type="bo",
                   address=Address.create(street="Laan", house_number="1", postcode="1181AB",
                                          city="Amstelveen"),
                   location=SchoolLocation.parse("12AB"))
        )  # fmt: skip
        eva = uow.users.add(
            User(id=0, email="juf.eva@regenboog.test", display_name="Eva de Vries",
                 role=Role.END_USER, org_kind=OrgKind.PO, board_id=board.id, school_id=school.id)
        )  # fmt: skip
        group = uow.groups.add(Group(0, school.id, "8a", frozenset({eva.id})))
        pupil = uow.pupils.add(
            Pupil(id=0, elk_number=ElkNumber(uow.pupils.next_elk_number()), school_id=school.id,
                  group_id=group.id, name=PersonName("Anna", "Berg"))
        )  # fmt: skip
        uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id))
        uow.commit()
    teacher = Actor(user_id=eva.id, name="Eva de Vries", role=Role.END_USER, board_id=board.id,
                    school_id=school.id)  # fmt: skip
    admin = Actor(user_id=5, name="Sanne Schoolbeheer", role=Role.SCHOOL_ADMIN,
                  board_id=board.id, school_id=school.id)  # fmt: skip
    return pupil.id, teacher, admin


def test_the_loser_of_a_race_inside_the_save_sees_the_winners_change(
    migrated_postgres_url: str, engine_for: Callable[[str], sa.Engine]
) -> None:
    engine = engine_for(migrated_postgres_url)
    pupil_id, teacher, admin = _seed(engine)
    barrier, seen = threading.Barrier(2, timeout=20), threading.local()
    forms = {
        teacher.name: {f.ADVICE_CONTACT: "", f.ADVICE_PROVISIONAL_7: "havo"},
        admin.name: {f.ADVICE_CONTACT: "Meester Tom"},
    }
    outcomes: dict[str, object] = {}

    def save(actor: Actor) -> None:
        uow = _BarrierUnitOfWork(engine, barrier, seen)
        try:
            outcomes[actor.name] = edit_fields(
                uow, FixedClock(NOW), actor, pupil_id, 1, forms[actor.name]
            )
        except Exception as error:
            outcomes[actor.name] = error

    threads = [threading.Thread(target=save, args=(who,)) for who in (teacher, admin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)

    lost = [name for name, outcome in outcomes.items() if not isinstance(outcome, OkiDoc)]
    assert len(lost) == 1, outcomes
    (loser,) = lost
    (winner,) = set(forms) - {loser}
    conflict = outcomes[loser]
    assert isinstance(conflict, EditConflict), repr(conflict)
    assert {c.by for c in conflict.changes} == {winner}
    assert winner in conflict.message
    for path, typed in forms[loser].items():
        if typed:  # what the loser typed is still in their form
            assert conflict.form[path] == typed
    with SqlAlchemyUnitOfWork(engine) as uow:
        stored = uow.okidocs.for_pupil(pupil_id)
    assert stored.version == 2
    for path, typed in forms[winner].items():
        assert (f.text_of(stored.value(path)) or "") == typed
