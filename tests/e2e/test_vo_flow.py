"""The VO school in Chromium (issue 15): a VO user logs in with 2FA, sees only the pupils
registered at their school, opens one's Oki-doc and the note the primary school shared with VO,
and judges the priority claim with a reason; the parent's mail arrives over real SMTP in the
local capture (through the outbox and the mail worker); the primary school sees the VO view in
the Oki-doc's history and the judgement in its pupil overview. ELK beheer reads the region's
overviews, the VO administrator their school's pages. Axe finds nothing serious or critical on
any of these pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Page, expect
from tests.e2e.live import Live, live_elk, mail_to, serious

from elk_adapters.bootstrap import Services
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import OrgKind, Role, User
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import fields
from elk_domain.okidoc.model import FieldValue, OkiDoc, Provenance, Source
from elk_domain.organisation.model import Board, School
from elk_domain.parents.account import ParentAccount
from elk_domain.parents.registration import (
    FirstChoiceOptions,
    PreferenceList,
    PriorityClaim,
    PriorityKind,
    Registration,
)
from elk_domain.pupils.model import Note, NoteVisibility, Pupil

pytestmark = pytest.mark.e2e

PASSWORD = "Een lang wachtwoord 2025"
VO_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
ADMIN_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PARENT = "ouder.anna@example.nl"
REASON = "Er zit geen broer of zus van Anna op Het Lyceum"


def _school(board_id: int, kind: OrgKind, name: str, brin: str, **extra: object) -> School:
    return School(
        id=0, board_id=board_id, kind=kind, official_name=name, name=name, school_type="School",
        address=Address.create(street="Laan", house_number="1", postcode="1181 AB",
                               city="Amstelveen"),
        location=SchoolLocation.parse(brin), **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def _seed(services: Services) -> None:
    """De Regenboog with Anna (registered at Het Lyceum, claiming priority for a sibling; her
    parent has an account) and Bas (registered nowhere); notes about Anna, one shared with VO;
    a VO user and a VO administrator of Het Lyceum and ELK beheer, all with an authenticator
    app; Eva, Anna's teacher."""
    hashed = services.hasher.hash(PASSWORD)
    now = services.clock.now()
    with services.uow() as uow:
        board = uow.boards.add(Board(0, "Stichting Amstelland"))
        po = uow.schools.add(_school(board.id, OrgKind.PO, "De Regenboog", "12AB"))
        vo = uow.schools.add(
            _school(board.id, OrgKind.VO, "Het Lyceum", "34CD", levels=frozenset({Level.HAVO}),
                    capacity={Level.HAVO: 120}, offers_priority=True)
        )  # fmt: skip
        for email, name, role, school, secret in (
            ("mentor@lyceum.test", "Mirjam Mentor", Role.VO_USER, vo, VO_SECRET),
            ("beheer@lyceum.test", "Victor Beheer", Role.VO_ADMIN, vo, VO_SECRET),
            ("juf.eva@regenboog.test", "Eva de Vries", Role.END_USER, po, None),
            ("beheer@elk.test", "Fien Beheer", Role.FUNCTIONAL_ADMIN, None, ADMIN_SECRET),
        ):
            uow.users.add(
                User(id=0, email=email, display_name=name, role=role,
                     org_kind=OrgKind.VO if school is vo else OrgKind.PO,
                     board_id=None if school is None else board.id,
                     school_id=None if school is None else school.id, password_hash=hashed,
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
                _register_anna(uow, pupil.id, vo.id, now, po.id)
        uow.commit()


def _register_anna(uow: Any, anna: int, vo_id: int, now: Any, po_id: int) -> None:
    claim = FirstChoiceOptions(priority_claim=PriorityClaim(PriorityKind.SIBLING, "Tim", "1b"))
    chosen = PreferenceList(school_ids=(vo_id,), first_choice=claim)
    uow.registrations.add(
        Registration(id=0, pupil_id=anna, procedure="amstelland", preferences=chosen,
                     definitive=chosen, updated_at=now, definitive_at=now)
    )  # fmt: skip
    uow.parent_accounts.add(ParentAccount(id=0, pupil_id=anna, email=PARENT))
    for text, visibility in (
        ("Alleen voor de basisschool", NoteVisibility.OWN_ORGANISATION),
        ("Anna werkt graag zelfstandig", NoteVisibility.ALSO_VO),
    ):
        uow.notes.add(
            Note(id=0, pupil_id=anna, author_id=0, author_name="Eva de Vries",
                 organisation=po_id, text=text, visibility=visibility, created_at=now)
        )  # fmt: skip


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Live]:
    """ELK over real HTTP with the mail worker, seeded with the VO school and its registrations."""
    with live_elk(tmp_path, "vo", _seed) as live:
        yield live


def _log_in(page: Page, url: str, email: str, secret: str | None = None) -> None:
    page.goto(f"{url}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    if secret is not None:
        page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Inloggen").click()


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").click()


def test_a_vo_user_reads_the_dossier_and_judges_the_claim_and_the_parent_is_mailed(
    page: Page, running: Live
) -> None:
    url = running.url
    _log_in(page, url, "mentor@lyceum.test", VO_SECRET)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Mirjam Mentor")
    expect(page.get_by_role("link", name="Leerlingen")).to_have_count(0)
    page.get_by_role("link", name="Aanmeldingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmeldingen Het Lyceum")
    expect(page.get_by_role("link", name="Jansen, Anna")).to_be_visible()
    expect(page.get_by_text("Jansen, Bas")).to_have_count(0)
    counts = page.get_by_role("table", name="Aanmeldingen per niveau")
    expect(counts.get_by_role("row", name="havo 1 120")).to_be_visible()
    expect(page.get_by_text("Te beoordelen: broer/zus Tim (1b)")).to_be_visible()
    assert serious(page) == [], "aanmeldingen"
    page.get_by_label("Voorrang", exact=True).select_option("te_beoordelen")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("link", name="Jansen, Anna")).to_be_visible()
    assert serious(page) == [], "aanmeldingen gefilterd"

    page.get_by_role("link", name="Jansen, Anna").click()
    expect(page.get_by_text("Anna", exact=False).first).to_be_visible()
    assert serious(page) == [], "oki-doc"
    page.goto(page.url.split("?")[0].replace("/oki-doc", "/notities"))
    expect(page.get_by_text("Anna werkt graag zelfstandig")).to_be_visible()
    expect(page.get_by_text("Alleen voor de basisschool")).to_have_count(0)
    assert serious(page) == [], "notities"

    page.goto(f"{url}/vo/aanmeldingen")
    page.get_by_role("button", name="Voorrang Anna Jansen niet honoreren").click()
    expect(page.get_by_text("Geef een reden op").first).to_be_visible()
    assert serious(page) == [], "foutmelding"
    page.goto(f"{url}/vo/aanmeldingen")
    page.get_by_label("Reden voorrang Anna Jansen").fill(REASON)
    page.get_by_role("button", name="Voorrang Anna Jansen niet honoreren").click()
    expect(page.get_by_text("De beoordeling van de voorrang is opgeslagen.")).to_be_visible()
    expect(page.get_by_text(f"Reden: {REASON}")).to_be_visible()
    assert serious(page) == [], "na beoordeling"
    body = mail_to(running.capture, PARENT)
    assert "Deze voorrang is niet gehonoreerd." in body
    assert f"Toelichting van de VO-school: {REASON}" in body
    _log_out(page)

    _log_in(page, url, "juf.eva@regenboog.test")
    page.get_by_role("link", name="Leerlingen").click()
    expect(page.get_by_text(f"voorrang niet gehonoreerd: {REASON}")).to_be_visible()
    anna = page.get_by_role("link", name="Jansen, Anna")
    pupil_url = anna.get_attribute("href")
    assert pupil_url is not None
    page.goto(f"{url}{pupil_url.split('?')[0].rstrip('/')}/geschiedenis")
    expect(page.get_by_text("Bekeken door VO").first).to_be_visible()
    expect(page.get_by_text("Oki-doc, tab Leerling (Het Lyceum)")).to_be_visible()
    expect(page.get_by_text("Notities (Het Lyceum)")).to_be_visible()


def test_the_region_s_overviews_and_the_vo_administrator_s_pages_pass_axe(
    page: Page, running: Live
) -> None:
    url = running.url
    _log_in(page, url, "beheer@elk.test", ADMIN_SECRET)
    page.get_by_role("link", name="Aanmeldingen VO").click()
    expect(page.get_by_role("heading", name="Het Lyceum")).to_be_visible()
    assert serious(page) == [], "regio"
    page.get_by_role("link", name="Leerlingen zonder definitieve aanmelding").click()
    expect(page.get_by_role("row", name="Jansen, Bas")).to_be_visible()
    expect(page.get_by_text("Jansen, Anna")).to_have_count(0)
    assert serious(page) == [], "zonder aanmelding"
    _log_out(page)

    _log_in(page, url, "beheer@lyceum.test", VO_SECRET)
    for path in ("/vo/aanmeldingen", "/beheer/gebruikers", "/beheer/scholen"):
        page.goto(f"{url}{path}")
        assert serious(page) == [], path
    page.get_by_role("link", name="Het Lyceum").first.click()
    expect(page.get_by_label("Naam", exact=True)).to_have_value("Het Lyceum")
    assert serious(page) == [], "schoolformulier"
