"""Logging in, resolving the actor of a session, logging out everywhere, reading the outbox."""

from __future__ import annotations

from typing import ClassVar

import attrs
import pytest

from elk_domain.accounts.auth import LOGIN_FAILED, actor_for, authenticate, end_sessions, log_in
from elk_domain.errors import Forbidden, Rejected
from elk_domain.kernel.people import Actor, Role, User
from elk_domain.logbooks.outbox import list_sent_mail
from elk_domain.organisation.model import Group
from elk_domain.testing import InMemoryStore, InMemoryUnitOfWork, InsecurePlainHasher

PASSWORD = "geheim wachtwoord"


class CountingHasher(InsecurePlainHasher):
    """Counts verifications: every failed login must cost exactly one."""

    def __init__(self) -> None:
        self.verifications = 0
        self.hashes = 0

    def hash(self, password: str) -> str:
        self.hashes += 1
        return super().hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        self.verifications += 1
        return super().verify(hashed, password)


class SlotsHasher:
    """A hasher that cannot be weakly referenced (the dummy hash is then made every time)."""

    __slots__ = ()
    calls: ClassVar[list[str]] = []  # no instance attributes: counted on the class

    def hash(self, password: str) -> str:
        self.calls.append("hash")
        return "plain$" + password

    def verify(self, hashed: str, password: str) -> bool:
        self.calls.append("verify")
        return hashed == "plain$" + password


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


def uow(store: InMemoryStore) -> InMemoryUnitOfWork:
    return InMemoryUnitOfWork(store)


def add_user(store: InMemoryStore, **changes: object) -> User:
    fields: dict[str, object] = {
        "id": 0,
        "email": "juf.eva@school.nl",
        "display_name": "Eva de Vries",
        "role": Role.END_USER,
        "board_id": 1,
        "school_id": 10,
        "password_hash": InsecurePlainHasher().hash(PASSWORD),
    }
    fields.update(changes)
    with uow(store) as work:
        user = work.users.add(User(**fields))  # type: ignore[arg-type]
        work.commit()
    return user


class TestLogIn:
    def test_correct_password_gives_the_actor_and_session_version(
        self, store: InMemoryStore
    ) -> None:
        user = add_user(store)
        login = log_in(uow(store), InsecurePlainHasher(), " JUF.EVA@school.nl ", PASSWORD)
        assert login.actor == Actor(
            user_id=user.id, name="Eva de Vries", role=Role.END_USER, board_id=1, school_id=10
        )
        assert login.session_version == user.session_version

    def test_authenticate_returns_just_the_actor(self, store: InMemoryStore) -> None:
        user = add_user(store)
        actor = authenticate(uow(store), InsecurePlainHasher(), user.email, PASSWORD)
        assert actor == Actor(
            user_id=user.id, name="Eva de Vries", role=Role.END_USER, board_id=1, school_id=10
        )

    @pytest.mark.parametrize(
        ("email", "password", "changes"),
        [
            ("juf.eva@school.nl", "fout", {}),
            ("onbekend@school.nl", PASSWORD, {}),
            ("", PASSWORD, {}),
            ("juf.eva@school.nl", PASSWORD, {"active": False}),
            ("juf.eva@school.nl", PASSWORD, {"password_hash": None}),  # invited, never set
        ],
    )
    def test_every_failure_gets_the_same_message_and_costs_one_verification(
        self, store: InMemoryStore, email: str, password: str, changes: dict[str, object]
    ) -> None:
        add_user(store, **changes)
        hasher = CountingHasher()
        with pytest.raises(Rejected) as refused:
            log_in(uow(store), hasher, email, password)
        assert refused.value.message == LOGIN_FAILED
        assert hasher.verifications == 1

    def test_dummy_hash_is_made_once_per_hasher(self, store: InMemoryStore) -> None:
        hasher = CountingHasher()
        for _ in range(3):
            with pytest.raises(Rejected):
                log_in(uow(store), hasher, "onbekend@school.nl", PASSWORD)
        assert hasher.hashes == 1
        assert hasher.verifications == 3

    def test_hasher_without_weak_references_still_works(self, store: InMemoryStore) -> None:
        user = add_user(store)
        SlotsHasher.calls.clear()
        for _ in range(2):
            with pytest.raises(Rejected) as refused:
                log_in(uow(store), SlotsHasher(), "onbekend@school.nl", PASSWORD)
            assert refused.value.message == LOGIN_FAILED
        # Each unknown address still costs a real verification, against a dummy hash made anew.
        assert SlotsHasher.calls == ["hash", "verify", "hash", "verify"]
        assert log_in(uow(store), SlotsHasher(), user.email, PASSWORD).actor.user_id == user.id


class TestActorFor:
    def test_group_contact_sees_only_their_groups(self, store: InMemoryStore) -> None:
        user = add_user(store)
        with uow(store) as work:
            mine = work.groups.add(Group(0, 10, "8a", frozenset({user.id})))
            work.groups.add(Group(0, 10, "8b", frozenset({999})))
            work.commit()
        actor = actor_for(uow(store), user.id, user.session_version)
        assert actor == Actor(
            user_id=user.id, name="Eva de Vries", role=Role.END_USER, board_id=1, school_id=10,
            group_ids=frozenset({mine.id}),
        )  # fmt: skip

    def test_user_without_school_has_no_groups(self, store: InMemoryStore) -> None:
        user = add_user(store, role=Role.FUNCTIONAL_ADMIN, board_id=None, school_id=None)
        actor = actor_for(uow(store), user.id, user.session_version)
        assert actor == Actor(user_id=user.id, name="Eva de Vries", role=Role.FUNCTIONAL_ADMIN)
        assert actor.group_ids == frozenset()

    def test_unknown_disabled_or_outdated_sessions_have_no_actor(
        self, store: InMemoryStore
    ) -> None:
        user = add_user(store)
        assert actor_for(uow(store), 12345, 1) is None
        assert actor_for(uow(store), user.id, user.session_version + 1) is None
        with uow(store) as work:
            work.users.update(attrs.evolve(work.users.get(user.id), active=False))
            work.commit()
        assert actor_for(uow(store), user.id, user.session_version) is None


class TestEndSessions:
    def test_logout_invalidates_every_earlier_session(self, store: InMemoryStore) -> None:
        user = add_user(store)
        end_sessions(uow(store), user.id)
        assert actor_for(uow(store), user.id, user.session_version) is None
        fresh = log_in(uow(store), InsecurePlainHasher(), user.email, PASSWORD)
        assert fresh.session_version == user.session_version + 1
        assert actor_for(uow(store), user.id, fresh.session_version) == fresh.actor

    def test_unknown_user_is_ignored(self, store: InMemoryStore) -> None:
        user = add_user(store)
        work = uow(store)
        end_sessions(work, 12345)
        assert work.commits == 0
        with uow(store) as check:  # nobody else was logged out either
            assert check.users.get(user.id) == user


class TestOutbox:
    def test_functional_admin_reads_the_outbox(self) -> None:
        admin = Actor(user_id=1, name="Fien", role=Role.FUNCTIONAL_ADMIN)
        assert list_sent_mail(admin, lambda: ["mail"]) == ["mail"]

    @pytest.mark.parametrize("role", [Role.SCHOOL_ADMIN, Role.END_USER, Role.BOARD_CONTACT])
    def test_others_are_forbidden(self, role: Role) -> None:
        actor = Actor(user_id=2, name="X", role=role, board_id=1, school_id=10)
        with pytest.raises(Forbidden):
            list_sent_mail(actor, lambda: ["mail"])
