"""What the registration tests share: VO schools that fit a havo advice, an open registration
period (with its week) around the test clock, and a parent logged in from the mailed link."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from tests.web.parents_world import Portal
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import Address, SchoolLocation
from elk_domain.organisation.model import Period, School, Timeline
from elk_domain.testing import FixedClock

NAMES = ("Amstel Lyceum", "Keizer Karel College", "Hermann Wesselink College", "Panta Rhei",
         "Veenlanden College", "Herbert Vissers College", "Praktijkschool De Linie")  # fmt: skip
ACTION = re.compile(r'name="actie" value="([a-z]+:\d+)"')


def vo_schools(services: Services, board_id: int) -> dict[str, int]:
    """Six VO schools with havo (the last two in other towns; the first offers priority) and a
    praktijkschool that fits no havo advice; their ids by name."""
    ids: dict[str, int] = {}
    with services.uow() as uow:
        for n, name in enumerate(NAMES):
            city = ("Amstelveen", "Amstelveen", "Amstelveen", "Amstelveen", "Uithoorn",
                    "Mijdrecht", "Amstelveen")[n]  # fmt: skip
            levels = {Level.PRO} if "Praktijk" in name else {Level.VMBO_GT, Level.HAVO, Level.VWO}
            school = uow.schools.add(
                School(
                    id=0, board_id=board_id, kind=OrgKind.VO, official_name=name, name=name,
                    school_type="Scholengemeenschap",
                    address=Address.create(street="Laan", house_number=str(n + 1),
                                           postcode="1181 AB", city=city),
                    location=SchoolLocation.parse(f"{50 + n}VO"),
                    levels=frozenset(levels), offers_priority=n == 0,
                    capacity={Level.HAVO: 120} if n else {Level.HAVO: 1},
                )
            )  # fmt: skip
            ids[name] = school.id
        uow.commit()
    return ids


def open_registration(services: Services, clock: FixedClock, *, week: bool = False) -> None:
    """The parent login and the registration period are open today; ``week``: and it is the
    registration week (re-registering allowed)."""
    today = clock.now().date()
    span = Period(today - dt.timedelta(days=1), today + dt.timedelta(days=30))
    week_span = (
        span if week else Period(today + dt.timedelta(days=40), today + dt.timedelta(days=44))
    )
    with services.uow() as uow:
        uow.settings.save_timeline(
            Timeline(parent_login=span, registration=span, registration_week=week_span)
        )
        uow.commit()


def logged_in_parent(portal: Portal, pupil_id: int) -> FlaskClient:
    """The school sends the login; the parent sets a password from the mail and logs in."""
    assert portal.set_password(portal.send_login(pupil_id)).status_code == 302
    parent, response = portal.log_in(portal.elk_number(pupil_id))
    assert response.status_code == 302
    return parent


def press(parent: FlaskClient, csrf: Any, action: str, **form: str) -> TestResponse:
    """Press a button of the registration form (``toevoegen:ID``, ``omhoog:ID``, ``volgende``)."""
    token = csrf(parent.get("/ouders/aanmelden"))
    return parent.post("/ouders/aanmelden", data={"csrf_token": token, "actie": action, **form})


@pytest.fixture
def schools(services: Services, seeded: Any, clock: FixedClock) -> dict[str, int]:
    """The registration period open today and the VO schools of ``vo_schools``, by name."""
    open_registration(services, clock)
    with services.uow() as uow:
        board_id = uow.schools.get(seeded.school_id).board_id
    return vo_schools(services, board_id)
