"""An administrator logs in and finds the news and the sent mail; the pages pass axe."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

ADMIN_EMAIL = "beheer@elk.test"
ADMIN_PASSWORD = "Welkom bij ELK 2025!"
ADMIN_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def serious_violations(page: Page) -> list[dict[str, Any]]:
    violations: list[dict[str, Any]] = Axe().run(page).response["violations"]
    return [v for v in violations if v.get("impact") in ("serious", "critical")]


def log_in(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def log_in_as_admin(page: Page, base_url: str) -> None:
    """Password, then the code from the authenticator app (the administrator must use 2FA)."""
    log_in(page, base_url, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.get_by_label("Code").fill(pyotp.TOTP(ADMIN_SECRET).now())
    page.get_by_role("button", name="Inloggen").click()


def test_administrator_logs_in_and_sees_news_and_outbox(
    page: Page, live_server: LiveServer
) -> None:
    log_in_as_admin(page, live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Fien Beheer")
    expect(page.get_by_role("heading", name="De aanmeldweek begint maandag")).to_be_visible()
    expect(page.get_by_text("1 maart 2025")).to_be_visible()

    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Verzonden e-mail").click()
    expect(page).to_have_url(re.compile(r"/beheer/verzonden-e-mail$"))
    expect(page.get_by_role("heading", name="Uw inloggegevens voor ELK")).to_be_visible()
    expect(page.get_by_text("ouder@example.nl")).to_be_visible()

    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()


def test_wrong_password_shows_the_generic_message(page: Page, live_server: LiveServer) -> None:
    log_in(page, live_server.url, ADMIN_EMAIL, "niet goed")
    expect(page.get_by_role("alert")).to_have_text("E-mailadres of wachtwoord onjuist.")


def test_login_page_has_no_serious_accessibility_violations(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/inloggen")
    assert serious_violations(page) == []
    log_in(page, live_server.url, ADMIN_EMAIL, "niet goed")  # the page with an error message
    assert serious_violations(page) == []


def test_home_and_outbox_have_no_serious_accessibility_violations(
    page: Page, live_server: LiveServer
) -> None:
    log_in_as_admin(page, live_server.url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/beheer/verzonden-e-mail")
    assert serious_violations(page) == []


def test_home_works_on_a_phone(page: Page, live_server: LiveServer) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    log_in_as_admin(page, live_server.url)
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, "the page scrolls sideways on a phone"


def test_skip_link_is_the_first_stop_and_focus_is_visible(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/inloggen")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
