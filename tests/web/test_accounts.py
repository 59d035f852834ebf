"""Staff accounts through the web: invite, reset, 2FA, throttling, sessions, impersonation."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services
from elk_domain.accounts.auth import LOGIN_FAILED
from elk_domain.accounts.passwords import RESET_SENT
from elk_domain.testing import FixedClock
from elk_web import create_app

if TYPE_CHECKING:
    from tests.web.conftest import (
        CsrfHelper,
        DeliveredMail,
        LoginHelper,
        LogoutHelper,
        Staff,
        StaffLoginHelper,
    )

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "een nieuw en lang wachtwoord"
_LINK = re.compile(r"http://\S+/account/wachtwoord-instellen/(\S+)")


def link_path(delivered_mail: DeliveredMail) -> str:
    """The set-password link in the last mail delivered (through SMTP to the capture)."""
    match = _LINK.search(delivered_mail()[-1].body)
    assert match, "no set-password link in the last mail"
    return f"/account/wachtwoord-instellen/{match.group(1)}"


def is_anonymous(client: FlaskClient) -> bool:
    response = client.get("/")
    return response.status_code == 302 and "/inloggen" in response.headers["Location"]


def send_code(client: FlaskClient, csrf: CsrfHelper, code: str) -> int:
    token = csrf(client.get("/account/inloggen/code"))
    response = client.post("/account/inloggen/code", data={"code": code, "csrf_token": token})
    return response.status_code


def set_password(
    client: FlaskClient, path: str, csrf: CsrfHelper, password: str, repeat: str
) -> TestResponse:
    token = csrf(client.get(path))
    return client.post(path, data={"password": password, "repeat": repeat, "csrf_token": token})


class TestInvite:
    def test_new_user_gets_an_invite_and_sets_a_password_twice(
        self,
        client: FlaskClient,
        delivered_mail: DeliveredMail,
        staff: Staff,
        login_staff: StaffLoginHelper,
        login: LoginHelper,
        logout: LogoutHelper,
        csrf_token: CsrfHelper,
    ) -> None:
        login_staff(client, staff.school_admin.email)
        token = csrf_token(client.get("/beheer/gebruikers/nieuw"))
        response = client.post(
            "/beheer/gebruikers/nieuw",
            data={
                "naam": "Noor Nieuw",
                "email": "noor@regenboog.test",
                "organisatie": "po",
                "rol": "invoeren_accorderen",
                "school": str(staff.school_id),
                "csrf_token": token,
            },
        )
        assert response.status_code == 302
        invite = delivered_mail()[-1]
        assert invite.to == "noor@regenboog.test"
        assert "gebruikersnaam is uw e-mailadres: noor@regenboog.test" in invite.body
        path = link_path(delivered_mail)
        logout(client)

        page = client.get(path).get_data(as_text=True)
        assert "noor@regenboog.test" in page
        mismatch = set_password(client, path, csrf_token, NEW_PASSWORD, NEW_PASSWORD + "x")
        assert mismatch.status_code == 422
        assert "De twee wachtwoorden zijn niet gelijk." in mismatch.get_data(as_text=True)
        done = set_password(client, path, csrf_token, NEW_PASSWORD, NEW_PASSWORD)
        assert done.headers["Location"] == "/inloggen"
        assert "Uw gebruikersnaam voor" in delivered_mail()[-1].subject
        assert login(client, "noor@regenboog.test", NEW_PASSWORD).headers["Location"] == "/"

    def test_a_school_admin_cannot_create_another_school_admin(
        self,
        client: FlaskClient,
        staff: Staff,
        login_staff: StaffLoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:
        login_staff(client, staff.school_admin.email)
        token = csrf_token(client.get("/beheer/gebruikers/nieuw"))
        response = client.post(
            "/beheer/gebruikers/nieuw",
            data={"naam": "X", "email": "x@regenboog.test", "organisatie": "po",
                  "rol": "beheerder", "school": str(staff.school_id), "csrf_token": token},
        )  # fmt: skip
        assert response.status_code == 403


class TestLinks:
    def _reset_link(
        self, client: FlaskClient, delivered_mail: DeliveredMail, csrf: CsrfHelper, email: str
    ) -> str:
        token = csrf(client.get("/account/wachtwoord-vergeten"))
        client.post("/account/wachtwoord-vergeten", data={"email": email, "csrf_token": token})
        return link_path(delivered_mail)

    def test_forgot_password_answers_the_same_for_unknown_addresses(
        self,
        client: FlaskClient,
        delivered_mail: DeliveredMail,
        staff: Staff,
        csrf_token: CsrfHelper,
    ) -> None:
        answers = []
        for email in (staff.teacher.email, "niemand@elk.test"):
            token = csrf_token(client.get("/account/wachtwoord-vergeten"))
            response = client.post(
                "/account/wachtwoord-vergeten", data={"email": email, "csrf_token": token}
            )
            answers.append((response.status_code, RESET_SENT in response.get_data(as_text=True)))
        assert answers == [(200, True), (200, True)]
        assert [m.to for m in delivered_mail()] == [staff.teacher.email]

    def test_a_reset_link_works_once_and_ends_old_sessions(
        self,
        app: Flask,
        client: FlaskClient,
        delivered_mail: DeliveredMail,
        staff: Staff,
        login: LoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:
        other_device = app.test_client()
        login(other_device, staff.teacher.email)
        path = self._reset_link(client, delivered_mail, csrf_token, staff.teacher.email)
        assert set_password(client, path, csrf_token, NEW_PASSWORD, NEW_PASSWORD).status_code == 302
        assert is_anonymous(other_device)
        token = csrf_token(client.get("/inloggen"))
        other = "nog een ander wachtwoord"
        again = client.post(path, data={"password": other, "repeat": other, "csrf_token": token})
        assert again.status_code == 422
        assert "ongeldig, al gebruikt of verlopen" in again.get_data(as_text=True)
        assert login(client, staff.teacher.email, NEW_PASSWORD).status_code == 302

    def test_a_reset_link_expires_after_two_hours(
        self, client: FlaskClient, delivered_mail: DeliveredMail, staff: Staff, clock: FixedClock,
        csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        path = self._reset_link(client, delivered_mail, csrf_token, staff.teacher.email)
        clock.advance(dt.timedelta(hours=2, seconds=1))
        assert client.get(path).status_code == 422

    def test_a_newer_link_revokes_the_older_one(
        self,
        client: FlaskClient,
        delivered_mail: DeliveredMail,
        staff: Staff,
        csrf_token: CsrfHelper,
    ) -> None:
        first = self._reset_link(client, delivered_mail, csrf_token, staff.teacher.email)
        self._reset_link(client, delivered_mail, csrf_token, staff.teacher.email)
        assert client.get(first).status_code == 422


class TestThrottling:
    def test_wrong_passwords_slow_down_the_account_then_let_the_owner_back_in(
        self, client: FlaskClient, staff: Staff, clock: FixedClock, login: LoginHelper
    ) -> None:
        for _ in range(5):
            assert login(client, staff.teacher.email, "fout").status_code == 422
        refused = login(client, staff.teacher.email)
        assert refused.status_code == 429
        assert "Te veel mislukte pogingen" in refused.get_data(as_text=True)
        clock.advance(dt.timedelta(seconds=16))
        assert login(client, staff.teacher.email).headers["Location"] == "/"

    def test_throttle_state_lives_in_the_database_not_the_process(
        self, app: Flask, services: Services, staff: Staff, login: LoginHelper
    ) -> None:
        for _ in range(5):
            login(app.test_client(), staff.teacher.email, "fout")
        second_process = create_app(services.settings, services)
        assert login(second_process.test_client(), staff.teacher.email).status_code == 429

    def test_an_unknown_address_is_throttled_like_a_known_one(
        self, client: FlaskClient, staff: Staff, login: LoginHelper
    ) -> None:
        statuses = [login(client, "niemand@elk.test", "fout").status_code for _ in range(6)]
        assert statuses == [422] * 5 + [429]
        assert LOGIN_FAILED not in login(client, "niemand@elk.test").get_data(as_text=True)


class TestSecondFactor:
    def test_the_code_step_comes_after_the_password_and_rotates_the_session(
        self, client: FlaskClient, staff: Staff, clock: FixedClock, password_step: LoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        client.get("/inloggen")
        with client.session_transaction() as session:
            session["planted"] = "by an attacker"
        response = password_step(client, staff.school_admin.email)
        assert response.headers["Location"] == "/account/inloggen/code"
        assert is_anonymous(client)
        client.get("/account/inloggen/code")  # (is_anonymous sent us away; the pending stays)
        code = pyotp.TOTP(staff.school_admin.totp_secret or "").at(clock.now())
        token = csrf_token(client.get("/account/inloggen/code"))
        done = client.post("/account/inloggen/code", data={"code": code, "csrf_token": token})
        assert done.headers["Location"] == "/"
        with client.session_transaction() as session:
            assert "planted" not in session
            assert session["_user_id"] == str(staff.school_admin.id)

    def test_a_code_cannot_be_replayed(
        self, app: Flask, staff: Staff, clock: FixedClock, password_step: LoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        code = pyotp.TOTP(staff.school_admin.totp_secret or "").at(clock.now())
        statuses = []
        for _ in range(2):
            client = app.test_client()
            password_step(client, staff.school_admin.email)
            statuses.append(send_code(client, csrf_token, code))
        assert statuses == [302, 422]

    def test_required_roles_link_an_app_at_first_login_and_get_recovery_codes(
        self, app: Flask, client: FlaskClient, services: Services, staff: Staff,
        clock: FixedClock, password_step: LoginHelper, csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        with services.uow() as uow:
            import attrs

            user = uow.users.get(staff.board_contact.id)
            uow.users.update(attrs.evolve(user, totp_secret=None))
            uow.commit()
        assert (
            password_step(client, staff.board_contact.email).headers["Location"]
            == "/account/tweestapsverificatie"
        )
        page = client.get("/account/tweestapsverificatie").get_data(as_text=True)
        found = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page)
        assert found
        secret = found.group(1).replace(" ", "")
        token = csrf_token(client.get("/account/tweestapsverificatie"))
        shown = client.post(
            "/account/tweestapsverificatie",
            data={"code": pyotp.TOTP(secret).at(clock.now()), "csrf_token": token},
        ).get_data(as_text=True)
        codes = re.findall(r"<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>", shown)
        assert len(codes) == 10
        assert client.get("/").status_code == 200

        other = app.test_client()
        password_step(other, staff.board_contact.email)
        assert send_code(other, csrf_token, codes[0]) == 302
        third = app.test_client()
        password_step(third, staff.board_contact.email)
        assert send_code(third, csrf_token, codes[0]) == 422

    def test_an_end_user_may_log_in_without_2fa(
        self, client: FlaskClient, staff: Staff, password_step: LoginHelper
    ) -> None:
        assert password_step(client, staff.colleague.email).headers["Location"] == "/"


class TestSessions:
    def test_disabling_an_account_ends_its_live_session(
        self, app: Flask, staff: Staff, login: LoginHelper, login_staff: StaffLoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        teacher = app.test_client()
        login(teacher, staff.colleague.email)
        admin = app.test_client()
        login_staff(admin, staff.school_admin.email)
        page = admin.get(f"/beheer/gebruikers/{staff.colleague.id}")
        response = admin.post(
            f"/beheer/gebruikers/{staff.colleague.id}",
            data={"naam": staff.colleague.display_name, "rol": "invoeren_accorderen",
                  "versie": str(staff.colleague.version), "csrf_token": csrf_token(page)},
        )  # fmt: skip
        assert response.status_code == 302
        assert is_anonymous(teacher)

    def test_a_role_change_ends_the_users_sessions(
        self, app: Flask, staff: Staff, login: LoginHelper, login_staff: StaffLoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        teacher = app.test_client()
        login(teacher, staff.colleague.email)
        contact = app.test_client()
        login_staff(contact, staff.board_contact.email)
        page = contact.get(f"/beheer/gebruikers/{staff.colleague.id}")
        contact.post(
            f"/beheer/gebruikers/{staff.colleague.id}",
            data={"naam": staff.colleague.display_name, "rol": "beheerder", "actief": "1",
                  "versie": str(staff.colleague.version), "csrf_token": csrf_token(page)},
        )  # fmt: skip
        assert is_anonymous(teacher)

    def test_changing_the_own_password_rotates_the_session(
        self, app: Flask, client: FlaskClient, staff: Staff, login: LoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        other_device = app.test_client()
        login(other_device, staff.colleague.email)
        login(client, staff.colleague.email)
        before = client.get_cookie("elk_session")
        token = csrf_token(client.get("/account/instellingen"))
        response = client.post(
            "/account/instellingen/wachtwoord",
            data={"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD,
                  "csrf_token": token},
        )  # fmt: skip
        assert response.status_code == 302
        assert client.get("/").status_code == 200
        assert is_anonymous(other_device)
        assert before is not None
        other_device.set_cookie("elk_session", before.value)
        assert is_anonymous(other_device)


class TestImpersonation:
    def test_board_contact_logs_in_as_a_user_with_a_banner_and_an_audit_trail(
        self, app: Flask, client: FlaskClient, staff: Staff, login: LoginHelper,
        login_staff: StaffLoginHelper, logout: LogoutHelper, csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        colleague = app.test_client()
        login(colleague, staff.colleague.email)
        login_staff(client, staff.board_contact.email)
        token = csrf_token(client.get("/beheer/gebruikers/"))
        client.post(
            f"/beheer/gebruikers/{staff.colleague.id}/inloggen-als", data={"csrf_token": token}
        )
        home = client.get("/").get_data(as_text=True)
        assert "u bent ingelogd als Bram Bakker" in home
        assert client.get("/account/instellingen").status_code == 200
        token = csrf_token(client.get("/account/instellingen"))
        assert (
            client.post(
                "/account/instellingen/naam", data={"name": "Gekaapt", "csrf_token": token}
            ).status_code
            == 403
        )
        stolen = client.get_cookie("elk_session")
        logout(client)
        assert is_anonymous(client)
        assert stolen is not None
        client.set_cookie("elk_session", stolen.value)
        assert is_anonymous(client)
        assert colleague.get("/").status_code == 200  # the user's own session is untouched

        admin = app.test_client()
        login_staff(admin, staff.school_admin.email)
        log = admin.get("/beheer/logboek/").get_data(as_text=True)
        assert "inloggen als gestart" in log
        assert "inloggen als beeindigd" in log
        assert "ingelogd als Bram Bakker" in log


class TestGroups:
    def test_a_linked_teacher_sees_only_the_groups_pupils(
        self, app: Flask, client: FlaskClient, staff: Staff, login: LoginHelper,
        login_staff: StaffLoginHelper, csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        teacher = app.test_client()
        login(teacher, staff.colleague.email)
        assert teacher.get(f"/leerlingen/{staff.other_group_pupil_id}/oki-doc").status_code == 200
        login_staff(client, staff.school_admin.email)
        token = csrf_token(client.get("/beheer/groepen/"))
        created = client.post("/beheer/groepen/", data={"naam": "8c", "csrf_token": token})
        edit = created.headers["Location"]
        token = csrf_token(client.get(edit))
        saved = client.post(
            edit,
            data={"naam": "8c", "leerling": str(staff.pupil_id),
                  "contactpersoon": str(staff.colleague.id), "csrf_token": token},
        )  # fmt: skip
        assert saved.status_code == 302
        assert teacher.get(f"/leerlingen/{staff.pupil_id}/oki-doc").status_code == 200
        assert teacher.get(f"/leerlingen/{staff.other_group_pupil_id}/oki-doc").status_code == 404

    def test_a_duplicate_group_name_is_refused_with_a_message(
        self, client: FlaskClient, staff: Staff, login_staff: StaffLoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        login_staff(client, staff.school_admin.email)
        token = csrf_token(client.get("/beheer/groepen/"))
        response = client.post("/beheer/groepen/", data={"naam": "8A", "csrf_token": token})
        assert response.status_code == 422
        assert "Deze school heeft al een groep" in response.get_data(as_text=True)


class TestSchools:
    @pytest.mark.parametrize(("who", "offered"), [("admin", True), ("board_contact", False)])
    def test_only_who_may_manage_the_region_is_offered_a_new_school(
        self, client: FlaskClient, staff: Staff, login_staff: StaffLoginHelper, who: str,
        offered: bool,
    ) -> None:  # fmt: skip
        """The template asks the policy (MANAGE_REGION), not the role name."""
        login_staff(client, getattr(staff, who).email)
        page = client.get("/beheer/scholen").get_data(as_text=True)
        assert ("School toevoegen" in page) is offered

    def test_the_school_form_names_every_missing_field(
        self, client: FlaskClient, staff: Staff, login_staff: StaffLoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        login_staff(client, staff.admin.email)
        token = csrf_token(client.get("/beheer/scholen/nieuw"))
        response = client.post(
            "/beheer/scholen/nieuw",
            data={
                "board_id": str(staff.board_id),
                "kind": "po",
                "name": "Nieuw",
                "csrf_token": token,
            },
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        labels = ("de officiële naam", "het schooltype", "de straat", "het huisnummer",
                  "de postcode", "de plaats", "het BRIN-nummer", "de vestigingscode")  # fmt: skip
        for label in labels:
            assert f"Vul {label} in." in page
        assert "Vul de naam in." not in page

    def test_a_board_contact_edits_a_school_of_the_board(
        self, client: FlaskClient, staff: Staff, login_staff: StaffLoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        login_staff(client, staff.board_contact.email)
        page = client.get(f"/beheer/scholen/{staff.school_id}")
        form = {
            "board_id": str(staff.board_id), "kind": "po", "versie": "1",
            "official_name": "De Regenboog", "name": "De Regenboog", "school_type": "Basisschool",
            "street": "Schoolstraat", "house_number": "2", "postcode": "1181 AB",
            "city": "Amstelveen", "brin": "12AB", "vestiging": "00", "director": "Dirk Directeur",
            "csrf_token": csrf_token(page),
        }  # fmt: skip
        assert client.post(f"/beheer/scholen/{staff.school_id}", data=form).status_code == 302
        assert "Dirk Directeur" in client.get(f"/beheer/scholen/{staff.school_id}").get_data(
            as_text=True
        )
