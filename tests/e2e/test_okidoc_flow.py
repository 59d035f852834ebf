"""A teacher completes an Oki-doc in Chromium; a second editor gets the conflict; axe passes."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from elk_domain.kernel.people import OrgKind, Role, User
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.fields import Kind, Tab
from elk_domain.okidoc.model import FieldValue, OkiDoc, Provenance, Scalar, Source
from elk_domain.organisation.model import Board, Group, School
from elk_domain.pupils.model import Pupil

if TYPE_CHECKING:
    from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

PASSWORD = "Groep acht 2025 leerkracht!"
TEACHER = "juf.sara@zonnebloem.test"
COLLEAGUE = "meester.tom@zonnebloem.test"
LEFT_EMPTY = {f.ADVICE_PROVISIONAL_7, "ondersteuning.werkhouding.motivatie", f.ADVICE_CONTACT}


def _value(kind: Kind, choices: tuple[tuple[str, str], ...]) -> Scalar:
    samples: dict[Kind, Scalar] = {
        Kind.DATE: dt.date(2013, 5, 1),
        Kind.BOOL: False,
        Kind.ADVICE: "havo",
        Kind.EMAIL: "ouder@example.nl",
        Kind.PHONE: "020-1234567",
        Kind.POSTCODE: "1181 AB",
        Kind.INTEGER: 0,
    }
    if kind is Kind.CHOICE:
        return choices[0][0]
    return samples.get(kind, "Voorbeeld")


def _seed(server: LiveServer) -> int:
    services = server.services
    at = dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC)
    with services.uow() as uow:
        board = uow.boards.add(Board(0, "Stichting Zonnebloem"))
        school = uow.schools.add(
            School(
                id=0,
                board_id=board.id,
                kind=OrgKind.PO,
                official_name="De Zonnebloem",
                name="De Zonnebloem",
                school_type="Basisschool",
                address=Address.create(
                    street="Laan", house_number="2", postcode="1181 AB", city="Amstelveen"
                ),
                location=SchoolLocation.parse("56EF"),
            )
        )
        for email, name in ((TEACHER, "Sara Leerkracht"), (COLLEAGUE, "Tom Collega")):
            uow.users.add(
                User(
                    id=0,
                    email=email,
                    display_name=name,
                    role=Role.END_USER,
                    org_kind=OrgKind.PO,
                    board_id=board.id,
                    school_id=school.id,
                    password_hash=services.hasher.hash(PASSWORD),
                )
            )
        groups = {n: uow.groups.add(Group(0, school.id, n)) for n in ("8a", "8b")}
        pupil_id = 0
        for index, (first, last, group) in enumerate(
            (("Lotte", "Jansen", "8a"), ("Noah", "Peters", "8b"), ("Mila", "Vos", "8b"))
        ):
            pupil = uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(uow.pupils.next_elk_number()),
                    school_id=school.id,
                    name=PersonName(first, last),
                    group_id=groups[group].id,
                )
            )
            values: dict[str, FieldValue] = {}
            for tab in (Tab.LEERLING, Tab.ADVIES, Tab.ONDERSTEUNING):
                for spec in f.fields_of(tab):
                    if spec.required and spec.path not in LEFT_EMPTY:
                        source = Source.OSO if spec.oso else Source.HAND
                        values[spec.path] = FieldValue(
                            _value(spec.kind, spec.choices), Provenance(source, at, "LAS")
                        )
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id, fields=values))
            if index == 1:
                pupil_id = pupil.id
        uow.commit()
    return pupil_id


def serious(page: Page) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = Axe().run(page).response["violations"]
    return [
        {"id": v["id"], "nodes": [n["html"] for n in v["nodes"]][:3]}
        for v in found
        if v.get("impact") in ("serious", "critical")
    ]


def log_in(page: Page, url: str, email: str) -> None:
    page.goto(f"{url}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()


def tab_link(page: Page, name: str) -> Any:
    return page.get_by_role("navigation", name="Tabbladen van het Oki-doc").get_by_role(
        "link", name=re.compile(name)
    )


def test_teacher_completes_okidoc_and_second_editor_gets_conflict(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    pupil_id = _seed(live_server)
    url = live_server.url
    log_in(page, url, TEACHER)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Leerlingen").click()
    assert serious(page) == []
    page.get_by_label("Groep").select_option(label="8b")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_text("2 leerlingen gevonden")).to_be_visible()
    expect(page.get_by_role("link", name="Jansen, Lotte")).to_have_count(0)
    page.get_by_role("link", name="Peters, Noah").click()
    expect(page.get_by_role("heading", name="Oki-doc Noah Peters")).to_be_visible()
    expect(tab_link(page, "Leerling")).to_contain_text("✓")
    expect(tab_link(page, "Advies")).not_to_contain_text("✓")

    # A colleague opens the Advies tab now, before the teacher saves it.
    other = browser.new_context(locale="nl-NL")
    other_page = other.new_page()
    log_in(other_page, url, COLLEAGUE)
    other_page.goto(f"{url}/leerlingen/{pupil_id}/oki-doc?tab=advies")

    tab_link(page, "Advies").click()
    page.get_by_label("Voorlopig advies groep 7").select_option("havo")
    page.locator("#veld-advies-contactpersoon").fill("Juf Sara")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De wijzigingen zijn opgeslagen.")).to_be_visible()
    expect(tab_link(page, "Advies")).to_contain_text("✓")

    # The colleague's later save is refused with the other change shown; their input stays.
    other_page.get_by_label("Telefoon contactpersoon").fill("020-7654321")
    other_page.locator("#veld-advies-contactpersoon").fill("Meester Tom")
    other_page.get_by_role("button", name="Opslaan").click()
    expect(other_page.get_by_role("alert")).to_contain_text("Iemand anders heeft dit Oki-doc")
    conflict = other_page.get_by_role("region", name="Wijzigingen van een ander")
    expect(conflict).to_contain_text("Voorlopig advies groep 7")
    expect(conflict).to_contain_text("Sara Leerkracht")
    expect(other_page.locator("#veld-advies-contactpersoon")).to_have_value("Meester Tom")
    expect(other_page.get_by_label("Telefoon contactpersoon")).to_have_value("020-7654321")
    expect(other_page.get_by_label("Voorlopig advies groep 7")).to_have_value("havo")
    assert serious(other_page) == []
    other_page.get_by_role("button", name="Opslaan").click()
    expect(other_page.get_by_text("De wijzigingen zijn opgeslagen.")).to_be_visible()
    other.close()

    tab_link(page, "Ondersteuning").click()
    page.locator("#veld-ondersteuning-werkhouding-motivatie").select_option(label="Gaat goed")
    page.get_by_role("button", name="Opslaan").click()
    expect(tab_link(page, "Ondersteuning")).to_contain_text("✓")

    for name in ("Leerling", "Advies", "Toetsresultaten", "Ondersteuning", "Bijlagen"):
        tab_link(page, name).click()
        assert serious(page) == [], name
    tab_link(page, "Overzicht").click()
    assert serious(page) == []
    page.get_by_role("button", name="Volledig maken").click()
    expect(page.locator(".status-now")).to_contain_text("Volledig")
    page.get_by_label("Datum inzage ouders").fill("2025-03-10")
    page.get_by_label("Akkoord", exact=True).check()
    page.get_by_role("button", name="Inzage vastleggen").click()
    expect(page.locator(".status-now")).to_contain_text("Definitief")
    assert serious(page) == []

    tab_link(page, "Advies").click()
    expect(page.get_by_text("kan niet meer worden gewijzigd")).to_be_visible()
    expect(page.get_by_role("button", name="Opslaan")).to_have_count(0)
    expect(page.get_by_role("combobox")).to_have_count(0)
    expect(page.get_by_text("Meester Tom")).to_be_visible()


def test_missing_fields_link_to_their_field(page: Page, live_server: LiveServer) -> None:
    pupil_id = _seed(live_server)
    log_in(page, live_server.url, TEACHER)
    page.goto(f"{live_server.url}/leerlingen/{pupil_id}/oki-doc?tab=overzicht")
    page.get_by_role("button", name="Volledig maken").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("er ontbreken nog gegevens")
    alert.get_by_role("link", name=re.compile("Voorlopig advies groep 7")).click()
    expect(page).to_have_url(re.compile(r"tab=advies#veld-advies-voorlopig_groep7$"))
