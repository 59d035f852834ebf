"""Records the web tests set up directly through the repositories (not test modules: importable)."""

from __future__ import annotations

from elk_adapters.bootstrap import Services
from elk_domain.kernel.people import OrgKind, Role, User
from elk_domain.kernel.values import Address, Bsn, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc.model import FieldValue, OkiDoc, OkiStatus, Provenance, Scalar, Source
from elk_domain.organisation.model import School
from elk_domain.parents.registration import (
    FirstChoiceOptions,
    PreferenceList,
    Registration,
)
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock

PASSWORD = "correct horse battery staple"  # conftest's; test modules cannot import conftest
NO_OPTIONS = FirstChoiceOptions()
NOOR_VAN_JANSEN = PersonName("Noor", "Jansen", "van")


def add_pupil(
    services: Services,
    school_id: int,
    group_id: int | None,
    *,
    name: PersonName = NOOR_VAN_JANSEN,
    status: OkiStatus = OkiStatus.ONVOLLEDIG,
    values: dict[str, Scalar] | None = None,
    bsn: Bsn | None = None,
    withheld: frozenset[str] = frozenset(),
) -> int:
    """A pupil with an Oki-doc in ``status`` holding ``values`` typed by hand; ``withheld``:
    the OSO categories the parents withheld, as a sync from the LAS leaves them."""
    at = FixedClock().now()
    with services.uow() as uow:
        pupil = uow.pupils.add(
            Pupil(
                id=0,
                elk_number=ElkNumber(uow.pupils.next_elk_number()),
                school_id=school_id,
                name=name,
                group_id=group_id,
                bsn=bsn,
            )
        )
        fields = {
            path: FieldValue(value, Provenance(Source.HAND, at, "test"))
            for path, value in (values or {}).items()
        }
        uow.okidocs.add(
            OkiDoc(id=0, pupil_id=pupil.id, status=status, fields=fields, withheld=withheld)
        )
        uow.commit()
    return pupil.id


def register_at(
    services: Services,
    pupil_id: int,
    vo_school_id: int,
    first_choice: FirstChoiceOptions = NO_OPTIONS,
) -> None:
    """A definitive registration with the VO school as first choice: the VO school sees them."""
    chosen = PreferenceList(school_ids=(vo_school_id,), first_choice=first_choice)
    with services.uow() as uow:
        uow.registrations.add(
            Registration(
                id=0,
                pupil_id=pupil_id,
                procedure="amstelland",
                preferences=chosen,
                definitive=chosen,
                updated_at=FixedClock().now(),
            )
        )
        uow.commit()


def other_vo_user(services: Services, board_id: int) -> User:
    """A VO user of a second VO school, where the pupil is not registered."""
    with services.uow() as uow:
        school = uow.schools.add(
            School(
                id=0,
                board_id=board_id,
                kind=OrgKind.VO,
                official_name="Het Gymnasium",
                name="Het Gymnasium",
                school_type="Gymnasium",
                address=Address.create(
                    street="Laan", house_number="2", postcode="1181 AC", city="Amstelveen"
                ),
                location=SchoolLocation.parse("78GH"),
            )
        )
        user = uow.users.add(
            User(
                id=0,
                email="mentor@gymnasium.test",
                display_name="Greta Gymnasium",
                role=Role.VO_USER,
                org_kind=OrgKind.VO,
                board_id=board_id,
                school_id=school.id,
                password_hash=services.hasher.hash(PASSWORD),
            )
        )
        uow.commit()
    return user
