"""``elk user create-admin``: a functional administrator, audited as the operator's act."""

from __future__ import annotations

import pytest

from elk_domain.accounts.operator import CreateAdmin, create_functional_admin
from elk_domain.errors import Conflict, Rejected
from elk_domain.kernel.people import Actor, Role
from elk_domain.testing import FixedClock, InMemoryStore, InMemoryUnitOfWork
from elk_domain.testing.outside import InsecurePlainHasher

OPERATOR = Actor.system("elk user create-admin (beheer)")
PASSWORD = "een-lang-Geheim-2026"


def create(store: InMemoryStore, email: str, name: str = "Anna", password: str = PASSWORD) -> int:
    """Create through the use case; the new user's id."""
    command = CreateAdmin(email, name, password)
    uow = InMemoryUnitOfWork(store)
    return create_functional_admin(uow, FixedClock(), InsecurePlainHasher(), OPERATOR, command).id


class TestCreateFunctionalAdmin:
    def test_stores_the_admin_and_audits_it_as_the_operator(self) -> None:
        store = InMemoryStore()

        user_id = create(store, "Anna@Beheer.Example", name="  ")

        [entry] = store.audit
        user = store.tables["users"][user_id]
        assert (user.email, user.role, user.display_name) == (
            "Anna@beheer.example",  # the domain part is case-insensitive, lookups too
            Role.FUNCTIONAL_ADMIN,
            "Functioneel beheerder",
        )
        assert (entry.actor_id, entry.actor_name) == (0, OPERATOR.name)
        assert (entry.action, entry.subject_type, entry.subject_id) == (
            "gebruiker_aangemaakt",
            "user",
            user_id,
        )
        assert PASSWORD not in repr(entry)
        assert PASSWORD not in repr(CreateAdmin("a@b.example", "A", PASSWORD))

    def test_an_address_in_use_is_a_conflict_and_nothing_is_audited_twice(self) -> None:
        store = InMemoryStore()
        create(store, "anna@beheer.example")

        with pytest.raises(Conflict, match="bestaat al"):
            create(store, "ANNA@beheer.example")
        assert len(store.audit) == 1

    @pytest.mark.parametrize("password", ["kort", "x" * 257])
    def test_a_password_of_the_wrong_length_is_rejected(self, password: str) -> None:
        store = InMemoryStore()

        with pytest.raises(Rejected, match="12 tot 256 tekens"):
            create(store, "anna@beheer.example", password=password)
        assert store.audit == []
