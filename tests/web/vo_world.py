"""What the VO web tests share: the VO school's pages, a VO administrator, two registrations.

Not a test module, so both test_vo.py and test_vo_accounts.py import it (they cannot import
conftest).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import attrs
from tests.web.builders import add_pupil, register_at

from elk_adapters.bootstrap import Services
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import Role
from elk_domain.kernel.values import PersonName
from elk_domain.okidoc import fields
from elk_domain.okidoc.model import FieldValue, Provenance, Source
from elk_domain.testing import FixedClock

if TYPE_CHECKING:
    from tests.web.conftest import Staff


REGISTRATIONS = "/vo/aanmeldingen"


def menu_labels(page: str) -> list[str]:
    """The labels of the main menu's links on a page."""
    nav = page.split("<nav", 1)[1].split("</nav>", 1)[0]
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


def add_vo_admin(services: Services, staff: Staff) -> str:
    """A VO administrator of the staff's VO school with the seeded 2FA secret; their e-mail."""
    with services.uow() as uow:
        user = uow.users.add(
            attrs.evolve(staff.vo_user, id=0, email="beheer@lyceum.test", role=Role.VO_ADMIN,
                         totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        )  # fmt: skip
        uow.commit()
    return user.email


def register_two_at_the_vo_school(services: Services, staff: Staff) -> dict[str, int]:
    """Anna (havo/vwo) and a pupil named like a formula (havo) registered at Het Lyceum; Bas
    registered nowhere."""
    with services.uow() as uow:
        school = uow.schools.get(staff.vo_school_id)
        levels = frozenset({Level.HAVO, Level.VWO})
        uow.schools.update(attrs.evolve(school, levels=levels, capacity={Level.HAVO: 1}))
        uow.commit()
    anna = staff.pupil_id
    with services.uow() as uow:
        okidoc = uow.okidocs.for_pupil(anna)
        value = FieldValue("havo/vwo", Provenance(Source.HAND, FixedClock().now(), "test"))
        uow.okidocs.update(attrs.evolve(okidoc, fields={fields.ADVICE_DEFINITIVE: value}))
        uow.commit()
    formula = add_pupil(services, staff.school_id, staff.group_id,
                        name=PersonName("=HYPERLINK(1)", "Zwart"),
                        values={fields.ADVICE_DEFINITIVE: "havo"})  # fmt: skip
    register_at(services, anna, staff.vo_school_id)
    register_at(services, formula, staff.vo_school_id)
    return {"anna": anna, "formula": formula}
