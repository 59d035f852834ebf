"""Records the web tests set up directly through the repositories (not test modules: importable)."""

from __future__ import annotations

from elk_adapters.bootstrap import Services
from elk_domain.registration import PreferenceList, Registration, RegistrationStatus
from elk_domain.testing import FixedClock


def register_at(services: Services, pupil_id: int, vo_school_id: int) -> None:
    """A definitive registration with the VO school as first choice: the VO school sees them."""
    with services.uow() as uow:
        uow.registrations.add(
            Registration(
                id=0,
                pupil_id=pupil_id,
                procedure="amstelland",
                preferences=PreferenceList(school_ids=(vo_school_id,)),
                status=RegistrationStatus.DEFINITIVE,
                updated_at=FixedClock().now(),
            )
        )
        uow.commit()
