"""Doorstroomtoets in Chromium (issue 17): import the provider's ZIP with one line resolved by
hand, then R-DT-4 blocks Definitief until the kept advice is motivated; axe on every new page."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pytest
from playwright.sync_api import Page, expect
from tests.e2e.test_okidoc_flow import serious

from elk_domain.kernel.people import OrgKind, Role, User
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.catalogue.samples import complete_fields
from elk_domain.okidoc.model import FieldValue, OkiDoc, OkiStatus, Provenance, Source
from elk_domain.organisation.model import Board, Group, School
from elk_domain.pupils.model import Pupil

if TYPE_CHECKING:
    from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

PASSWORD = "Groep acht 2026 leerkracht!"
TEACHER = "juf.sara@regenboog.test"
CSV = (
    "BRIN;Voornaam;Tussenvoegsel;Achternaam;Geboortedatum;Toets;Afnamedatum;Uitslag;Score taal\n"
    "12AB00;Sem;;Visser;04-05-2013;Route 8;11-02-2026;vwo;240\n"
    "12AB00;J.;van der;Berg;17-09-2013;Route 8;11-02-2026;havo;221\n"
    "12AB00;Fatima;;Yilmaz;01-01-2014;Route 8;11-02-2026;vmbo-kb;190\n"
)


def _seed(server: LiveServer) -> dict[str, int]:
    """De Regenboog (12AB00) with a teacher, Sem (Volledig, advice havo) and the twins."""
    services = server.services
    at = dt.datetime(2026, 1, 6, 9, 0, tzinfo=dt.UTC)
    hand = Provenance(Source.HAND, at, "juf")
    with services.uow() as uow:
        board = uow.boards.add(Board(0, "Stichting Amstelland"))
        school = uow.schools.add(
            School(id=0, board_id=board.id, kind=OrgKind.PO, official_name="De Regenboog",
                   name="De Regenboog", school_type="Basisschool",
                   address=Address.create(street="Laan", house_number="1", postcode="1181 AB",
                                          city="Amstelveen"),
                   location=SchoolLocation.parse("12AB"))
        )  # fmt: skip
        uow.users.add(
            User(id=0, email=TEACHER, display_name="Sara Leerkracht", role=Role.END_USER,
                 org_kind=OrgKind.PO, board_id=board.id, school_id=school.id,
                 password_hash=services.hasher.hash(PASSWORD))
        )  # fmt: skip
        group = uow.groups.add(Group(0, school.id, "8a"))
        ids = {}
        for first, tv, last, born in (
            ("Sem", "", "Visser", dt.date(2013, 5, 4)),
            ("Jan", "van der", "Berg", dt.date(2013, 9, 17)),
            ("Johan", "van der", "Berg", dt.date(2013, 9, 17)),
        ):
            pupil = uow.pupils.add(
                Pupil(id=0, elk_number=ElkNumber(uow.pupils.next_elk_number()),
                      school_id=school.id, name=PersonName(first, last, tv),
                      group_id=group.id, birth_date=born)
            )  # fmt: skip
            okidoc = OkiDoc(id=0, pupil_id=pupil.id)
            if first == "Sem":
                fields = complete_fields(at) | {f.ADVICE_DEFINITIVE: FieldValue("havo", hand)}
                okidoc = attrs.evolve(okidoc, fields=fields, status=OkiStatus.VOLLEDIG)
            uow.okidocs.add(okidoc)
            ids[first] = pupil.id
        uow.commit()
    return ids


def _zip(folder: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("uitslagen/route8.csv", CSV.encode())
    path = folder / "uitslagen-regenboog.zip"
    path.write_bytes(buffer.getvalue())
    return path


def _log_in(page: Page, url: str) -> None:
    page.goto(f"{url}/inloggen")
    page.get_by_label("E-mailadres").fill(TEACHER)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()


def test_import_with_a_resolved_line_then_raise_or_motivate_before_definitief(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    ids = _seed(live_server)
    url = live_server.url
    _log_in(page, url)
    page.goto(f"{url}/leerlingen/doorstroomtoets/")
    page.get_by_role("link", name="Resultaten importeren").click()
    assert serious(page) == []

    page.get_by_label("Resultatenbestand").set_input_files(_zip(tmp_path))
    page.get_by_role("button", name="Uploaden en controleren").click()
    expect(page.get_by_role("heading", name=re.compile("Voorbeeld"))).to_be_visible()
    expect(page.locator("#regel-1")).to_contain_text("Gekoppeld op geboortedatum en naam.")
    expect(page.locator("#regel-2")).to_contain_text("alleen voorletters")
    expect(page.locator("#regel-3")).to_contain_text("niet gevonden")
    expect(page.locator("#regel-1")).to_contain_text("taal: 240")
    assert serious(page) == []

    page.get_by_role("group", name=re.compile("Welke leerling is J. van der Berg")).get_by_label(
        re.compile("Johan van der Berg")
    ).check()
    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_text("2 resultaten ingelezen, 0 waren al bijgewerkt.")).to_be_visible()
    expect(page.get_by_text("1 regel niet ingelezen")).to_be_visible()
    with live_server.services.uow() as uow:
        johan = uow.okidocs.for_pupil(ids["Johan"])
        assert f.text_of(johan.value(f.FINAL_TEST_OUTCOME)) == "havo"
        assert uow.okidocs.for_pupil(ids["Jan"]).value(f.FINAL_TEST_OUTCOME) is None

    # Sem's outcome (vwo) is above his advice (havo): flagged, and no Definitief yet
    sem_row = page.get_by_role("row", name=re.compile("Visser, Sem"))
    expect(sem_row).to_contain_text("Uitslag hoger dan advies")
    assert serious(page) == []
    page.goto(f"{url}/leerlingen/{ids['Sem']}/oki-doc?tab=overzicht")
    expect(page.get_by_text("Het Oki-doc kan nog niet definitief worden")).to_be_visible()
    expect(page.get_by_role("button", name="Inzage vastleggen")).to_be_disabled()

    # The school keeps its advice: motivation and the parents' date, typed down the columns
    page.goto(f"{url}/leerlingen/doorstroomtoets/")
    page.get_by_label("Motivatie advies lager dan doorstroomtoets Sem Visser").fill(
        "Besproken met de ouders: havo past beter bij Sem."
    )
    page.get_by_label("Datum ouders betrokken bij heroverweging Sem Visser").fill("2026-03-09")
    page.get_by_role("button", name="Alles opslaan").click()
    expect(page.get_by_text("Opgeslagen: 1 leerling(en) gewijzigd.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Visser, Sem"))).to_contain_text("Gemotiveerd")

    page.goto(f"{url}/leerlingen/{ids['Sem']}/oki-doc?tab=overzicht")
    page.get_by_label("Datum inzage ouders").fill("2026-03-10")
    page.get_by_label("Akkoord", exact=True).check()
    page.get_by_role("button", name="Inzage vastleggen").click()
    expect(page.locator(".flash--success")).to_be_visible()
    with live_server.services.uow() as uow:
        assert uow.okidocs.for_pupil(ids["Sem"]).status is OkiStatus.DEFINITIEF


def test_tab_walks_down_a_column(page: Page, live_server: LiveServer) -> None:
    ids = _seed(live_server)
    _log_in(page, live_server.url)
    page.goto(f"{live_server.url}/leerlingen/doorstroomtoets/")
    order = [ids["Jan"], ids["Johan"], ids["Sem"]]  # by name: Berg, Berg, Visser
    page.locator(f"#r-{order[0]}-toets").focus()
    page.keyboard.type("Route 8")
    page.keyboard.press("Tab")
    expect(page.locator(f"#r-{order[1]}-toets")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"#r-{order[2]}-toets")).to_be_focused()
    page.keyboard.press("Tab")  # past the last pupil: the top of the next column
    expect(page.locator(f"#r-{order[0]}-datum")).to_be_focused()
    page.get_by_label(re.compile("Tab en Enter gaan naar de volgende leerling")).uncheck()
    page.locator(f"#r-{order[0]}-toets").focus()
    page.keyboard.press("Tab")
    expect(page.locator(f"#r-{order[0]}-datum")).to_be_focused()
