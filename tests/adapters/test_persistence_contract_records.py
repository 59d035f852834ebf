"""Repository contract, part two: news, settings, audit, notes, registrations, parent accounts.

Runs on the in-memory fake, SQLite and PostgreSQL alike (``uow_factory`` and ``world`` come
from tests/adapters/conftest.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import pytest

from elk_domain.errors import Conflict, NotFound
from elk_domain.kernel.audit import AuditEntry, FieldChange
from elk_domain.organisation.model import NewsItem, Period, Timeline
from elk_domain.organisation.procedure import ParentPortal
from elk_domain.parents.account import CorrectionRequest, ParentAccount
from elk_domain.parents.registration import (
    FirstChoiceOptions,
    PastRegistration,
    PreferenceList,
    PriorityClaim,
    PriorityKind,
    Registration,
)
from elk_domain.pupils.model import Note, NoteVisibility
from elk_domain.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
World = Any  # tests/adapters/conftest.py World
NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=3)


class TestNewsAndSettings:
    def test_latest_news_comes_newest_first(self, uow_factory: UowFactory) -> None:
        with uow_factory() as uow:
            items = [
                uow.news.add(
                    NewsItem(
                        id=0,
                        title=f"Bericht {n}",
                        body="Tekst",
                        published_at=NOW + dt.timedelta(days=n),
                        author="FB",
                    )
                )
                for n in (2, 0, 1)
            ]
            uow.commit()
        with uow_factory() as uow:
            assert uow.news.latest() == [items[0], items[2], items[1]]
            assert uow.news.latest(limit=1) == [items[0]]

    def test_timeline_is_empty_until_saved_and_then_replaced(self, uow_factory: UowFactory) -> None:
        timeline = Timeline(
            parent_login=Period(dt.date(2026, 1, 5), dt.date(2026, 3, 1)),
            registration=Period(dt.date(2026, 3, 2), dt.date(2026, 3, 13)),
            placement_date=dt.date(2026, 4, 10),
        )
        with uow_factory() as uow:
            assert uow.settings.timeline() == Timeline()
            uow.settings.save_timeline(timeline)
            uow.commit()
        with uow_factory() as uow:
            assert uow.settings.timeline() == timeline
            uow.settings.save_timeline(Timeline(placement_date=dt.date(2026, 4, 17)))
            assert uow.settings.timeline() == Timeline(placement_date=dt.date(2026, 4, 17))


def entry(subject_id: int, action: str, minute: int, **kw: Any) -> AuditEntry:
    """An audit entry on a pupil."""
    return AuditEntry(
        at=NOW + dt.timedelta(minutes=minute),
        actor_id=7,
        actor_name="Juf Ans",
        action=action,
        subject_type="pupil",
        subject_id=subject_id,
        **kw,
    )


class TestAuditLog:
    def test_history_of_a_subject_is_in_recorded_order(self, uow_factory: UowFactory) -> None:
        change = FieldChange("leerling.roepnaam", "Ana", "Anna")
        first = entry(1, "wijzig", 5, changes=(change, FieldChange("x", None, "1")), school_id=3)
        second = entry(1, "inloggen-als", 0, impersonator_id=9, detail="namens bestuur")
        with uow_factory() as uow:
            uow.audit.record(first)
            uow.audit.record(entry(2, "wijzig", 1))
            uow.audit.record(second)
            uow.commit()
        with uow_factory() as uow:
            assert uow.audit.for_subject("pupil", 1) == [first, second]
            assert uow.audit.for_subject("okidoc", 1) == []

    def test_uncommitted_entries_are_not_kept(self, uow_factory: UowFactory) -> None:
        with uow_factory() as uow:
            uow.audit.record(entry(1, "wijzig", 0))
        with uow_factory() as uow:
            assert uow.audit.for_subject("pupil", 1) == []


class TestNotes:
    def test_notes_of_a_pupil_come_oldest_first(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        def note(minute: int, text: str) -> Note:
            return Note(
                id=0,
                pupil_id=world.pupil.id,
                author_id=world.teacher.id,
                author_name="Juf Ans",
                organisation=world.po.id,
                text=text,
                visibility=NoteVisibility.ALSO_VO,
                created_at=NOW + dt.timedelta(minutes=minute),
            )

        with uow_factory() as uow:
            late, early = uow.notes.add(note(5, "Later")), uow.notes.add(note(1, "Eerder"))
            uow.commit()
        with uow_factory() as uow:
            assert uow.notes.for_pupil(world.pupil.id) == [early, late]
            assert uow.notes.get(late.id) == late
            with pytest.raises(NotFound):
                uow.notes.get(999)


def registration(pupil_id: int, school_ids: tuple[int, ...], **kw: Any) -> Registration:
    """A registration with a priority claim on the first choice."""
    claim = PriorityClaim(PriorityKind.SIBLING, "Piet van der Berg", "2b")
    preferences = PreferenceList(
        school_ids=school_ids,
        first_choice=FirstChoiceOptions(priority_claim=claim, multiple_birth=True),
    )
    return Registration(
        id=0,
        pupil_id=pupil_id,
        procedure="amstelland",
        preferences=preferences,
        updated_at=NOW,
        **kw,
    )


class TestRegistrations:
    def test_registration_round_trips(self, uow_factory: UowFactory, world: World) -> None:
        with uow_factory() as uow:
            stored = uow.registrations.add(registration(world.pupil.id, (world.vo.id,)))
            uow.commit()
        with uow_factory() as uow:
            assert uow.registrations.for_pupil(world.pupil.id, "amstelland") == stored
            assert uow.registrations.for_pupil(world.pupil.id, "amsterdam") is None

    def test_a_second_list_and_the_history_round_trip(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        first = registration(world.pupil.id, (world.vo.id,)).preferences
        past = PastRegistration(preferences=first, definitive_at=NOW, replaced_at=LATER)
        again = registration(
            world.pupil.id, (world.vo.id,), definitive=PreferenceList(school_ids=(world.vo.id,)),
            definitive_at=LATER, history=(past,), priority_granted=False,
            priority_reason="Geen broer of zus gevonden in klas 2b.",
        )  # fmt: skip
        with uow_factory() as uow:
            stored = uow.registrations.add(again)
            uow.commit()
        with uow_factory() as uow:
            assert uow.registrations.for_pupil(world.pupil.id, "amstelland") == stored
            assert uow.registrations.at_school(world.vo.id) == [stored]

    def test_school_sees_only_definitive_registrations_with_it_first(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            started = uow.registrations.add(registration(world.pupil.id, (world.vo.id,)))
            assert uow.registrations.at_school(world.vo.id) == []
            definitive = uow.registrations.update(
                attrs.evolve(
                    started,
                    definitive=started.preferences,
                    definitive_at=NOW,
                    priority_granted=True,
                )
            )
            assert uow.registrations.at_school(world.vo.id) == [definitive]
            assert uow.registrations.at_school(world.po.id) == []

    def test_registration_update_refuses_a_stale_version(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        with uow_factory() as uow:
            stored = uow.registrations.add(registration(world.pupil.id, (world.vo.id,)))
            uow.registrations.update(attrs.evolve(stored, priority_granted=False))
            with pytest.raises(Conflict):
                uow.registrations.update(attrs.evolve(stored, priority_granted=True))


class TestParentAccounts:
    def test_account_is_found_by_pupil_portal_and_token(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        account = ParentAccount(
            id=0,
            pupil_id=world.pupil.id,
            email="ouder@example.nl",
            token_digest="d" * 64,
            token_expires_at=NOW,
        )
        with uow_factory() as uow:
            stored = uow.parent_accounts.add(account)
            uow.commit()
        with uow_factory() as uow:
            accounts = uow.parent_accounts
            assert accounts.for_pupil(world.pupil.id, ParentPortal.ELK) == stored
            assert accounts.for_pupil(world.pupil.id, ParentPortal.AMSTERDAM) is None
            assert accounts.by_token_digest("d" * 64) == stored
            assert accounts.by_token_digest("e" * 64) is None

    def test_account_is_found_by_id_and_by_the_childs_elk_number(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        account = ParentAccount(id=0, pupil_id=world.pupil.id, email="ouder@example.nl")
        with uow_factory() as uow:
            stored = uow.parent_accounts.add(account)
            stored = uow.parent_accounts.update(attrs.evolve(stored, session_version=3))
            uow.commit()
        number = world.pupil.elk_number.value
        with uow_factory() as uow:
            accounts = uow.parent_accounts
            assert accounts.get(stored.id) == stored
            assert accounts.get(stored.id).session_version == 3
            assert accounts.by_elk_number(number, ParentPortal.ELK) == stored
            assert accounts.by_elk_number(number, ParentPortal.AMSTERDAM) is None
            assert accounts.by_elk_number(number + 1, ParentPortal.ELK) is None
            with pytest.raises(NotFound):
                accounts.get(stored.id + 1)

    def test_account_update_saves_and_refuses_a_stale_version(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        account = ParentAccount(
            id=0, pupil_id=world.pupil.id, email="ouder@example.nl", portal=ParentPortal.AMSTERDAM
        )
        with uow_factory() as uow:
            stored = uow.parent_accounts.add(account)
            saved = uow.parent_accounts.update(attrs.evolve(stored, password_hash="argon2$x"))
            assert uow.parent_accounts.for_pupil(world.pupil.id, ParentPortal.AMSTERDAM) == saved
            with pytest.raises(Conflict):
                uow.parent_accounts.update(stored)


class TestCorrectionRequests:
    def test_requests_are_listed_per_pupil_and_per_school_newest_first(
        self, uow_factory: UowFactory, world: World
    ) -> None:
        def request(minutes: int, message: str) -> CorrectionRequest:
            return CorrectionRequest(
                id=0, pupil_id=world.pupil.id, school_id=world.pupil.school_id,
                message=message, created_at=NOW + dt.timedelta(minutes=minutes),
            )  # fmt: skip

        with uow_factory() as uow:
            first = uow.correction_requests.add(request(0, "Het adres klopt niet."))
            second = uow.correction_requests.add(request(5, "De naam ook niet."))
            uow.commit()
        with uow_factory() as uow:
            requests = uow.correction_requests
            assert list(requests.for_pupil(world.pupil.id)) == [second, first]
            assert list(requests.for_school(world.pupil.school_id)) == [second, first]
            assert list(requests.for_pupil(world.pupil.id + 1000)) == []
            assert list(requests.for_school(world.pupil.school_id + 1000)) == []
