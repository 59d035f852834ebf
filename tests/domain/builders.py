"""Records the domain tests build again and again, built in one place."""

from __future__ import annotations

from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import Address, SchoolLocation
from elk_domain.organisation.model import School
from elk_domain.testing import InMemoryUnitOfWork


def add_regenboog(uow: InMemoryUnitOfWork) -> School:
    """The primary school "De Regenboog" (12AB00) of board 1, stored in the open unit of work."""
    address = Address.create(street="Laan", house_number="1", postcode="1181AB", city="A")
    return uow.schools.add(
        School(
            id=0,
            board_id=1,
            kind=OrgKind.PO,
            official_name="De Regenboog",
            name="Regenboog",
            school_type="Basisschool",
            address=address,
            location=SchoolLocation.parse("12AB00"),
        )
    )
