"""Registering in English (issue 14, items 3 and 6; decision 0048): the registration rules of the
domain, with their numbers and school names, and the period with its dates, as a parent who
chose English reads them. The Dutch texts of the same pages are tested in
tests/web/test_parent_registration.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from babel.dates import get_month_names
from flask.testing import FlaskClient
from tests.web.parents_world import Csrf, Portal, eligible, portal, proef
from tests.web.registration_world import (
    NAMES,
    logged_in_parent,
    open_registration,
    press,
    schools,
)

from elk_adapters.bootstrap import Services
from elk_domain.organisation.model import Period, Timeline
from elk_domain.testing import FixedClock
from elk_web.language import COOKIE

__all__ = ["portal", "proef", "schools"]  # fixtures, used by name
pytestmark = pytest.mark.usefixtures("seeded")


def english_parent(portal: Portal, pupil: int, csrf: Csrf) -> FlaskClient:
    parent = logged_in_parent(portal, pupil)
    token = csrf(parent.get("/ouders/"))
    parent.post("/ouders/taal", data={"taal": "en", "next": "/ouders/", "csrf_token": token})
    assert parent.get_cookie(COOKIE) is not None
    return parent


def test_the_list_rules_are_said_in_english_with_the_numbers(
    portal: Portal, proef: int, schools: dict[str, int], csrf_token: Csrf
) -> None:
    parent = english_parent(portal, proef, csrf_token)
    page = parent.get("/ouders/aanmelden").get_data(as_text=True)
    assert "Register Proef Jansen" in page
    assert "The advice for your child is havo. Choose 5 schools." in page
    for name in NAMES[:6]:
        press(parent, csrf_token, f"toevoegen:{schools[name]}")
    refused = press(parent, csrf_token, "opslaan", opties="1", voorrang="broer_zus",
                    voorrang_naam="Ada", voorrang_klas="")  # fmt: skip
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "The registration has not been saved." in text
    assert "Fill in the class of the brother or sister." in text
    assert "niet opgeslagen" not in text


def test_a_school_of_another_procedure_is_named_by_its_choice(
    portal: Portal, proef: int, schools: dict[str, int], csrf_token: Csrf, seeded: Any
) -> None:
    parent = english_parent(portal, proef, csrf_token)
    response = press(parent, csrf_token, f"toevoegen:{seeded.school_id}")  # a PO school
    assert response.status_code == 422
    assert "Choice 1 is not a school in this procedure." in response.get_data(as_text=True)


def test_a_closed_period_says_since_when_with_an_english_month(
    portal: Portal, proef: int, schools: dict[str, int], csrf_token: Csrf,
    services: Services, clock: FixedClock,
) -> None:  # fmt: skip
    parent = english_parent(portal, proef, csrf_token)
    today = clock.now().date()
    ended = Period(today - dt.timedelta(days=20), today - dt.timedelta(days=2))
    with services.uow() as uow:
        uow.settings.save_timeline(Timeline(registration=ended, registration_week=ended))
        uow.commit()
    page = parent.get("/ouders/aanmelden").get_data(as_text=True)
    month = get_month_names("wide", locale="en")[ended.end.month]
    assert f"The registration period closed on {ended.end.day} {month} {ended.end.year}." in page
    response = press(parent, csrf_token, f"toevoegen:{schools[NAMES[0]]}")
    assert response.status_code == 422
    assert "The registration period is closed." in response.get_data(as_text=True)


def test_the_risk_warning_counts_in_english(
    portal: Portal, proef: int, schools: dict[str, int], csrf_token: Csrf,
    services: Services, seeded: Any, clock: FixedClock,
) -> None:  # fmt: skip
    """One other child and one place: the singular of both plurals, in English."""
    other = eligible(services, seeded, clock, "Bram", "ouder.bram@example.nl")
    open_registration(services, clock)
    first = logged_in_parent(portal, other)
    for name in NAMES[:5]:
        press(first, csrf_token, f"toevoegen:{schools[name]}")
    token = csrf_token(first.get("/ouders/aanmelden/controleren"))
    first.post("/ouders/aanmelden/definitief", data={"csrf_token": token})
    parent = english_parent(portal, proef, csrf_token)
    for name in NAMES[:5]:
        press(parent, csrf_token, f"toevoegen:{schools[name]}")
    check = parent.get("/ouders/aanmelden/controleren").get_data(as_text=True)
    assert "1 other child has already chosen Amstel Lyceum as first choice." in check
    assert "The school has 1 place. There will probably be a lottery." in check
    assert "You may still make the registration final." in check
