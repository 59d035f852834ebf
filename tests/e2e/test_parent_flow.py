"""Parents end to end in Chromium (issue 14, items 1 and 2), following the links *from the
captured mails*: the school sends the ouderinlog from the row menu (through the outbox and the
mail worker, over real SMTP, to a local capture); the parent sets a password with the link, logs
in with the ELK number, sees the home page and the child's data and asks the school for a
correction, which the school finds on its home page; a second parent sees only their own child
and never the staff pages; the school's overview shows the green dot. At desktop size and at
360 x 740 (no sideways scrolling), and axe finds nothing serious on the parents' pages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from playwright.sync_api import Browser, Page, expect
from tests.e2e.live import fits_the_screen, live_elk, mail_to, serious

from elk_adapters.bootstrap import Services
from elk_adapters.mail.capture import MailCapture
from elk_domain.kernel.people import OrgKind, Role, User
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import FieldValue, OkiDoc, OkiStatus, Provenance, Source
from elk_domain.organisation.model import Board, Group, Period, School, Timeline
from elk_domain.pupils.model import Pupil

pytestmark = pytest.mark.e2e

TEACHER = "juf.eva@regenboog.test"
STAFF_PASSWORD = "Een lang wachtwoord 2025"
PARENT_PASSWORD = "fietsen naar de bieb"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
CORRECTION = "Wij wonen sinds maart op de Laan 3 in Amstelveen."


@attrs.frozen
class Running:
    url: str
    services: Services
    capture: MailCapture
    pupils: dict[str, int]  # first name -> pupil id


def _seed(services: Services) -> dict[str, int]:
    """A school, a teacher (contact of group 8), two pupils whose parent login may be sent."""
    today = dt.datetime.now(dt.UTC).date()
    by_hand = Provenance(Source.HAND, dt.datetime.now(dt.UTC), "juf Eva")
    ids = {}
    with services.uow() as uow:
        board = uow.boards.add(Board(0, "Stichting Amstelland"))
        school = uow.schools.add(
            School(id=0, board_id=board.id, kind=OrgKind.PO, official_name="De Regenboog",
                   name="De Regenboog", school_type="Basisschool",
                   address=Address.create(street="Schoolstraat", house_number="1",
                                          postcode="1181 AB", city="Amstelveen"),
                   location=SchoolLocation.parse("12AB"))
        )  # fmt: skip
        group = uow.groups.add(Group(0, school.id, "8"))
        uow.users.add(
            User(id=0, email=TEACHER, display_name="Eva de Vries", role=Role.END_USER,
                 org_kind=OrgKind.PO, board_id=board.id, school_id=school.id,
                 password_hash=services.hasher.hash(STAFF_PASSWORD))
        )  # fmt: skip
        for first in ("Proef", "Tweede"):
            pupil = uow.pupils.add(
                Pupil(id=0, elk_number=ElkNumber(uow.pupils.next_elk_number()),
                      school_id=school.id, name=PersonName(first, "Jansen"), group_id=group.id)
            )  # fmt: skip
            values = {
                f.PARENT_EMAIL: f"ouder.{first.lower()}@example.nl",
                f.FINAL_TEST_OUTCOME: "havo",
                f.ADVICE_DEFINITIVE: "havo",
            }
            fields = {path: FieldValue(value, by_hand) for path, value in values.items()}
            uow.okidocs.add(
                OkiDoc(id=0, pupil_id=pupil.id, status=OkiStatus.DEFINITIEF, fields=fields)
            )
            ids[first] = pupil.id
        period = Period(today - dt.timedelta(days=7), today + dt.timedelta(days=7))
        uow.settings.save_timeline(Timeline(parent_login=period))
        uow.commit()
    return ids


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    """ELK over real HTTP with its real SMTP mailer and the mail worker (tests/e2e/live.py)."""
    pupils: dict[str, int] = {}

    def seed(services: Services) -> None:
        pupils.update(_seed(services))

    with live_elk(tmp_path, "parents", seed) as live:
        yield Running(live.url, live.services, live.capture, pupils)


def link_in(body: str) -> str:
    """The set-password link of a parent login mail."""
    match = re.search(r"http://\S+/ouders/wachtwoord-instellen/\S+", body)
    assert match, body
    return match.group(0)


def school_sends_the_login(page: Page, url: str, first: str) -> None:
    """The teacher uses the row menu of the pupils overview, as the manual describes."""
    page.goto(f"{url}/inloggen")
    page.get_by_label("E-mailadres").fill(TEACHER)
    page.get_by_label("Wachtwoord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Leerlingen").first.click()
    page.locator("summary", has_text=f"Acties voor {first} Jansen").click()
    page.get_by_role("link", name="Ouderinlog versturen").locator("visible=true").click()
    page.get_by_role("button", name="Ouderinlog versturen").click()
    expect(page.get_by_text("De ouderinlog is verstuurd")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()


def parent_activates_and_logs_in(page: Page, link: str, number: str, check: bool) -> None:
    """The parent follows the mailed link, picks a password, logs in with the ELK number."""
    page.goto(link)
    expect(page.get_by_role("heading", name="Wachtwoord kiezen")).to_be_visible()
    expect(page.get_by_text(number, exact=True)).to_be_visible()
    if check:
        assert fits_the_screen(page)
        assert serious(page) == []
    page.get_by_label("Nieuw wachtwoord").fill("kort")
    expect(page.locator("#wachtwoord-sterkte")).to_contain_text("Te kort")
    page.get_by_label("Nieuw wachtwoord").fill(PARENT_PASSWORD)
    expect(page.locator("#wachtwoord-sterkte")).to_contain_text("Sterkte")
    page.get_by_label("Typ het wachtwoord nog een keer").fill(PARENT_PASSWORD)
    page.get_by_label("Typ het wachtwoord nog een keer").press("Enter")  # by keyboard
    expect(page.get_by_text("Uw wachtwoord is ingesteld.")).to_be_visible()
    expect(page.get_by_label("ELK-nummer van uw kind")).to_have_value(number)
    if check:
        assert fits_the_screen(page)
        assert serious(page) == []
    page.get_by_label("Wachtwoord", exact=True).fill(PARENT_PASSWORD)
    page.get_by_label("Wachtwoord", exact=True).press("Enter")
    expect(page.get_by_role("heading", name="Welkom in het ouderportaal")).to_be_visible()


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone-360x740"])
def test_the_school_sends_the_login_and_the_parent_gets_in(
    browser: Browser, running: Running, viewport: dict[str, int] | None
) -> None:
    school = browser.new_context(
        locale="nl-NL", viewport=viewport or {"width": 1280, "height": 900}
    )
    parent = browser.new_context(
        locale="nl-NL", viewport=viewport or {"width": 1280, "height": 900}
    )
    other = browser.new_context(locale="nl-NL", viewport=viewport or {"width": 1280, "height": 900})
    try:
        staff_page = school.new_page()
        school_sends_the_login(staff_page, running.url, "Proef")
        school_sends_the_login(staff_page, running.url, "Tweede")

        body = mail_to(running.capture, "ouder.proef@example.nl")
        number = re.search(r"ELK-nummer van uw kind: (\d+)", body)
        assert number, body
        page = parent.new_page()
        parent_activates_and_logs_in(page, link_in(body), number.group(1), check=True)
        expect(page.get_by_text("Proef Jansen")).to_be_visible()
        assert fits_the_screen(page)
        assert serious(page) == []

        # R-OUD-3: the parent checks the data and tells the school what is wrong.
        page.get_by_role("link", name="De gegevens van uw kind bekijken").click()
        expect(page.get_by_role("heading", name="Gegevens van Proef Jansen")).to_be_visible()
        expect(page.get_by_text("ouder.proef@example.nl")).to_be_visible()
        assert fits_the_screen(page)
        assert serious(page) == []
        page.get_by_label("Wat klopt er niet?").fill(CORRECTION)
        page.get_by_role("button", name="Bericht naar de school sturen").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Uw bericht is naar de school gestuurd.")).to_be_visible()

        # The second parent sees only their own child, and never the staff pages.
        second = mail_to(running.capture, "ouder.tweede@example.nl")
        other_number = re.search(r"ELK-nummer van uw kind: (\d+)", second)
        assert other_number, second
        page2 = other.new_page()
        parent_activates_and_logs_in(page2, link_in(second), other_number.group(1), check=False)
        expect(page2.get_by_text("Tweede Jansen")).to_be_visible()
        expect(page2.get_by_text("Proef")).to_have_count(0)
        answer = page2.goto(f"{running.url}/leerlingen/{running.pupils['Proef']}/oki-doc")
        assert answer is not None
        assert answer.status == 403
        expect(page2.get_by_text("Ouders gebruiken het ouderportaal")).to_be_visible()

        # The school's overview shows both logins activated (the green dot).
        staff_page.goto(f"{running.url}/inloggen")
        staff_page.get_by_label("E-mailadres").fill(TEACHER)
        staff_page.get_by_label("Wachtwoord").fill(STAFF_PASSWORD)
        staff_page.get_by_role("button", name="Inloggen").click()
        staff_page.goto(f"{running.url}/leerlingen/")
        expect(staff_page.get_by_role("button", name="Uitloggen")).to_be_visible()
        staff_page.goto(f"{running.url}/")
        expect(staff_page.get_by_role("heading", name="Welkom, Eva de Vries")).to_be_visible()
        expect(staff_page.get_by_text(CORRECTION)).to_be_visible()  # the school's home page
        staff_page.goto(f"{running.url}/leerlingen/")
        row = staff_page.locator("tr", has_text="Jansen, Proef")
        expect(row.locator(".dot--green")).to_have_count(1)
        expect(row).to_contain_text("Geactiveerd")
    finally:
        for context in (school, parent, other):
            context.close()
