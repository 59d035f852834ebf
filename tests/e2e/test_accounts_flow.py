"""Staff accounts end to end in Chromium: a board contact invites a school administrator (the
invite goes through the outbox and the background mail worker, over real SMTP, to a local capture
server), who sets a password, links an authenticator app, creates a group and links a teacher;
the teacher then sees only that group."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import pyotp
import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from elk_adapters.bootstrap import Services, bootstrap, mail_worker
from elk_adapters.mail.capture import MailCapture, free_port
from elk_adapters.mail.outbox import read_outbox
from elk_adapters.persistence.schema import upgrade_database
from elk_adapters.settings import Settings
from elk_domain.kernel.people import OrgKind, Role, User
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc.model import OkiDoc
from elk_domain.organisation.model import Board, School
from elk_domain.pupils.model import Pupil
from elk_web import create_app

pytestmark = pytest.mark.e2e

PASSWORD = "Een lang wachtwoord 2025"
NEW_PASSWORD = "Mijn eigen wachtwoord 2025"
CONTACT_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@attrs.frozen
class Running:
    url: str
    services: Services
    capture: MailCapture


def _seed(services: Services) -> None:
    hashed = services.hasher.hash(PASSWORD)
    with services.uow() as uow:
        board = uow.boards.add(Board(0, "Stichting Amstelland"))
        school = uow.schools.add(
            School(id=0, board_id=board.id, kind=OrgKind.PO, official_name="De Regenboog",
                   name="De Regenboog", school_type="Basisschool",
                   address=Address.create(street="Schoolstraat", house_number="1",
                                          postcode="1181 AB", city="Amstelveen"),
                   location=SchoolLocation.parse("12AB"))
        )  # fmt: skip
        uow.users.add(
            User(id=0, email="bestuur@elk.test", display_name="Bert Bestuur",
                 role=Role.BOARD_CONTACT, org_kind=OrgKind.PO, board_id=board.id,
                 password_hash=hashed, totp_secret=CONTACT_SECRET)
        )  # fmt: skip
        uow.users.add(
            User(id=0, email="juf.eva@regenboog.test", display_name="Eva de Vries",
                 role=Role.END_USER, org_kind=OrgKind.PO, board_id=board.id,
                 school_id=school.id, password_hash=hashed)
        )  # fmt: skip
        for first in ("Anna", "Bas"):
            pupil = uow.pupils.add(
                Pupil(id=0, elk_number=ElkNumber(uow.pupils.next_elk_number()),
                      school_id=school.id, name=PersonName(first, "Jansen"))
            )  # fmt: skip
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id))
        uow.commit()


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    """ELK with its real SMTP mailer pointed at a local aiosmtpd capture."""
    capture = MailCapture(tmp_path / "captured", port=free_port()).start()
    port = free_port()
    instance = tmp_path / "instance"
    settings = Settings(
        env="test", instance_path=instance,
        database_url=f"sqlite:///{instance / 'elk.sqlite3'}",
        secret_key="e2e-accounts-secret-0123456789", log_format="json",
        smtp_host=capture.host, smtp_port=capture.port, base_url=f"http://127.0.0.1:{port}",
    )  # fmt: skip
    upgrade_database(settings)
    services = bootstrap(settings)
    _seed(services)
    server = make_server("127.0.0.1", port, create_app(settings, services), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="elk-accounts", daemon=True)
    thread.start()
    try:
        with mail_worker(services, interval=0.2):  # as `elk serve` runs it
            yield Running(settings.base_url, services, capture)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        capture.stop()


def log_in(page: Page, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()


def invite_link(capture: MailCapture, to: str, timeout: float = 15) -> str:
    """The link in the first mail to ``to``, waiting for the mail worker to deliver it."""
    deadline = time.monotonic() + timeout
    mails = [m for m in read_outbox(capture.outbox) if to in m.to]
    while not mails and time.monotonic() < deadline:
        time.sleep(0.1)
        mails = [m for m in read_outbox(capture.outbox) if to in m.to]
    assert mails, f"no mail to {to} captured within {timeout} s"
    match = re.search(r"http://\S+/account/wachtwoord-instellen/\S+", mails[0].body)
    assert match
    return match.group(0)


def test_invite_to_group_contact_in_the_browser(page: Page, running: Running) -> None:
    # The board contact logs in with password and 2FA and adds a school administrator.
    log_in(page, running.url, "bestuur@elk.test", PASSWORD)
    page.get_by_label("Code").fill(pyotp.TOTP(CONTACT_SECRET).now())
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Gebruikers").click()
    page.get_by_role("link", name="Gebruiker toevoegen").click()
    page.get_by_label("Naam").fill("Sanne Schoolbeheer")
    page.get_by_label("E-mailadres").fill("sanne@regenboog.test")
    page.get_by_label("po", exact=True).check()
    page.get_by_label("Beheerder").check()
    page.get_by_label("School").select_option(label="De Regenboog (po)")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("de uitnodiging is verstuurd")).to_be_visible()
    log_out(page)

    # The invite arrived over SMTP; the link sets the password (typed twice).
    page.goto(invite_link(running.capture, "sanne@regenboog.test"))
    expect(page.get_by_text("sanne@regenboog.test")).to_be_visible()
    page.get_by_label("Nieuw wachtwoord").fill(NEW_PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_text("Uw wachtwoord is ingesteld.")).to_be_visible()

    # First login: a school administrator must link an authenticator app.
    log_in(page, running.url, "sanne@regenboog.test", NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Tweestapsverificatie instellen")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code uit de app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Koppelen").click()
    expect(page.get_by_role("list", name="Herstelcodes").get_by_role("listitem")).to_have_count(10)
    page.get_by_role("link", name="Verder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Sanne Schoolbeheer")

    # She creates group 8b with Anna and links the teacher.
    page.get_by_role("link", name="Groepen").click()
    page.get_by_label("Naam van de groep").fill("8b")
    page.get_by_role("button", name="Groep toevoegen").click()
    page.get_by_label("Eva de Vries").check()
    page.get_by_label("Jansen, Anna").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De groep is opgeslagen.")).to_be_visible()
    log_out(page)

    # The teacher sees Anna, not Bas.
    log_in(page, running.url, "juf.eva@regenboog.test", PASSWORD)
    page.get_by_role("link", name="Leerlingen").click()
    expect(page.get_by_role("link", name="Jansen, Anna")).to_be_visible()
    expect(page.get_by_text("Jansen, Bas")).to_have_count(0)
