"""The published placement in Chromium (issue 16): after the operator's run and publication, the
parent follows the link *from the captured mail* (outbox, mail worker, real SMTP, local
capture), logs in and sees where the child is placed and why not at the school ranked higher,
at 360 px wide with nothing serious for axe; the VO school's user sees the placed list."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pyotp
import pytest
from playwright.sync_api import Page, expect
from tests.e2e.test_parent_flow import PHONE, fits_the_screen, mail_to, running, serious

from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import Actor, OrgKind, Role, User
from elk_domain.kernel.values import Address, SchoolLocation
from elk_domain.organisation.model import School
from elk_domain.parents.account import ParentAccount
from elk_domain.parents.registration import PreferenceList, Registration
from elk_domain.placement import operations

if TYPE_CHECKING:
    from tests.e2e.test_parent_flow import Running

__all__ = ["running"]  # fixture, used by name
pytestmark = pytest.mark.e2e

PARENT_PASSWORD = "fietsen naar de bieb"
VO_PASSWORD = "Een lang wachtwoord 2025"
VO_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
OPERATOR = Actor.system("e2e")


def _vo(board_id: int, name: str, brin: str, places: int) -> School:
    return School(
        id=0, board_id=board_id, kind=OrgKind.VO, official_name=name, name=name,
        school_type="School", location=SchoolLocation.parse(brin),
        address=Address.create(street="Laan", house_number="1", postcode="1181 AB",
                               city="Amstelveen"),
        levels=frozenset({Level.HAVO}), capacity={Level.HAVO: places},
    )  # fmt: skip


def _register_both(running: Running) -> dict[str, str]:
    """Het Lyceum (one havo place) first, Keizer College second, for both children; each
    parent has a password; a VO user of Het Lyceum. The ELK numbers by first name."""
    services, now = running.services, running.services.clock.now()
    numbers = {}
    with services.uow() as uow:
        board_id = uow.schools.get(uow.pupils.get(running.pupils["Proef"]).school_id).board_id
        lyceum = uow.schools.add(_vo(board_id, "Het Lyceum", "34CD", 1))
        keizer = uow.schools.add(_vo(board_id, "Keizer College", "35CD", 5))
        listed = PreferenceList(school_ids=(lyceum.id, keizer.id))
        for first, pupil_id in running.pupils.items():
            uow.registrations.add(
                Registration(id=0, pupil_id=pupil_id, procedure="amstelland",
                             preferences=listed, definitive=listed, updated_at=now,
                             definitive_at=now)
            )  # fmt: skip
            uow.parent_accounts.add(
                ParentAccount(id=0, pupil_id=pupil_id, email=f"ouder.{first.lower()}@example.nl",
                              password_hash=services.hasher.hash(PARENT_PASSWORD))
            )  # fmt: skip
            numbers[first] = str(uow.pupils.get(pupil_id).elk_number)
        uow.users.add(
            User(id=0, email="mentor@lyceum.test", display_name="Mirjam Mentor",
                 role=Role.VO_USER, org_kind=OrgKind.VO, board_id=board_id,
                 school_id=lyceum.id, password_hash=services.hasher.hash(VO_PASSWORD),
                 totp_secret=VO_SECRET)
        )  # fmt: skip
        uow.commit()
    return numbers


def _run_and_publish(running: Running) -> None:
    """What the operator does with ``elk placement commit``, ``run`` and ``publish``."""
    s = running.services
    commit = operations.CommitSeed(procedure="amstelland")
    committed = operations.commit_seed(s.uow(), s.clock, s.random, OPERATOR, commit)
    command = operations.RunPlacement(procedure="amstelland", seed=committed.seed)
    operations.run_placement(s.uow(), s.clock, OPERATOR, command)
    publish = operations.PublishRun(
        procedure="amstelland", portal_url=running.url + "/ouders/plaatsing"
    )
    operations.publish_run(s.uow(), s.clock, OPERATOR, publish)


def test_the_parent_follows_the_mail_and_the_vo_school_sees_its_list(
    page: Page, running: Running
) -> None:
    numbers = _register_both(running)
    _run_and_publish(running)
    texts = {}
    for first, number in numbers.items():
        body = mail_to(running.capture, f"ouder.{first.lower()}@example.nl")
        match = re.search(r"http://\S+/ouders/plaatsing", body)
        assert match, body
        page.set_viewport_size(PHONE)
        page.goto(match.group(0))  # not logged in: the login page, then back here
        page.get_by_label("ELK-nummer van uw kind").fill(number)
        page.get_by_label("Wachtwoord", exact=True).fill(PARENT_PASSWORD)
        page.get_by_label("Wachtwoord", exact=True).press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Plaatsing")
        texts[first] = page.locator("main").inner_text()
        assert fits_the_screen(page)
        assert serious(page) == []
        page.get_by_role("button", name="Uitloggen").click()
    at_lyceum = [first for first, text in texts.items() if "geplaatst op Het Lyceum" in text]
    assert len(at_lyceum) == 1
    [other] = set(texts) - set(at_lyceum)
    assert f"{other} is geplaatst op Keizer College (havo)." in texts[other]
    assert "de laatste plaats ging naar lotnummer" in texts[other]
    assert "plaats 1 van de reservelijst" in texts[other]

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{running.url}/inloggen")
    page.get_by_label("E-mailadres").fill("mentor@lyceum.test")
    page.get_by_label("Wachtwoord").fill(VO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code").fill(pyotp.TOTP(VO_SECRET).now())
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Plaatsing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plaatsing Het Lyceum")
    placed = page.get_by_role("table", name="Geplaatste leerlingen")
    expect(placed.get_by_text(f"Jansen, {at_lyceum[0]}")).to_be_visible()
    reserve = page.get_by_role("table", name="Reservelijsten")
    expect(reserve.get_by_text(f"Jansen, {other}")).to_be_visible()
    assert serious(page) == []
