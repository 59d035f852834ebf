"""A parent registers the child in Chromium (issue 14, items 3 and 5), following the links *from
the captured mails*: the school sends the ouderinlog; the parent sets a password, logs in with the
ELK number, asks a correction, then registers with a list of 5 (havo advice) using the keyboard
only, sees the risk warning (the first choice is already full), makes the list definitive, gets
the confirmation mail and follows its link, registers again in the week, and the school's
overview shows AV. A second parent sees only their own child. At desktop size and at 360 x 740;
axe finds nothing serious on the registration pages.

With ``ELK_SCREENSHOTS=1`` the phone run saves the screenshots of docs/parents.md."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.e2e.live import fits_the_screen, live_elk, mail_to, serious
from tests.e2e.test_parent_flow import (
    CORRECTION,
    PHONE,
    STAFF_PASSWORD,
    TEACHER,
    Running,
    _seed,
    link_in,
    parent_activates_and_logs_in,
    school_sends_the_login,
)

from elk_adapters.bootstrap import Services
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.organisation.model import Period, School, Timeline
from elk_domain.parents.registration import PreferenceList, Registration
from elk_domain.pupils.model import Pupil

pytestmark = pytest.mark.e2e

SCHOOLS = ("Amstel Lyceum", "Keizer Karel College", "Hermann Wesselink College", "Panta Rhei",
           "Veenlanden College", "Herbert Vissers College")  # fmt: skip
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "images" / "parents"


def _seed_vo(services: Services) -> None:
    """Six VO schools for a havo advice; the first offers priority and has one place, already
    taken by another pupil's definitive first choice (so the risk warning shows)."""
    today = dt.datetime.now(dt.UTC).date()
    with services.uow() as uow:
        po = next(s for s in uow.schools.list() if s.kind is OrgKind.PO)
        ids = []
        for n, name in enumerate(SCHOOLS):
            school = uow.schools.add(
                School(id=0, board_id=po.board_id, kind=OrgKind.VO, official_name=name,
                       name=name, school_type="Scholengemeenschap",
                       address=Address.create(street="Laan", house_number=str(n + 1),
                                              postcode="1181 AB", city="Amstelveen"),
                       location=SchoolLocation.parse(f"{50 + n}VO"),
                       levels=frozenset({Level.VMBO_GT, Level.HAVO, Level.VWO}),
                       offers_priority=n == 0,
                       capacity={Level.HAVO: 1 if n == 0 else 120})
            )  # fmt: skip
            ids.append(school.id)
        other = uow.pupils.add(
            Pupil(id=0, elk_number=ElkNumber(uow.pupils.next_elk_number()), school_id=po.id,
                  name=PersonName("Derde", "Bakker"))
        )  # fmt: skip
        taken = PreferenceList(school_ids=tuple(ids[:5]))
        uow.registrations.add(
            Registration(id=0, pupil_id=other.id, procedure="amstelland", preferences=taken,
                         definitive=taken, updated_at=dt.datetime.now(dt.UTC),
                         definitive_at=dt.datetime.now(dt.UTC))
        )  # fmt: skip
        span = Period(today - dt.timedelta(days=7), today + dt.timedelta(days=7))
        uow.settings.save_timeline(
            Timeline(parent_login=span, registration=span, registration_week=span)
        )
        uow.commit()


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    """ELK over real HTTP with the mail worker, seeded with the parents' school and VO schools."""
    pupils: dict[str, int] = {}

    def seed(services: Services) -> None:
        pupils.update(_seed(services))
        _seed_vo(services)

    with live_elk(tmp_path, "registration", seed) as live:
        yield Running(live.url, live.services, live.capture, pupils)


def press(page: Page, button: str) -> None:
    """Focus a button by its accessible name and press Enter: the keyboard, not the mouse;
    every button here submits a form, so wait for the page it leads to."""
    page.get_by_role("button", name=button, exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def checked(page: Page, shot: str | None) -> None:
    """Fits a phone, no serious axe violation; a screenshot for the docs when asked."""
    assert fits_the_screen(page)
    assert serious(page) == []
    if shot and os.environ.get("ELK_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)


def register_five(page: Page, phone: bool) -> None:
    """The parent fills the list with the keyboard: five schools, one moved, the options."""
    expect(page.get_by_text("Het advies van uw kind is havo. Kies 5 scholen")).to_be_visible()
    checked(page, "1-aanmelden-leeg" if phone else None)
    for name in SCHOOLS[:5]:
        press(page, f"{name} toevoegen aan de lijst")
        expect(page.get_by_role("button", name=f"{name} van de lijst halen")).to_be_visible()
    press(page, f"{SCHOOLS[1]} een plaats omhoog")
    press(page, f"{SCHOOLS[1]} een plaats omlaag")  # back: the first choice offers priority
    page.get_by_label("Ja, een broer of zus zit op deze school").focus()
    page.keyboard.press("Space")
    page.get_by_label("Naam van de broer, zus of medewerker").focus()
    page.keyboard.type("Ada Jansen")
    page.keyboard.press("Tab")
    page.keyboard.type("2b")
    checked(page, "2-voorkeurslijst" if phone else None)
    press(page, "Volgende: controleren")
    expect(
        page.get_by_role("heading", name="Klopt de aanmelding van Proef Jansen?")
    ).to_be_visible()


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone-360x740"])
def test_a_parent_registers_with_the_keyboard_and_registers_again_in_the_week(
    browser: Browser, running: Running, viewport: dict[str, int] | None
) -> None:
    size = viewport or {"width": 1280, "height": 900}
    contexts = [browser.new_context(locale="nl-NL", viewport=size) for _ in range(3)]
    school, parent, other = contexts
    phone = viewport is not None
    try:
        staff = school.new_page()
        school_sends_the_login(staff, running.url, "Proef")
        school_sends_the_login(staff, running.url, "Tweede")
        body = mail_to(running.capture, "ouder.proef@example.nl")
        number = re.search(r"ELK-nummer van uw kind: (\d+)", body)
        assert number, body
        page = parent.new_page()
        parent_activates_and_logs_in(page, link_in(body), number.group(1), check=False)
        page.get_by_role("link", name="De gegevens van uw kind bekijken").click()
        page.get_by_label("Wat klopt er niet?").fill(CORRECTION)
        press(page, "Bericht naar de school sturen")
        expect(page.get_by_text("Uw bericht is naar de school gestuurd.")).to_be_visible()

        page.get_by_role("link", name="Start").click()
        page.get_by_role(
            "link", name="Uw kind aanmelden bij een school voor voortgezet onderwijs"
        ).click()
        register_five(page, phone)
        warning = page.get_by_role("note")
        expect(warning).to_contain_text("Amstel Lyceum is al door 1 ander kind als eerste keuze")
        expect(page.get_by_text("Broer of zus: Ada Jansen, klas 2b")).to_be_visible()
        checked(page, "3-controleren" if phone else None)
        press(page, "Definitief maken")
        expect(page.get_by_text("Uw aanmelding is definitief.").first).to_be_visible()
        expect(page.get_by_text("Uw kind is aangemeld bij Amstel Lyceum")).to_be_visible()
        checked(page, "4-aanmelding" if phone else None)

        # The confirmation mail's link, followed in the browser.
        confirmation = mail_to(running.capture, "ouder.proef@example.nl")
        assert "U heeft Proef aangemeld bij het Voortgezet Onderwijs" in confirmation
        link = re.search(r"http://\S+/ouders/inloggen", confirmation)
        assert link, confirmation
        page.goto(link.group(0))
        expect(page.get_by_role("heading", name="Welkom in het ouderportaal")).to_be_visible()

        # Registering again in the registration week: the first list stays until the new one.
        page.get_by_role("link", name="Uw aanmelding bekijken").click()
        page.get_by_role("link", name="Opnieuw aanmelden").click()
        press(page, f"{SCHOOLS[0]} een plaats omlaag")
        page.goto(f"{running.url}/ouders/aanmelding")
        expect(page.get_by_text("U werkt aan een nieuwe lijst")).to_be_visible()
        expect(page.get_by_text("Uw kind is aangemeld bij Amstel Lyceum")).to_be_visible()
        page.get_by_role("link", name="Verder met de nieuwe lijst").click()
        press(page, "Volgende: controleren")
        press(page, "Definitief maken")
        expect(page.get_by_text("Uw kind is aangemeld bij Keizer Karel College")).to_be_visible()
        expect(page.get_by_role("heading", name="Eerdere aanmeldingen")).to_be_visible()
        checked(page, "5-opnieuw-aangemeld" if phone else None)
        pdf = page.request.get(f"{running.url}/ouders/aanmelding.pdf")
        assert pdf.status == 200
        assert pdf.body().startswith(b"%PDF")

        # A second parent sees only their own child.
        second = mail_to(running.capture, "ouder.tweede@example.nl")
        other_number = re.search(r"ELK-nummer van uw kind: (\d+)", second)
        assert other_number, second
        page2 = other.new_page()
        parent_activates_and_logs_in(page2, link_in(second), other_number.group(1), check=False)
        page2.goto(f"{running.url}/ouders/aanmelding")
        expect(page2.get_by_role("heading", name="De aanmelding van Tweede Jansen")).to_be_visible()
        expect(page2.get_by_text("Proef")).to_have_count(0)
        page2.goto(f"{running.url}/ouders/aanmelden/controleren")
        expect(page2.get_by_text("Amstel Lyceum")).to_have_count(0)

        # The school's overview shows AV.
        staff.goto(f"{running.url}/inloggen")
        staff.get_by_label("E-mailadres").fill(TEACHER)
        staff.get_by_label("Wachtwoord").fill(STAFF_PASSWORD)
        staff.get_by_role("button", name="Inloggen").click()
        staff.goto(f"{running.url}/leerlingen/")
        row = staff.locator("tr", has_text="Jansen, Proef")
        expect(row.locator(".dot--green")).to_have_text(re.compile("AV"))
    finally:
        for context in contexts:
            context.close()
