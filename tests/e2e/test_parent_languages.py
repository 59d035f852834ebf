"""The parents' portal in both languages, in Chromium at 360 x 740 (issue 14, item 6, and its
Done-when: "Axe reports no serious or critical violations on every parent page, in both
languages"). The parent reaches the portal by the link in the captured mail, switches the
language with the keyboard only (the switch is a form: no JavaScript needed), and every page
(with its refusals and its answers) is checked by axe, in Dutch and in English."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.e2e.test_parent_flow import (
    PHONE,
    Running,
    fits_the_screen,
    link_in,
    mail_to,
    running,
    school_sends_the_login,
    serious,
)
from tests.web.registration_world import vo_schools

from elk_domain.organisation.model import Period, Timeline

__all__ = ["running"]  # a fixture, used by name
pytestmark = pytest.mark.e2e
PASSWORD = "fietsen naar de bieb"

# What the pages say in each language: the headings, labels and answers the walk looks for.
SAYS = {
    "nl": {"choose": "Wachtwoord kiezen", "login": "Inloggen als ouder", "data": "Gegevens van",
           "forgot": "Wachtwoord vergeten", "mismatch": "De twee wachtwoorden zijn niet gelijk.",
           "wrong": "ELK-nummer of wachtwoord onjuist.",
           "repeat": "Typ het wachtwoord nog een keer",
           "new": "Nieuw wachtwoord", "number": "ELK-nummer van uw kind", "password": "Wachtwoord",
           "send": "Bericht naar de school sturen", "too_long": "Schrijf in hoogstens",
           "logout": "Uitloggen", "link": "Link versturen", "sent": "Als dit ELK-nummer bekend is",
           "register": "Proef Jansen aanmelden", "empty": "Er staat nog geen school op de lijst",
           "check": "Klopt de aanmelding van", "final": "Uw aanmelding is definitief.",
           "unplaced": "De uitslag van de plaatsing is nog niet bekend."},
    "en": {"choose": "Choose a password", "login": "Log in as a parent", "data": "Details of",
           "forgot": "Forgot your password",
           "mismatch": "The two passwords are not the same.",
           "wrong": "Wrong ELK number or password.", "repeat": "Type the password again",
           "new": "New password", "number": "ELK number of your child", "password": "Password",
           "send": "Send message to the school", "too_long": "Write what is wrong in at most",
           "logout": "Log out", "link": "Send link", "sent": "If we know this ELK number",
           "register": "Register Tweede Jansen", "empty": "There is no school on the list yet",
           "check": "Is the registration of", "final": "Your registration is final.",
           "unplaced": "The result of the placement is not known yet."},
}  # fmt: skip


class Checked:
    """Axe and the width of every page seen, per language, reported together at the end."""

    def __init__(self) -> None:
        self.problems: dict[str, Any] = {}
        self.pages: list[str] = []

    def __call__(self, page: Page, language: str, name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", language)
        self.pages.append(f"{language}/{name}")
        found = serious(page)
        if found:
            self.problems[f"{language}/{name}"] = found
        if not fits_the_screen(page):
            self.problems[f"{language}/{name}/width"] = "wider than 360 px"


def switch_by_keyboard(page: Page, to: str) -> None:
    """Tab from the top of the page to the switch and press Enter: no mouse, no script."""
    button = page.get_by_role("button", name=to)
    page.locator("body").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    else:
        pytest.fail(f"the language switch ({to}) is not reachable with Tab")
    page.keyboard.press("Enter")


def walk(page: Page, running: Running, link: str, number: str, lang: str, check: Checked) -> None:
    """Every parents' page, with its refusal and its answer, in language ``lang``."""
    say = SAYS[lang]
    page.goto(link)
    if lang == "en":
        switch_by_keyboard(page, "English")
    expect(page.get_by_role("heading", name=say["choose"])).to_be_visible()
    check(page, lang, "set-password")
    page.get_by_label(say["new"]).fill(PASSWORD)
    page.get_by_label(say["repeat"]).fill("iets anders")
    page.get_by_label(say["repeat"]).press("Enter")
    expect(page.get_by_text(say["mismatch"])).to_be_visible()
    check(page, lang, "set-password-refused")
    page.get_by_label(say["new"]).fill(PASSWORD)
    page.get_by_label(say["repeat"]).fill(PASSWORD)
    page.get_by_label(say["repeat"]).press("Enter")
    expect(page.get_by_role("heading", name=say["login"])).to_be_visible()
    check(page, lang, "login")
    page.get_by_label(say["password"], exact=True).fill("verkeerd")
    page.get_by_label(say["password"], exact=True).press("Enter")
    expect(page.get_by_text(say["wrong"])).to_be_visible()
    check(page, lang, "login-refused")
    page.get_by_label(say["password"], exact=True).fill(PASSWORD)
    page.get_by_label(say["password"], exact=True).press("Enter")
    expect(page.get_by_role("button", name=say["logout"])).to_be_visible()
    check(page, lang, "home")
    register(page, running, lang, check)
    page.goto(f"{running.url}/ouders/plaatsing")
    expect(page.get_by_text(say["unplaced"])).to_be_visible()
    check(page, lang, "placement")
    page.goto(f"{running.url}/ouders/gegevens")
    expect(page.get_by_role("heading", name=re.compile(say["data"]))).to_be_visible()
    check(page, lang, "data")
    page.get_by_role("button", name=say["send"]).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(say["too_long"])).to_be_visible()
    check(page, lang, "data-refused")
    page.get_by_role("button", name=say["logout"]).click()
    page.goto(f"{running.url}/ouders/wachtwoord-vergeten")
    expect(page.get_by_role("heading", name=say["forgot"])).to_be_visible()
    check(page, lang, "forgot")
    page.get_by_label(say["number"]).fill(number)
    page.get_by_role("button", name=say["link"]).click()
    expect(page.get_by_text(say["sent"])).to_be_visible()
    check(page, lang, "forgot-sent")


def register(page: Page, running: Running, lang: str, check: Checked) -> None:
    """The registration pages: the empty editor, a list of five, the check, the registration."""
    say = SAYS[lang]
    page.goto(f"{running.url}/ouders/aanmelden")
    expect(page.get_by_role("heading", name=say["register"])).to_be_visible()
    expect(page.get_by_text(say["empty"])).to_be_visible()
    check(page, lang, "register")
    for _ in range(5):  # a havo advice: five schools
        page.locator('button[name="actie"][value^="toevoegen:"]').first.click()
    check(page, lang, "register-list")
    page.locator('button[name="actie"][value="volgende"]').click()
    expect(page.get_by_role("heading", name=re.compile(say["check"]))).to_be_visible()
    check(page, lang, "check")
    page.locator("form[action$='/aanmelden/definitief'] button").click()
    expect(page.get_by_text(say["final"]).first).to_be_visible()
    check(page, lang, "registration")


def open_registration(running: Running) -> None:
    """VO schools that fit a havo advice, and the registration period open today."""
    today = dt.datetime.now(dt.UTC).date()
    span = Period(today - dt.timedelta(days=7), today + dt.timedelta(days=7))
    with running.services.uow() as uow:
        board_id = uow.schools.list()[0].board_id
        uow.settings.save_timeline(Timeline(parent_login=span, registration=span))
        uow.commit()
    vo_schools(running.services, board_id)


def test_every_parent_page_in_dutch_and_english_passes_axe_on_a_phone(
    browser: Browser, running: Running
) -> None:
    school = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    check = Checked()
    open_registration(running)
    try:
        staff = school.new_page()
        for lang, first in (("nl", "Proef"), ("en", "Tweede")):
            school_sends_the_login(staff, running.url, first)
            body = mail_to(running.capture, f"ouder.{first.lower()}@example.nl")
            found = re.search(r"ELK-nummer van uw kind: (\d+)", body)
            assert found, body
            parent = browser.new_context(locale="en-GB", viewport=PHONE)
            try:
                walk(parent.new_page(), running, link_in(body), found.group(1), lang, check)
            finally:
                parent.close()
    finally:
        school.close()
    names = ["set-password", "set-password-refused", "login", "login-refused", "home", "register",
             "register-list", "check", "registration", "placement", "data", "data-refused",
             "forgot", "forgot-sent"]  # fmt: skip
    assert check.pages == [f"{lang}/{name}" for lang in ("nl", "en") for name in names]
    assert check.problems == {}


def test_the_choice_is_remembered_after_logging_out(browser: Browser, running: Running) -> None:
    """Back from the mail's link the next day: the portal opens in the language chosen before.
    With JavaScript switched off: the switch is a plain form."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{running.url}/ouders/inloggen")
        switch_by_keyboard(page, "English")
        expect(page.get_by_role("heading", name="Log in as a parent")).to_be_visible()
        page.goto(f"{running.url}/ouders/wachtwoord-vergeten")
        expect(page.get_by_role("heading", name="Forgot your password")).to_be_visible()
        switch_by_keyboard(page, "Nederlands")
        expect(page.get_by_role("heading", name="Wachtwoord vergeten")).to_be_visible()
        expect(page).to_have_url(f"{running.url}/ouders/wachtwoord-vergeten")
    finally:
        context.close()
