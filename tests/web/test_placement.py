"""The published placement on the web (issue 16, item 5): the parent follows the link in the
mail (real SMTP capture) to the child's placement and the reasons; the VO school sees its placed
pupils and reserve list. Real SQLite (and PostgreSQL where the suite runs it)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from tests.web.parents_world import Portal, eligible, portal
from tests.web.placement_world import (
    placement_link,
    placement_schools,
    register,
    run_and_publish,
)
from tests.web.registration_world import logged_in_parent

from elk_adapters.bootstrap import Services
from elk_domain.testing import FixedClock

if TYPE_CHECKING:
    from tests.web.conftest import DeliveredMail, LoginHelper, Seed

__all__ = ["portal"]  # fixture, used by name
NAMES = ("Anna", "Bas", "Cor")


@pytest.fixture
def children(services: Services, seeded: Seed, clock: FixedClock) -> dict[str, int]:
    lyceum, keizer = placement_schools(services)
    ids = {}
    for name in NAMES:
        email = f"ouder.{name.lower()}@example.nl"
        ids[name] = eligible(services, seeded, clock, name, email)
        register(services, clock, ids[name], (lyceum, keizer))
    return ids


class TestParentPage:
    def test_not_published_yet(self, portal: Portal, children: dict[str, int]) -> None:
        parent = logged_in_parent(portal, children["Anna"])
        page = parent.get("/ouders/plaatsing").get_data(as_text=True)
        assert "nog niet bekend" in page
        assert parent.get("/ouders/plaatsing.pdf").status_code == 404

    def test_the_mailed_link_leads_to_the_placement_and_the_reasons(
        self,
        portal: Portal,
        children: dict[str, int],
        services: Services,
        clock: FixedClock,
        delivered_mail: DeliveredMail,
    ) -> None:
        parents = {name: logged_in_parent(portal, children[name]) for name in NAMES}
        published = run_and_publish(services, clock)
        assert published.mailed == 3
        mails = delivered_mail()
        pages = {}
        for name in NAMES:
            link = placement_link(mails, f"ouder.{name.lower()}@example.nl")
            pages[name] = parents[name].get(link).get_data(as_text=True)
        at_lyceum = [n for n in NAMES if "is geplaatst op Het Lyceum (havo)" in pages[n]]
        assert len(at_lyceum) == 1
        for name in set(NAMES) - set(at_lyceum):
            page = pages[name]
            assert f"{name} is geplaatst op Keizer College (havo)" in page
            assert "Waarom niet op een school hoger op de lijst?" in page
            assert "de laatste plaats ging naar lotnummer" in page
            assert "van de reservelijst" in page
        assert "Waarom niet" not in pages[at_lyceum[0]]
        other = next(n for n in NAMES if n not in at_lyceum)
        letter = parents[other].get("/ouders/plaatsing.pdf")
        assert letter.mimetype == "application/pdf"
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.data)).pages)
        assert "geplaatst op Keizer College (havo)" in " ".join(text.split())
        assert "kreeg lotnummer" in " ".join(text.split()), text

    def test_the_link_asks_a_logged_out_parent_to_log_in_first(
        self, portal: Portal, children: dict[str, int]
    ) -> None:
        response = portal.new_client().get("/ouders/plaatsing")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/ouders/inloggen?next=")


class TestVoPage:
    def test_the_vo_school_sees_placed_and_reserve(
        self,
        client: FlaskClient,
        login: LoginHelper,
        seeded: Seed,
        children: dict[str, int],
        services: Services,
        clock: FixedClock,
    ) -> None:
        login(client, seeded.vo_user.email)
        assert "nog niet gepubliceerd" in client.get("/vo/plaatsing").get_data(as_text=True)
        run_and_publish(services, clock)
        page = client.get("/vo/plaatsing").get_data(as_text=True)
        assert "Geplaatst: 1 leerlingen; op een reservelijst: 2." in page
        assert page.count("Jansen, ") == 3
        assert "De Regenboog" in page


class TestPrimarySchoolOverview:
    def test_the_pupils_overview_shows_where_each_child_is_placed(
        self,
        client: FlaskClient,
        login: LoginHelper,
        seeded: Seed,
        children: dict[str, int],
        services: Services,
        clock: FixedClock,
    ) -> None:
        login(client, seeded.teacher.email)
        assert "Geplaatst bij" not in client.get("/leerlingen/").get_data(as_text=True)
        run_and_publish(services, clock)
        page = client.get("/leerlingen/").get_data(as_text=True)
        assert page.count("Geplaatst bij Het Lyceum (havo)") == 1
        assert page.count("Geplaatst bij Keizer College (havo)") == 2
