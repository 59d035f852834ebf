"""A teacher pastes a BSN list from the LAS into "Aanvragen overdracht" and sees the pupils arrive.

The live server's OSO gateway talks to a simulator over loopback HTTP (R-OSO-3).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from playwright.sync_api import Page, expect
from tests.fixtures.official_rules import CATEGORY_BLOCK_MISSING
from tests.fixtures.oso_sim import KEY, LOCATION, NUMBER, oso_simulator
from werkzeug.serving import make_server

from elk_adapters.bootstrap import Services, bootstrap
from elk_adapters.oso.gateway import ZeepOsoGateway
from elk_adapters.oso.simulator.server import SimulatorServer
from elk_adapters.oso.simulator.state import FaultKind
from elk_adapters.persistence.schema import upgrade_database
from elk_adapters.settings import Settings
from elk_domain.kernel.people import Actor, OrgKind, Role, User
from elk_domain.kernel.values import Address
from elk_domain.organisation.model import Board, School
from elk_domain.oso.config import register_delivery_point
from elk_web import create_app

__all__ = ["oso_simulator"]  # the fixture is used by name

pytestmark = pytest.mark.e2e

TEACHER = "juf.noor@regenboog.test"
PASSWORD = "Groep acht 2025 leerkracht!"


@attrs.frozen
class OsoLiveServer:
    """ELK on a free port whose OSO is the simulator; ``school_id`` is 12AB00's."""

    url: str
    services: Services
    sim: SimulatorServer
    school_id: int


def _seed(services: Services) -> int:
    with services.uow() as uow:
        board = uow.boards.add(Board(0, "Stichting Regenboog"))
        school = uow.schools.add(
            School(
                id=0, board_id=board.id, kind=OrgKind.PO, official_name="De Regenboog",
                name="De Regenboog", school_type="Basisschool", location=LOCATION,
                address=Address.create(street="Schoolstraat", house_number="1",
                                       postcode="1181 AB", city="Amstelveen"),
            )
        )  # fmt: skip
        uow.users.add(
            User(
                id=0, email=TEACHER, display_name="Noor Leerkracht", role=Role.END_USER,
                org_kind=OrgKind.PO, board_id=board.id, school_id=school.id,
                password_hash=services.hasher.hash(PASSWORD),
            )
        )  # fmt: skip
        uow.commit()
    register_delivery_point(
        services.uow(), services.oso, services.clock, Actor.system(), school.id, NUMBER, KEY
    )
    return school.id


@pytest.fixture
def oso_live_server(tmp_path: Path, oso_simulator: SimulatorServer) -> Iterator[OsoLiveServer]:
    """ELK with a fresh SQLite database, wired to the simulator (bootstrap override)."""
    instance = tmp_path / "instance"
    settings = Settings(
        env="test",
        instance_path=instance,
        database_url=f"sqlite:///{instance / 'elk.sqlite3'}",
        secret_key="e2e-secret-key-0123456789",
        log_format="json",
    )
    upgrade_database(settings)
    gateway = ZeepOsoGateway(oso_simulator.endpoint, operation_timeout=5)
    services = bootstrap(settings, oso=gateway)
    school_id = _seed(services)
    server = make_server("127.0.0.1", 0, create_app(settings, services), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="elk-oso-live", daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        yield OsoLiveServer(url, services, oso_simulator, school_id)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_teacher_pastes_bsns_and_sees_the_pupils_arrive(
    page: Page, oso_live_server: OsoLiveServer
) -> None:
    server = oso_live_server
    first, second = (server.sim.state.add_pupil(LOCATION) for _ in range(2))
    page.goto(f"{server.url}/inloggen")
    page.get_by_label("E-mailadres").fill(TEACHER)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="OSO").click()
    page.get_by_role("link", name="Aanvragen overdracht").first.click()
    expect(page.get_by_label("BRIN en vestiging")).to_have_value("12AB00")
    expect(page.get_by_label("BRIN en vestiging")).not_to_be_editable()
    pasted = f"{first}\n{second}\n{first}\nabc\n123456789\n"
    page.get_by_label("BSN's").fill(pasted)
    page.get_by_role("button", name="Aanvragen").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Resultaat aanvragen overdracht")
    results = page.get_by_role("table")
    expect(results.get_by_role("row")).to_have_count(3)  # header + one row per valid BSN
    expect(results.get_by_text("Leerling aangemaakt", exact=True)).to_have_count(2)
    invalid = page.locator(".oso-invalid")
    expect(invalid).to_contain_text("abc")
    expect(invalid).to_contain_text("123456789")
    expect(page.locator(".oso-duplicates")).to_contain_text(f"******{first[-3:]}")
    expect(page.locator("body")).not_to_contain_text(first)  # BSNs are shown masked

    with server.services.uow() as uow:
        names = [p.name.full() for p in uow.pupils.list(server.school_id)]
    assert len(names) == 2
    for name in names:
        expect(results.get_by_role("link", name=name)).to_be_visible()
    page.get_by_role("link", name="Naar de leerlingen").click()
    for name in names:
        expect(page.get_by_role("table")).to_contain_text(name.split()[0])


def _log_in(page: Page, server: OsoLiveServer) -> None:
    page.goto(f"{server.url}/inloggen")
    page.get_by_label("E-mailadres").fill(TEACHER)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_a_dossier_breaking_the_official_rules_is_synced_and_the_school_told_to_fix_it(
    page: Page, oso_live_server: OsoLiveServer
) -> None:
    """Issue 21: the LAS's dossier passes the XSD but lacks "Categorie uitlevering"."""
    server = oso_live_server
    bsn = server.sim.state.add_pupil(LOCATION)
    server.sim.state.set_fault(FaultKind.BREAKS_RULES, bsn=bsn)
    _log_in(page, server)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="OSO").click()
    page.get_by_role("link", name="Aanvragen overdracht").first.click()
    page.get_by_label("BSN's").fill(bsn)
    page.get_by_role("button", name="Aanvragen").click()
    results = page.get_by_role("table")
    expect(results.get_by_text("Leerling aangemaakt", exact=True)).to_have_count(1)
    expect(results).to_contain_text("Herstel dit in het LAS.")
    expect(results).to_contain_text(CATEGORY_BLOCK_MISSING)

    # Synchroniseren from the pupils overview: the same message, the pupil still synced.
    page.get_by_role("link", name="Naar de leerlingen").click()
    page.get_by_role("table").get_by_role("checkbox").nth(1).check()
    page.get_by_label("Bulkacties").select_option("fill")
    page.get_by_role("button", name="Uitvoeren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("resultaat")
    expect(page.get_by_role("status")).to_contain_text("Herstel in het LAS nodig: 1")
    expect(page.get_by_role("table")).to_contain_text(CATEGORY_BLOCK_MISSING)

    # The school's OSO notifications keep it, once: the home page counts it.
    page.goto(f"{server.url}/")
    expect(page.locator(".notify__count")).to_have_text("1")
    page.locator(".notify").click()
    notes = page.get_by_role("table")
    expect(notes.get_by_role("row")).to_have_count(2)  # header + the one notification
    expect(notes).to_contain_text("Herstel in het LAS")
    expect(notes).to_contain_text(CATEGORY_BLOCK_MISSING)
    expect(notes).to_contain_text(f"******{bsn[-3:]}")
