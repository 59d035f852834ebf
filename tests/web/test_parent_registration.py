"""Registering a child at VO schools (issue 14, item 3, R-AAN-1..4): the editor, the check page
with the risk warning, "Definitief maken" with the confirmation mail followed from the real SMTP
capture, registering again in the week, the PDF, and what a parent may not do."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import attrs
import pytest
from flask.testing import FlaskClient
from tests.web.parents_world import Csrf, Portal, eligible, overview_row, portal, proef
from tests.web.registration_world import (
    NAMES,
    logged_in_parent,
    open_registration,
    press,
    schools,
)

from elk_adapters.bootstrap import Services
from elk_domain.organisation.model import Period, Timeline
from elk_domain.testing import FixedClock

__all__ = ["portal", "proef", "schools"]  # fixtures, used by name
pytestmark = pytest.mark.usefixtures("seeded")


def _five(parent: FlaskClient, csrf: Csrf, schools: dict[str, int]) -> None:
    for name in NAMES[:5]:
        response = press(parent, csrf, f"toevoegen:{schools[name]}")
        assert response.status_code == 302, response.get_data(as_text=True)


class TestRegistering:
    def test_a_parent_registers_with_five_schools_and_the_mail_link_works(
        self, portal: Portal, proef: int, schools: dict[str, int], csrf_token: Csrf,
        app: Any, services: Services,
    ) -> None:  # fmt: skip
        parent = logged_in_parent(portal, proef)
        page = parent.get("/ouders/aanmelden").get_data(as_text=True)
        assert "Het advies van uw kind is havo. Kies 5 scholen" in page
        assert "Praktijkschool De Linie" not in page  # does not fit a havo advice
        _five(parent, csrf_token, schools)
        assert press(parent, csrf_token, f"omhoog:{schools[NAMES[1]]}").status_code == 302
        first = schools[NAMES[1]]
        page = parent.get("/ouders/aanmelden").get_data(as_text=True)
        assert page.index(NAMES[1]) < page.index(NAMES[0])
        assert "Heeft uw kind voorrang" not in page  # Keizer Karel offers no priority
        assert press(parent, csrf_token, f"omlaag:{first}").status_code == 302
        claim = {"opties": "1", "voorrang": "broer_zus", "voorrang_naam": "Ada Jansen",
                 "voorrang_klas": "2b", "gelijkwaardig": "ja"}  # fmt: skip
        assert press(parent, csrf_token, "volgende", **claim).headers["Location"] == (
            "/ouders/aanmelden/controleren"
        )
        check = parent.get("/ouders/aanmelden/controleren").get_data(as_text=True)
        assert "Broer of zus: Ada Jansen, klas 2b" in check
        token = csrf_token(parent.get("/ouders/aanmelden/controleren"))
        done = parent.post("/ouders/aanmelden/definitief", data={"csrf_token": token})
        assert done.headers["Location"] == "/ouders/aanmelding"
        shown = parent.get("/ouders/aanmelding").get_data(as_text=True)
        assert "Uw kind is aangemeld bij Amstel Lyceum" in shown
        mail = portal.mail()[-1]
        assert (mail.to, mail.subject) == (
            "ouder.proef@example.nl",
            "Aanmelding van Proef ontvangen",
        )
        link = next(word for word in mail.body.split() if word.startswith("http"))
        path = urlsplit(link).path
        assert path == "/ouders/inloggen"
        followed = app.test_client().get(path)
        assert followed.status_code == 200
        assert "ELK-nummer" in followed.get_data(as_text=True)
        row = overview_row(portal.teacher.get("/leerlingen/").get_data(as_text=True), proef)
        assert '<span class="dot dot--green dot--text">AV' in row

    def test_the_risk_warning_names_a_full_first_choice(
        self, portal: Portal, proef: int, schools: dict[str, int], csrf_token: Csrf,
        services: Services, seeded: Any, clock: FixedClock,
    ) -> None:  # fmt: skip
        other = eligible(services, seeded, clock, "Bram", "ouder.bram@example.nl")
        open_registration(services, clock)
        for pupil in (other, proef):
            parent = logged_in_parent(portal, pupil)
            _five(parent, csrf_token, schools)
            check = parent.get("/ouders/aanmelden/controleren").get_data(as_text=True)
            if pupil == other:
                assert "Let op" not in check
                token = csrf_token(parent.get("/ouders/aanmelden/controleren"))
                parent.post("/ouders/aanmelden/definitief", data={"csrf_token": token})
        shown = "Amstel Lyceum is al door 1 ander kind als eerste keuze gekozen. De school heeft 1"
        assert f"{shown} plaats." in check
        assert "U mag de aanmelding toch definitief maken." in check

    def test_a_sixth_school_is_refused_and_the_typed_options_stay(
        self, portal: Portal, proef: int, schools: dict[str, int], csrf_token: Csrf
    ) -> None:
        parent = logged_in_parent(portal, proef)
        _five(parent, csrf_token, schools)
        typed = {
            "opties": "1",
            "voorrang": "broer_zus",
            "voorrang_naam": "Ada",
            "voorrang_klas": "",
        }
        response = press(parent, csrf_token, "opslaan", **typed)
        assert response.status_code == 422
        text = response.get_data(as_text=True)
        assert "Vul de klas van de broer of zus in." in text
        assert 'value="Ada"' in text
        refused = press(parent, csrf_token, f"toevoegen:{schools[NAMES[5]]}")
        assert refused.status_code == 200 or refused.status_code == 422
        assert "u heeft er 6 gekozen" in refused.get_data(as_text=True)

    def test_a_closed_period_says_when_and_refuses(
        self, portal: Portal, proef: int, schools: dict[str, int], csrf_token: Csrf,
        services: Services, clock: FixedClock,
    ) -> None:  # fmt: skip
        parent = logged_in_parent(portal, proef)
        today = clock.now().date()
        with services.uow() as uow:
            ended = Period(today - dt.timedelta(days=20), today - dt.timedelta(days=2))
            uow.settings.save_timeline(Timeline(registration=ended, registration_week=ended))
            uow.commit()
        page = parent.get("/ouders/aanmelden").get_data(as_text=True)
        assert "De aanmeldperiode is gesloten sinds" in page
        response = press(parent, csrf_token, f"toevoegen:{schools[NAMES[0]]}")
        assert response.status_code == 422
        assert "De aanmeldperiode is gesloten." in response.get_data(as_text=True)

    @pytest.mark.parametrize(
        "action", ["toevoegen:99999999999999", "springen:1", "toevoegen:-1", "omhoog:1\r\nX"]
    )
    def test_a_forged_button_gets_a_message(
        self, portal: Portal, proef: int, schools: dict[str, int], csrf_token: Csrf, action: str
    ) -> None:
        parent = logged_in_parent(portal, proef)
        response = press(parent, csrf_token, action)
        assert response.status_code == 422
        assert "Deze knop kennen we niet" in response.get_data(as_text=True)

    def test_a_foreign_school_id_is_no_school_of_this_procedure(
        self, portal: Portal, proef: int, schools: dict[str, int], csrf_token: Csrf, seeded: Any
    ) -> None:
        parent = logged_in_parent(portal, proef)
        response = press(parent, csrf_token, f"toevoegen:{seeded.school_id}")  # a PO school
        assert response.status_code == 422
        assert "Keuze 1 is geen school in deze procedure." in response.get_data(as_text=True)


class TestRegisteringAgain:
    def test_in_the_week_the_definitive_list_stays_until_the_new_one_is_definitive(
        self, portal: Portal, proef: int, schools: dict[str, int], csrf_token: Csrf,
        services: Services, clock: FixedClock,
    ) -> None:  # fmt: skip
        open_registration(services, clock, week=True)
        parent = logged_in_parent(portal, proef)
        _five(parent, csrf_token, schools)
        token = csrf_token(parent.get("/ouders/aanmelden/controleren"))
        parent.post("/ouders/aanmelden/definitief", data={"csrf_token": token})
        assert "Opnieuw aanmelden" in parent.get("/ouders/aanmelding").get_data(as_text=True)
        assert press(parent, csrf_token, f"omlaag:{schools[NAMES[0]]}").status_code == 302
        shown = parent.get("/ouders/aanmelding").get_data(as_text=True)
        assert "U werkt aan een nieuwe lijst" in shown
        assert "Uw kind is aangemeld bij Amstel Lyceum" in shown
        token = csrf_token(parent.get("/ouders/aanmelden/controleren"))
        parent.post("/ouders/aanmelden/definitief", data={"csrf_token": token})
        shown = parent.get("/ouders/aanmelding").get_data(as_text=True)
        assert "Uw kind is aangemeld bij Keizer Karel College" in shown
        assert "Eerdere aanmeldingen" in shown
        assert len([m for m in portal.mail() if m.subject == "Aanmelding van Proef ontvangen"]) == 2

    def test_the_new_list_can_be_thrown_away(
        self, portal: Portal, proef: int, schools: dict[str, int], csrf_token: Csrf,
        services: Services, clock: FixedClock,
    ) -> None:  # fmt: skip
        open_registration(services, clock, week=True)
        parent = logged_in_parent(portal, proef)
        _five(parent, csrf_token, schools)
        token = csrf_token(parent.get("/ouders/aanmelden/controleren"))
        parent.post("/ouders/aanmelden/definitief", data={"csrf_token": token})
        press(parent, csrf_token, f"verwijderen:{schools[NAMES[0]]}")
        token = csrf_token(parent.get("/ouders/aanmelding"))
        assert parent.post("/ouders/aanmelden/terug", data={"csrf_token": token}).status_code == 302
        shown = parent.get("/ouders/aanmelding").get_data(as_text=True)
        assert "U werkt aan een nieuwe lijst" not in shown
        assert "Nieuwe lijst weggooien" not in shown


class TestTheClaim:
    def test_the_parent_sees_the_vo_schools_judgement_with_its_reason(
        self, portal: Portal, proef: int, schools: dict[str, int], csrf_token: Csrf,
        services: Services,
    ) -> None:  # fmt: skip
        parent = logged_in_parent(portal, proef)
        _five(parent, csrf_token, schools)
        claim = {"opties": "1", "voorrang": "broer_zus", "voorrang_naam": "Ada Jansen",
                 "voorrang_klas": "2b"}  # fmt: skip
        assert press(parent, csrf_token, "volgende", **claim).status_code == 302
        token = csrf_token(parent.get("/ouders/aanmelden/controleren"))
        parent.post("/ouders/aanmelden/definitief", data={"csrf_token": token})
        shown = parent.get("/ouders/aanmelding").get_data(as_text=True)
        assert "beoordeelt nog of uw kind voorrang krijgt" in shown
        with services.uow() as uow:
            found = uow.registrations.for_pupil(proef, "amstelland")
            assert found is not None
            reason = "Geen broer of zus gevonden in klas 2b."
            uow.registrations.update(attrs.evolve(found, priority_granted=False,
                                                  priority_reason=reason))  # fmt: skip
            uow.commit()
        shown = parent.get("/ouders/aanmelding").get_data(as_text=True)
        assert "geeft uw kind geen voorrang" in shown
        assert "Toelichting van de school: Geen broer of zus gevonden in klas 2b." in shown


class TestTheAmsterdamRoute:
    def test_the_ouderinlog_amsterdam_leads_to_a_registration_by_the_amsterdam_rules(
        self, portal: Portal, proef: int, schools: dict[str, int], csrf_token: Csrf
    ) -> None:
        url = f"/leerlingen/{proef}/ouderinlog?portaal=amsterdam"
        page = portal.teacher.get(url)
        assert "ouderportaal ELK Amsterdam" in page.get_data(as_text=True)
        data = {"csrf_token": csrf_token(page), "portaal": "amsterdam"}
        assert portal.teacher.post(url, data=data).status_code == 302
        mail = portal.mail()[-1]
        assert "ouderportaal ELK Amsterdam" in mail.body
        link = portal.last_link()  # followed as it stands in the mail
        assert portal.set_password(link, "amsterdams wachtwoord").status_code == 302
        parent, answer = portal.log_in(portal.elk_number(proef), "amsterdams wachtwoord")
        assert answer.headers["Location"] == "/ouders/"
        shown = parent.get("/ouders/aanmelden").get_data(as_text=True)
        # Amsterdam asks at least 12 schools for havo; this region has six that fit: all six
        assert "Kies minimaal 6 scholen" in shown
        assert press(parent, csrf_token, f"toevoegen:{schools[NAMES[0]]}").status_code == 302
        pdf = parent.get("/ouders/aanmelding.pdf")
        assert pdf.status_code == 200  # the form of the Amsterdam registration
        with portal.services.uow() as uow:
            found = uow.registrations.for_pupil(proef, "amsterdam")
            assert found is not None
            assert uow.registrations.for_pupil(proef, "amstelland") is None
            assert uow.pupils.get(proef).parent_login_amsterdam.value == "aanmelding_gestart"


class TestThePdf:
    def test_the_parent_downloads_the_registration_of_the_own_child(
        self, portal: Portal, proef: int, schools: dict[str, int], csrf_token: Csrf
    ) -> None:
        parent = logged_in_parent(portal, proef)
        _five(parent, csrf_token, schools)
        token = csrf_token(parent.get("/ouders/aanmelden/controleren"))
        parent.post("/ouders/aanmelden/definitief", data={"csrf_token": token})
        pdf = parent.get("/ouders/aanmelding.pdf")
        assert pdf.status_code == 200
        assert pdf.mimetype == "application/pdf"
        assert pdf.headers["Cache-Control"] == "no-store"
        assert pdf.data.startswith(b"%PDF")
