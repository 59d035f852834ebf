"""A placement run over the web test's database: the seeded VO school "Het Lyceum" gets one
havo place, "Keizer College" five; three children with a havo advice and an activated parent
login chose the Lyceum first. The operator's steps (commit, run, publish) are the use cases the
CLI calls, with the test's clock."""

from __future__ import annotations

import re
from typing import Any

import attrs

from elk_adapters.bootstrap import Services
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import Actor, OrgKind
from elk_domain.kernel.values import Address, SchoolLocation
from elk_domain.organisation.model import School
from elk_domain.parents.registration import FirstChoiceOptions, PreferenceList, Registration
from elk_domain.placement import operations
from elk_domain.testing import FixedClock

PLACEMENT_LINK = re.compile(r"http://\S+(/ouders/plaatsing)\b")
ADMIN = Actor.system("test")


def placement_schools(services: Services) -> tuple[int, int]:
    """The seeded VO school with one havo place, and a second VO school with five."""
    with services.uow() as uow:
        lyceum = next(s for s in uow.schools.list() if s.kind is OrgKind.VO)
        places = {"levels": frozenset({Level.HAVO}), "capacity": {Level.HAVO: 1}}
        uow.schools.update(attrs.evolve(lyceum, **places))  # type: ignore[arg-type]
        keizer = uow.schools.add(
            School(
                id=0, board_id=lyceum.board_id, kind=OrgKind.VO, official_name="Keizer College",
                name="Keizer College", school_type="Scholengemeenschap",
                address=Address.create(street="Laan", house_number="2", postcode="1181 AB",
                                       city="Amstelveen"),
                location=SchoolLocation.parse("77VO"), levels=frozenset({Level.HAVO}),
                capacity={Level.HAVO: 5},
            )
        )  # fmt: skip
        uow.commit()
    return lyceum.id, keizer.id


def register(
    services: Services, clock: FixedClock, pupil_id: int, schools: tuple[int, ...]
) -> None:
    """A definitive registration with these schools, best first."""
    listed = PreferenceList(school_ids=schools, first_choice=FirstChoiceOptions())
    with services.uow() as uow:
        uow.registrations.add(
            Registration(
                id=0, pupil_id=pupil_id, procedure="amstelland", preferences=listed,
                definitive=listed, updated_at=clock.now(), definitive_at=clock.now(),
            )
        )  # fmt: skip
        uow.commit()


def run_and_publish(services: Services, clock: FixedClock) -> operations.Published:
    """The operator commits a seed, runs the placement and publishes it."""
    commit = operations.CommitSeed(procedure="amstelland")
    committed = operations.commit_seed(services.uow(), clock, services.random, ADMIN, commit)
    command = operations.RunPlacement(procedure="amstelland", seed=committed.seed)
    operations.run_placement(services.uow(), clock, ADMIN, command)
    publish = operations.PublishRun(
        procedure="amstelland", portal_url=services.settings.base_url + "/ouders/plaatsing"
    )
    return operations.publish_run(services.uow(), clock, ADMIN, publish)


def placement_link(mails: list[Any], to: str) -> str:
    """The path of the link in the placement mail to ``to``."""
    [mail] = [m for m in mails if m.to == to and "plaatsing" in m.subject.lower()]
    match = PLACEMENT_LINK.search(mail.body)
    assert match, mail.body
    return match.group(1)
