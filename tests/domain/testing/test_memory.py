"""The in-memory unit of work and fakes behave like the real adapters the use cases expect."""

from __future__ import annotations

import datetime as dt

import pytest

from elk_domain.errors import Conflict, NotFound, Unavailable
from elk_domain.kernel.audit import AuditEntry
from elk_domain.kernel.mail import OutgoingMail
from elk_domain.kernel.people import OrgKind, Role, User
from elk_domain.kernel.values import Address, Bsn, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc.model import OkiDoc
from elk_domain.organisation.model import Board, Group, NewsItem, School, Timeline
from elk_domain.organisation.procedure import ParentPortal
from elk_domain.parents.account import ParentAccount
from elk_domain.parents.registration import PreferenceList, Registration
from elk_domain.pupils.model import Note, Pupil
from elk_domain.testing import (
    FixedClock,
    InMemoryFileStore,
    InMemoryMailer,
    InMemoryStore,
    InMemoryUnitOfWork,
    InsecurePlainHasher,
    SeededRandom,
)

T0 = dt.datetime(2025, 3, 17, 9, 0, tzinfo=dt.UTC)


def school(name: str = "De Linde", board_id: int = 1, brin: str = "12AB") -> School:
    return School(
        id=0,
        board_id=board_id,
        kind=OrgKind.PO,
        official_name=name,
        name=name,
        school_type="Basisschool",
        address=Address.create(street="Laan", house_number="1", postcode="1181AB", city="A"),
        location=SchoolLocation.parse(brin),
    )


def pupil(last: str = "Jansen", school_id: int = 1, group_id: int | None = None) -> Pupil:
    return Pupil(
        id=0,
        elk_number=ElkNumber(1),
        school_id=school_id,
        name=PersonName("Sam", last),
        bsn=Bsn.parse("111222333"),
        group_id=group_id,
    )


def user(email: str, name: str, board_id: int | None = 1, school_id: int | None = 1) -> User:
    return User(
        id=0,
        email=email,
        display_name=name,
        role=Role.END_USER,
        board_id=board_id,
        school_id=school_id,
    )


class TestUnitOfWork:
    def test_add_assigns_ids_one_two_three(self) -> None:
        with InMemoryUnitOfWork() as uow:
            ids = [uow.boards.add(Board(0, f"Bestuur {n}")).id for n in range(3)]
        assert ids == [1, 2, 3]

    def test_commit_makes_changes_visible_to_another_unit_of_work(self) -> None:
        store = InMemoryStore()
        with InMemoryUnitOfWork(store) as uow:
            uow.boards.add(Board(0, "Amstelland"))
            uow.commit()
        with InMemoryUnitOfWork(store) as other:
            assert [b.name for b in other.boards.list()] == ["Amstelland"]

    def test_leaving_without_commit_rolls_back(self) -> None:
        store = InMemoryStore()
        with InMemoryUnitOfWork(store) as uow:
            uow.boards.add(Board(0, "Weg"))
            uow.audit.record(
                AuditEntry(
                    at=T0,
                    actor_id=1,
                    actor_name="a",
                    action="x",
                    subject_type="board",
                    subject_id=1,
                )
            )
            uow.settings.save_timeline(Timeline(placement_date=dt.date(2025, 5, 1)))
        with InMemoryUnitOfWork(store) as uow:
            assert uow.boards.list() == []
            assert uow.audit.for_subject("board", 1) == []
            assert uow.settings.timeline() == Timeline()

    def test_commit_keeps_audit_and_timeline(self) -> None:
        store = InMemoryStore()
        entry = AuditEntry(
            at=T0, actor_id=1, actor_name="a", action="x", subject_type="pupil", subject_id=7
        )
        timeline = Timeline(placement_date=dt.date(2025, 5, 1))
        with InMemoryUnitOfWork(store) as uow:
            uow.audit.record(entry)
            uow.settings.save_timeline(timeline)
            uow.commit()
        with InMemoryUnitOfWork(store) as uow:
            assert uow.audit.for_subject("pupil", 7) == [entry]
            assert uow.settings.timeline() == timeline
        assert store.audit == [entry]

    def test_get_of_missing_row_raises_not_found_in_dutch(self) -> None:
        with InMemoryUnitOfWork() as uow, pytest.raises(NotFound, match="Leerling 9 bestaat niet"):
            uow.pupils.get(9)

    def test_update_stores_next_version_and_returns_it(self) -> None:
        with InMemoryUnitOfWork() as uow:
            stored = uow.schools.add(school())
            updated = uow.schools.update(stored)
            assert updated.version == 2
            assert uow.schools.get(stored.id) == updated

    def test_update_with_stale_version_raises_conflict(self) -> None:
        with InMemoryUnitOfWork() as uow:
            stored = uow.pupils.add(pupil())
            uow.pupils.update(stored)
            with pytest.raises(Conflict, match="intussen gewijzigd"):
                uow.pupils.update(stored)

    def test_concurrent_commit_of_the_same_row_raises_conflict(self) -> None:
        store = InMemoryStore()
        with InMemoryUnitOfWork(store) as uow:
            stored = uow.pupils.add(pupil())
            uow.commit()
        first, second = InMemoryUnitOfWork(store), InMemoryUnitOfWork(store)
        first.pupils.update(stored)
        second.pupils.update(stored)
        first.commit()
        with pytest.raises(Conflict):
            second.commit()

    def test_ids_are_not_reused_after_rollback(self) -> None:
        store = InMemoryStore()
        with InMemoryUnitOfWork(store) as uow:
            uow.boards.add(Board(0, "Weg"))
        with InMemoryUnitOfWork(store) as uow:
            assert uow.boards.add(Board(0, "Blijft")).id == 2

    def test_commit_can_be_repeated_in_one_unit_of_work(self) -> None:
        store = InMemoryStore()
        with InMemoryUnitOfWork(store) as uow:
            uow.boards.add(Board(0, "Een"))
            uow.commit()
            uow.boards.add(Board(0, "Twee"))
            uow.commit()
            assert uow.commits == 2
        assert len(store.tables["boards"]) == 2


class TestRepositories:
    def test_schools_by_location_and_board(self) -> None:
        with InMemoryUnitOfWork() as uow:
            linde = uow.schools.add(school("De Linde", 1, "12AB"))
            uow.schools.add(school("Akker", 2, "34CD"))
            assert uow.schools.by_location(SchoolLocation.parse("12AB00")) == linde
            assert uow.schools.by_location(SchoolLocation.parse("99ZZ")) is None
            assert [s.name for s in uow.schools.list(board_id=1)] == ["De Linde"]
            assert [s.name for s in uow.schools.list()] == ["Akker", "De Linde"]

    def test_groups_are_listed_per_school_and_replaced_on_update(self) -> None:
        with InMemoryUnitOfWork() as uow:
            g = uow.groups.add(Group(0, 1, "8b"))
            uow.groups.add(Group(0, 1, "8a"))
            uow.groups.add(Group(0, 2, "8c"))
            uow.groups.update(Group(g.id, 1, "8B"))
            assert [x.name for x in uow.groups.list(1)] == ["8a", "8B"]
            with pytest.raises(NotFound, match="Groep 99"):
                uow.groups.update(Group(99, 1, "x"))

    def test_pupils_by_bsn_and_by_group_sorted_on_last_name(self) -> None:
        with InMemoryUnitOfWork() as uow:
            a = uow.pupils.add(pupil("Visser", group_id=1))
            uow.pupils.add(pupil("Bakker", group_id=2))
            uow.pupils.add(pupil("Smit", school_id=2))
            assert uow.pupils.by_bsn(1, Bsn.parse("111222333")) in uow.pupils.list(1)
            assert uow.pupils.by_bsn(3, Bsn.parse("111222333")) is None
            assert [p.name.last for p in uow.pupils.list(1)] == ["Bakker", "Visser"]
            assert uow.pupils.list(1, group_ids=[1]) == [a]

    def test_elk_numbers_are_fresh(self) -> None:
        with InMemoryUnitOfWork() as uow:
            assert uow.pupils.next_elk_number() + 1 == uow.pupils.next_elk_number()

    def test_one_okidoc_per_pupil(self) -> None:
        with InMemoryUnitOfWork() as uow:
            doc = uow.okidocs.add(OkiDoc(id=0, pupil_id=5))
            assert uow.okidocs.for_pupil(5) == doc
            with pytest.raises(Conflict):
                uow.okidocs.add(OkiDoc(id=0, pupil_id=5))
            with pytest.raises(NotFound, match="geen Oki-doc"):
                uow.okidocs.for_pupil(6)

    def test_users_by_email_ignores_case_and_list_filters_scope(self) -> None:
        with InMemoryUnitOfWork() as uow:
            piet = uow.users.add(user("Piet@School.nl", "Piet"))
            uow.users.add(user("ans@x.nl", "Ans", board_id=2, school_id=3))
            assert uow.users.by_email(" piet@school.NL ") == piet
            assert uow.users.by_email("niemand@x.nl") is None
            assert uow.users.list(board_id=1) == [piet]
            assert [u.display_name for u in uow.users.list(school_id=3)] == ["Ans"]
            assert len(uow.users.list()) == 2

    def test_latest_news_newest_first_and_limited(self) -> None:
        with InMemoryUnitOfWork() as uow:
            for day in (1, 3, 2):
                uow.news.add(
                    NewsItem(id=0, title=f"d{day}", body="", published_at=T0.replace(day=day))
                )
            assert [n.title for n in uow.news.latest(2)] == ["d3", "d2"]

    def test_notes_for_pupil_oldest_first(self) -> None:
        with InMemoryUnitOfWork() as uow:
            for minute in (5, 1):
                uow.notes.add(
                    Note(
                        id=0,
                        pupil_id=1,
                        author_id=1,
                        author_name="a",
                        organisation=1,
                        text=str(minute),
                        created_at=T0.replace(minute=minute),
                    )
                )
            assert [n.text for n in uow.notes.for_pupil(1)] == ["1", "5"]
            assert uow.notes.get(1).text == "5"

    def test_registrations_per_pupil_and_procedure_and_at_first_choice(self) -> None:
        with InMemoryUnitOfWork() as uow:
            prefs = PreferenceList(school_ids=(30, 31))
            draft = uow.registrations.add(
                Registration(
                    id=0, pupil_id=1, procedure="amstelland", preferences=prefs, updated_at=T0
                )
            )
            final = uow.registrations.add(
                Registration(
                    id=0,
                    pupil_id=2,
                    procedure="amstelland",
                    preferences=prefs,
                    updated_at=T0,
                    definitive=prefs,
                )
            )
            assert uow.registrations.for_pupil(1, "amstelland") == draft
            assert uow.registrations.for_pupil(1, "amsterdam") is None
            assert uow.registrations.at_school(30) == [final]
            assert uow.registrations.at_school(31) == []

    def test_parent_accounts_per_portal_and_token_digest(self) -> None:
        with InMemoryUnitOfWork() as uow:
            acc = uow.parent_accounts.add(
                ParentAccount(id=0, pupil_id=1, email="o@x.nl", token_digest="abc")
            )
            assert uow.parent_accounts.for_pupil(1, ParentPortal.ELK) == acc
            assert uow.parent_accounts.for_pupil(1, ParentPortal.AMSTERDAM) is None
            assert uow.parent_accounts.by_token_digest("abc") == acc
            assert uow.parent_accounts.by_token_digest("zzz") is None
            assert uow.parent_accounts.update(acc).version == 2

    def test_audit_all_lists_every_entry(self) -> None:
        from elk_domain.testing import InMemoryAuditLog

        log = InMemoryAuditLog([])
        entry = AuditEntry(at=T0, actor_id=1, actor_name="a", action="x", subject_type="s")
        log.record(entry)
        assert log.all() == [entry]


class TestFakes:
    def test_fixed_clock_is_settable_and_advances(self) -> None:
        clock = FixedClock()
        clock.set(T0)
        clock.advance(dt.timedelta(hours=1))
        assert clock.now() == T0 + dt.timedelta(hours=1)

    def test_fixed_clock_refuses_naive_time(self) -> None:
        with pytest.raises(ValueError, match="aware"):
            FixedClock().set(dt.datetime(2025, 1, 1))

    def test_seeded_random_is_reproducible(self) -> None:
        a, b = SeededRandom(7), SeededRandom(7)
        assert (a.random(), a.token()) == (b.random(), b.token())
        assert SeededRandom(8).token() != SeededRandom(7).token()
        assert len(SeededRandom().token(16)) == 22

    def test_mailer_collects_or_fails(self) -> None:
        mailer = InMemoryMailer()
        mail = OutgoingMail("o@x.nl", "Onderwerp", "Tekst")
        mailer.send(mail)
        assert mailer.sent == [mail]
        mailer.fail = True
        with pytest.raises(Unavailable):
            mailer.send(mail)

    def test_file_store_round_trip(self) -> None:
        files = InMemoryFileStore()
        key = files.put(b"pdf", content_type="application/pdf")
        assert files.get(key) == b"pdf"
        files.delete(key)
        files.delete(key)
        with pytest.raises(NotFound):
            files.get(key)

    def test_plain_hasher_verifies_only_the_same_password(self) -> None:
        hasher = InsecurePlainHasher()
        hashed = hasher.hash("geheim")
        assert hasher.verify(hashed, "geheim")
        assert not hasher.verify(hashed, "anders")
