"""VO accounts in the web app (issue 15 item 1): the VO administrator is invited like PO staff
(real SMTP capture), sets a password, links an authenticator app (2FA is required: they manage
users) and invites a VO user; the VO menu; the school's first-choice options and capacity; the
region's overview of the VO registrations.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pyotp
from flask.testing import FlaskClient
from tests.web.vo_world import (
    REGISTRATIONS,
    add_vo_admin,
    menu_labels,
    register_two_at_the_vo_school,
)
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import Role
from elk_domain.organisation.model import Timeline
from elk_domain.testing import FixedClock

if TYPE_CHECKING:
    from tests.web.conftest import (
        CsrfHelper,
        DeliveredMail,
        LoginHelper,
        LogoutHelper,
        Staff,
        StaffLoginHelper,
    )


NEW_PASSWORD = "een nieuw en lang wachtwoord"


_LINK = re.compile(r"http://\S+(/account/wachtwoord-instellen/\S+)")


_SECRET = re.compile(r'id="totp-secret">([A-Z2-7 ]+)<')


def _invite(
    client: FlaskClient, csrf: CsrfHelper, name: str, email: str, role: str, school_id: int
) -> TestResponse:
    token = csrf(client.get("/beheer/gebruikers/nieuw"))
    data = {"naam": name, "email": email, "rol": role, "organisatie": "vo",
            "school": str(school_id), "csrf_token": token}  # fmt: skip
    return client.post("/beheer/gebruikers/nieuw", data=data)


def _accept(
    client: FlaskClient, csrf: CsrfHelper, delivered: DeliveredMail, email: str
) -> TestResponse:
    """Follow the invite in the mail the capture received, set the password, log in."""
    mail = delivered()[-1]
    assert mail.to == email
    match = _LINK.search(mail.body)
    assert match, mail.body
    token = csrf(client.get(match.group(1)))
    data = {"password": NEW_PASSWORD, "repeat": NEW_PASSWORD, "csrf_token": token}
    assert client.post(match.group(1), data=data).status_code == 302
    token = csrf(client.get("/inloggen"))
    data = {"email": email, "password": NEW_PASSWORD, "csrf_token": token}
    return client.post("/inloggen", data=data)


class TestVoAccounts:
    def test_a_vo_administrator_is_invited_links_2fa_and_invites_a_vo_user(
        self, client: FlaskClient, services: Services, staff: Staff, clock: FixedClock,
        login_staff: StaffLoginHelper, logout: LogoutHelper, csrf_token: CsrfHelper,
        delivered_mail: DeliveredMail,
    ) -> None:  # fmt: skip
        login_staff(client, staff.admin.email)
        created = _invite(client, csrf_token, "Vince Beheer", "beheer@lyceum.test", "beheerder",
                          staff.vo_school_id)  # fmt: skip
        assert created.status_code == 302
        logout(client)

        signed_in = _accept(client, csrf_token, delivered_mail, "beheer@lyceum.test")
        assert signed_in.headers["Location"] == "/account/tweestapsverificatie"
        found = _SECRET.search(client.get("/account/tweestapsverificatie").get_data(as_text=True))
        assert found, "no secret on the enrolment page"
        clock.advance(dt.timedelta(seconds=30))
        code = pyotp.TOTP(found.group(1).replace(" ", "")).at(clock.now())
        token = csrf_token(client.get("/account/tweestapsverificatie"))
        enrolled = client.post(
            "/account/tweestapsverificatie", data={"code": code, "csrf_token": token}
        )
        assert enrolled.status_code == 200  # the recovery codes

        home = client.get("/").get_data(as_text=True)
        assert menu_labels(home)[:1] == ["Aanmeldingen"]
        assert "Leerlingen" not in menu_labels(home)
        assert {"Gebruikers", "Scholen"} <= set(menu_labels(home))
        form = client.get("/beheer/gebruikers/nieuw").get_data(as_text=True)
        assert 'value="beheerder"' not in form  # only VO users below a VO administrator
        invited = _invite(client, csrf_token, "Dirk Decaan", "decaan@lyceum.test",
                          "invoeren_accorderen", staff.vo_school_id)  # fmt: skip
        assert invited.status_code == 302
        assert delivered_mail()[-1].to == "decaan@lyceum.test"
        with services.uow() as uow:
            roles = {u.email: u.role for u in uow.users.list(school_id=staff.vo_school_id)}
        assert roles["beheer@lyceum.test"] is Role.VO_ADMIN
        assert roles["decaan@lyceum.test"] is Role.VO_USER

    def test_a_vo_administrator_cannot_place_users_at_a_po_school(
        self, client: FlaskClient, services: Services, staff: Staff, login_staff: StaffLoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        vo_admin = add_vo_admin(services, staff)
        login_staff(client, vo_admin)
        refused = _invite(client, csrf_token, "X", "x@regenboog.test", "invoeren_accorderen",
                          staff.school_id)  # fmt: skip
        assert refused.status_code == 404


class TestVoMenu:
    def test_the_vo_user_s_menu_leads_to_the_registrations_not_to_a_404(
        self, client: FlaskClient, staff: Staff, login: LoginHelper
    ) -> None:
        login(client, staff.vo_user.email)
        menu = menu_labels(client.get("/").get_data(as_text=True))
        assert "Aanmeldingen" in menu
        assert "Leerlingen" not in menu
        assert client.get(REGISTRATIONS).status_code == 200

    def test_po_staff_have_no_registrations_menu_and_may_not_open_it(
        self, client: FlaskClient, staff: Staff, login_staff: StaffLoginHelper,
        logout: LogoutHelper,
    ) -> None:  # fmt: skip
        for email in (staff.teacher.email, staff.school_admin.email):
            login_staff(client, email)
            assert "Aanmeldingen" not in menu_labels(client.get("/").get_data(as_text=True))
            assert client.get(REGISTRATIONS).status_code == 403
            logout(client)


class TestSchoolOptions:
    def test_the_functional_admin_sets_the_first_choice_options(
        self, client: FlaskClient, services: Services, staff: Staff,
        login_staff: StaffLoginHelper, csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        login_staff(client, staff.admin.email)
        url = f"/beheer/scholen/{staff.vo_school_id}"
        page = client.get(url)
        assert 'name="voorrang"' in page.get_data(as_text=True)
        with services.uow() as uow:
            school = uow.schools.get(staff.vo_school_id)
        form = {
            "board_id": str(school.board_id), "kind": "vo", "versie": str(school.version),
            "official_name": school.official_name, "name": school.name,
            "school_type": school.school_type, "street": school.address.street,
            "house_number": school.address.house_number, "postcode": school.address.postcode,
            "city": school.address.city, "brin": school.location.brin,
            "vestiging": school.location.vestiging, "niveau_HAVO": "1", "capaciteit_HAVO": "90",
            "voorrang": "1", "csrf_token": csrf_token(page),
        }  # fmt: skip
        assert client.post(url, data=form).status_code == 302
        with services.uow() as uow:
            saved = uow.schools.get(staff.vo_school_id)
        assert (saved.offers_priority, saved.offers_equivalent_level) == (True, False)
        assert saved.capacity == {Level.HAVO: 90}


class TestCapacity:
    def test_the_vo_administrator_sets_capacity_until_the_deadline(
        self, client: FlaskClient, services: Services, staff: Staff,
        login_staff: StaffLoginHelper, csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        login_staff(client, add_vo_admin(services, staff))
        url = f"/beheer/scholen/{staff.vo_school_id}"

        def post(seats: str) -> TestResponse:
            page = client.get(url)
            with services.uow() as uow:
                school = uow.schools.get(staff.vo_school_id)
            form = {
                "board_id": str(school.board_id), "kind": "vo", "versie": str(school.version),
                "official_name": school.official_name, "name": school.name,
                "school_type": school.school_type, "street": school.address.street,
                "house_number": school.address.house_number,
                "postcode": school.address.postcode, "city": school.address.city,
                "brin": school.location.brin, "vestiging": school.location.vestiging,
                "niveau_HAVO": "1", "capaciteit_HAVO": seats, "gelijkwaardig": "1",
                "csrf_token": csrf_token(page),
            }  # fmt: skip
            return client.post(url, data=form)

        def deadline(days: int) -> None:
            with services.uow() as uow:
                day = services.clock.now().date() + dt.timedelta(days=days)
                uow.settings.save_timeline(Timeline(capacity_deadline=day))
                uow.commit()

        deadline(1)
        assert post("120").status_code == 302
        deadline(-1)
        refused = post("150")
        assert refused.status_code == 422
        assert "De capaciteit staat vast sinds" in refused.get_data(as_text=True)
        with services.uow() as uow:
            assert uow.schools.get(staff.vo_school_id).capacity == {Level.HAVO: 120}


class TestRegionOverview:
    def test_elk_beheer_sees_registrations_per_vo_school_against_capacity(
        self, client: FlaskClient, services: Services, staff: Staff,
        login_staff: StaffLoginHelper, logout: LogoutHelper,
    ) -> None:  # fmt: skip
        register_two_at_the_vo_school(services, staff)
        login_staff(client, staff.admin.email)
        home = client.get("/").get_data(as_text=True)
        assert "Aanmeldingen VO" in menu_labels(home)
        page = client.get("/vo/regio").get_data(as_text=True)
        assert re.search(r"havo</th><td>1</td><td>1</td>", page)
        assert re.search(r"vwo</th><td>1</td><td>niet ingesteld</td>", page)
        assert "(overaanmelding)" not in page
        logout(client)
        login_staff(client, staff.teacher.email)
        assert "Aanmeldingen VO" not in menu_labels(client.get("/").get_data(as_text=True))
        assert client.get("/vo/regio").status_code == 404

    def test_the_pupils_without_a_definitive_registration_per_primary_school(
        self, client: FlaskClient, services: Services, staff: Staff,
        login_staff: StaffLoginHelper, logout: LogoutHelper,
    ) -> None:  # fmt: skip
        register_two_at_the_vo_school(services, staff)  # Anna and "=HYPERLINK(1)"
        login_staff(client, staff.admin.email)
        assert "Leerlingen zonder definitieve aanmelding" in client.get("/vo/regio").get_data(
            as_text=True
        )
        page = client.get("/vo/regio/zonder-aanmelding").get_data(as_text=True)
        assert "Jansen, Bas" in page
        assert "Jansen, Cor" in page  # the other board's school: ELK beheer sees the region
        assert "Jansen, Anna" not in page
        assert "HYPERLINK" not in page
        logout(client)
        login_staff(client, staff.board_contact.email)
        page = client.get("/vo/regio/zonder-aanmelding").get_data(as_text=True)
        assert "Jansen, Bas" in page
        assert "Jansen, Cor" not in page  # not the board's
        logout(client)
        login_staff(client, staff.teacher.email)
        assert client.get("/vo/regio/zonder-aanmelding").status_code == 404
