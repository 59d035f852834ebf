"""The child's data for the parent and "klopt er iets niet?" (issue 14, item 2, R-OUD-3): the
parent sees what the school has, asks for a correction, and the school finds it on its home page.
Real SQLite, real SMTP capture."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from tests.web.parents_world import PASSWORD, Csrf, Portal, eligible, portal, proef

from elk_adapters.bootstrap import Services
from elk_domain.testing import FixedClock

__all__ = ["portal", "proef"]  # fixtures, used by name
pytestmark = pytest.mark.usefixtures("seeded")


class TestChildDataAndCorrection:
    def _parent(self, portal: Portal, pupil: int, password: str = PASSWORD) -> FlaskClient:
        portal.set_password(portal.send_login(pupil), password)
        parent, _ = portal.log_in(portal.elk_number(pupil), password)
        return parent

    def test_the_parent_sees_the_data_and_the_school_gets_the_correction(
        self, portal: Portal, proef: int, csrf_token: Csrf
    ) -> None:
        parent = self._parent(portal, proef)
        page = parent.get("/ouders/gegevens")
        text = page.get_data(as_text=True)
        assert page.status_code == 200
        for shown in ("Gegevens van Proef Jansen", "havo", "ouder.proef@example.nl",
                      "Klopt er iets niet?"):  # fmt: skip
            assert shown in text
        message = "Wij wonen sinds maart op de Laan 3 in Amstelveen."
        response = parent.post(
            "/ouders/gegevens", data={"bericht": message, "csrf_token": csrf_token(page)}
        )
        assert response.status_code == 302
        assert "Uw bericht is naar de school gestuurd." in parent.get(
            response.headers["Location"]
        ).get_data(as_text=True)
        home = portal.teacher.get("/").get_data(as_text=True)
        assert "Berichten van ouders" in home
        assert message in home
        assert f"/leerlingen/{proef}/oki-doc" in home

    def test_an_empty_message_is_refused_and_says_why(
        self, portal: Portal, proef: int, csrf_token: Csrf
    ) -> None:
        parent = self._parent(portal, proef)
        token = csrf_token(parent.get("/ouders/gegevens"))
        response = parent.post("/ouders/gegevens", data={"bericht": "  ", "csrf_token": token})
        assert response.status_code == 422
        assert "Schrijf in hoogstens 2000 tekens" in response.get_data(as_text=True)
        assert "Berichten van ouders" not in portal.teacher.get("/").get_data(as_text=True)

    def test_a_second_parent_sees_neither_the_data_nor_the_requests_of_the_first(
        self, portal: Portal, proef: int, csrf_token: Csrf, services: Services, seeded: Any,
        clock: FixedClock,
    ) -> None:  # fmt: skip
        other = eligible(services, seeded, clock, "Tweede", "ouder.tweede@example.nl")
        first = self._parent(portal, proef)
        token = csrf_token(first.get("/ouders/gegevens"))
        first.post("/ouders/gegevens", data={"bericht": "Geheim adres", "csrf_token": token})
        second = self._parent(portal, other, "een ander wachtwoord")
        page = second.get("/ouders/gegevens").get_data(as_text=True)
        assert "Tweede Jansen" in page
        assert "Proef" not in page
        assert "Geheim adres" not in page
        assert "ouder.proef@example.nl" not in page
