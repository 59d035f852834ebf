"""The VO school in Chromium (issue 15): a VO user logs in with 2FA, sees only the pupils
registered at their school (a page axe finds no serious problem in), opens one's Oki-doc, and
the primary school sees that view in the Oki-doc's history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import OrgKind, Role, User
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import fields
from elk_domain.okidoc.model import FieldValue, OkiDoc, Provenance, Source
from elk_domain.organisation.model import Board, School
from elk_domain.parents.registration import PreferenceList, Registration
from elk_domain.pupils.model import Pupil

if TYPE_CHECKING:
    from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

PASSWORD = "Een lang wachtwoord 2025"
VO_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"


def _school(board_id: int, kind: OrgKind, name: str, brin: str, **extra: object) -> School:
    return School(
        id=0, board_id=board_id, kind=kind, official_name=name, name=name, school_type="School",
        address=Address.create(street="Laan", house_number="1", postcode="1181 AB",
                               city="Amstelveen"),
        location=SchoolLocation.parse(brin), **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def _seed(server: LiveServer) -> None:
    """De Regenboog with Anna (registered at Het Lyceum, havo) and Bas (registered nowhere); a
    VO user of Het Lyceum with an authenticator app; Eva, Anna's teacher."""
    services = server.services
    hashed = services.hasher.hash(PASSWORD)
    now = services.clock.now()
    with services.uow() as uow:
        board = uow.boards.add(Board(0, "Stichting Amstelland"))
        po = uow.schools.add(_school(board.id, OrgKind.PO, "De Regenboog", "12AB"))
        vo = uow.schools.add(
            _school(board.id, OrgKind.VO, "Het Lyceum", "34CD", levels=frozenset({Level.HAVO}),
                    capacity={Level.HAVO: 120})
        )  # fmt: skip
        for email, name, role, school, secret in (
            ("mentor@lyceum.test", "Mirjam Mentor", Role.VO_USER, vo, VO_SECRET),
            ("juf.eva@regenboog.test", "Eva de Vries", Role.END_USER, po, None),
        ):
            uow.users.add(
                User(id=0, email=email, display_name=name, role=role, org_kind=school.kind,
                     board_id=board.id, school_id=school.id, password_hash=hashed,
                     totp_secret=secret)
            )  # fmt: skip
        for first in ("Anna", "Bas"):
            pupil = uow.pupils.add(
                Pupil(id=0, elk_number=ElkNumber(uow.pupils.next_elk_number()),
                      school_id=po.id, name=PersonName(first, "Jansen"))
            )  # fmt: skip
            advice = FieldValue("havo", Provenance(Source.HAND, now, "Eva de Vries"))
            uow.okidocs.add(
                OkiDoc(id=0, pupil_id=pupil.id, fields={fields.ADVICE_DEFINITIVE: advice})
            )
            if first == "Anna":
                uow.registrations.add(
                    Registration(id=0, pupil_id=pupil.id, procedure="amstelland",
                                 preferences=PreferenceList(school_ids=(vo.id,)),
                                 definitive=PreferenceList(school_ids=(vo.id,)), updated_at=now,
                                 definitive_at=now)
                )  # fmt: skip
        uow.commit()


def _serious_violations(page: Page) -> list[dict[str, Any]]:
    violations: list[dict[str, Any]] = Axe().run(page).response["violations"]
    return [v for v in violations if v.get("impact") in ("serious", "critical")]


def _log_in(page: Page, url: str, email: str, secret: str | None = None) -> None:
    page.goto(f"{url}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    if secret is not None:
        page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Inloggen").click()


def test_a_vo_user_sees_only_the_registered_pupils_and_the_view_is_in_the_history(
    page: Page, live_server: LiveServer
) -> None:
    _seed(live_server)
    url = live_server.url
    _log_in(page, url, "mentor@lyceum.test", VO_SECRET)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Mirjam Mentor")
    expect(page.get_by_role("link", name="Leerlingen")).to_have_count(0)
    page.get_by_role("link", name="Aanmeldingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmeldingen Het Lyceum")
    expect(page.get_by_role("link", name="Jansen, Anna")).to_be_visible()
    expect(page.get_by_text("Jansen, Bas")).to_have_count(0)
    counts = page.get_by_role("table", name="Aanmeldingen per niveau")
    expect(counts.get_by_role("row", name="havo 1 120")).to_be_visible()
    assert _serious_violations(page) == []

    page.get_by_role("link", name="Jansen, Anna").click()
    expect(page.get_by_text("Anna", exact=False).first).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()

    _log_in(page, url, "juf.eva@regenboog.test")
    page.get_by_role("link", name="Leerlingen").click()
    anna = page.get_by_role("link", name="Jansen, Anna")
    expect(anna).to_be_visible()
    pupil_url = anna.get_attribute("href")
    assert pupil_url is not None
    page.goto(f"{url}{pupil_url.split('?')[0].rstrip('/')}/geschiedenis")
    expect(page.get_by_text("Bekeken door VO")).to_be_visible()
    expect(page.get_by_text("Oki-doc, tab Leerling (Het Lyceum)")).to_be_visible()
