"""The parents' portal (issue 14, item 1): activation by the link from the captured mail, login
with the ELK number, logout, "wachtwoord vergeten", re-sending from the row menu, and the status
dots in the school's overview. Real SQLite, real SMTP capture."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from tests.web.parents_world import (
    PASSWORD,
    Csrf,
    Portal,
    eligible,
    overview_row,
    portal,
    proef,
)

from elk_adapters.bootstrap import Services
from elk_adapters.logging import configure_logging
from elk_domain.pupils.model import ParentLoginStatus
from elk_domain.testing import FixedClock

__all__ = ["portal", "proef"]  # fixtures, used by name
S = ParentLoginStatus
pytestmark = pytest.mark.usefixtures("seeded")


class TestActivation:
    def test_the_link_in_the_mail_sets_the_password_and_the_elk_number_logs_in(
        self, portal: Portal, proef: int
    ) -> None:
        link = portal.send_login(proef)
        number = portal.elk_number(proef)
        [mail] = portal.mail()
        assert mail.to == "ouder.proef@example.nl"
        assert "/ouders/inloggen met de gebruikersnaam" in mail.body.replace("\n", " ")
        assert number in mail.body

        form = portal.new_client().get(link).get_data(as_text=True)
        assert number in form
        assert "Proef" in form
        assert 'src="/static/password_strength.js"' in form
        response = portal.set_password(link)
        assert response.status_code == 302
        assert response.headers["Location"] == f"/ouders/inloggen?elk={number}"
        assert portal.status(proef) is S.ACTIVATED

        parent, response = portal.log_in(number)
        assert response.status_code == 302
        assert response.headers["Location"] == "/ouders/"
        home = parent.get("/ouders/").get_data(as_text=True)
        assert "Proef Jansen" in home
        assert "Uitloggen" in home

    def test_the_link_works_once(self, portal: Portal, proef: int) -> None:
        link = portal.send_login(proef)
        assert portal.set_password(link).status_code == 302
        again = portal.new_client().get(link)
        assert again.status_code == 422
        assert "ongeldig, al gebruikt of verlopen" in again.get_data(as_text=True)

    def test_an_expired_link_is_refused(
        self, portal: Portal, proef: int, clock: FixedClock
    ) -> None:
        link = portal.send_login(proef)
        clock.advance(dt.timedelta(days=31))
        assert portal.new_client().get(link).status_code == 422
        assert portal.status(proef) is S.SENT

    def test_two_different_passwords_are_refused_and_named(
        self, portal: Portal, proef: int, csrf_token: Csrf
    ) -> None:
        link = portal.send_login(proef)
        parent = portal.new_client()
        data = {"wachtwoord": PASSWORD, "herhaling": "iets anders", "csrf_token": ""}
        data["csrf_token"] = csrf_token(parent.get(link))
        response = parent.post(link, data=data)
        assert response.status_code == 422
        assert "De twee wachtwoorden zijn niet gelijk." in response.get_data(as_text=True)
        assert portal.status(proef) is S.SENT


class TestLogin:
    def test_a_wrong_password_says_so_without_telling_which_field(
        self, portal: Portal, proef: int
    ) -> None:
        portal.set_password(portal.send_login(proef))
        _, response = portal.log_in(portal.elk_number(proef), "verkeerd wachtwoord")
        assert response.status_code == 422
        assert "ELK-nummer of wachtwoord onjuist." in response.get_data(as_text=True)

    def test_an_absurdly_long_number_is_a_failed_login_not_a_crash(
        self, portal: Portal, proef: int
    ) -> None:
        """Found by the POST fuzz: 300 digits overflowed SQLite's INTEGER (a 500)."""
        _, response = portal.log_in("9" * 300)
        assert response.status_code == 422
        assert "ELK-nummer of wachtwoord onjuist." in response.get_data(as_text=True)

    def test_the_sixth_wrong_try_has_to_wait_as_for_staff(self, portal: Portal, proef: int) -> None:
        portal.set_password(portal.send_login(proef))
        number = portal.elk_number(proef)
        for n in range(5):
            assert portal.log_in(number, f"fout {n}")[1].status_code == 422
        _, response = portal.log_in(number)
        assert response.status_code == 429
        assert "Te veel mislukte pogingen" in response.get_data(as_text=True)

    def test_logout_ends_the_session_and_a_copied_cookie_dies_with_it(
        self, portal: Portal, proef: int, csrf_token: Csrf
    ) -> None:
        portal.set_password(portal.send_login(proef))
        parent, _ = portal.log_in(portal.elk_number(proef))
        cookie = parent.get_cookie("elk_session")
        assert cookie is not None
        thief = portal.new_client()
        thief.set_cookie("elk_session", cookie.value)
        assert thief.get("/ouders/").status_code == 200
        token = csrf_token(parent.get("/ouders/"))
        response = parent.post("/ouders/uitloggen", data={"csrf_token": token})
        assert response.headers["Location"] == "/ouders/inloggen"
        assert thief.get("/ouders/").headers["Location"].startswith("/ouders/inloggen")

    def test_the_staff_login_points_parents_to_their_own(self, client: FlaskClient) -> None:
        page = client.get("/inloggen").get_data(as_text=True)
        assert 'href="/ouders/inloggen"' in page

    def test_anonymous_visitors_are_sent_to_the_parents_login(self, client: FlaskClient) -> None:
        response = client.get("/ouders/")
        assert response.status_code == 302
        assert response.headers["Location"] == "/ouders/inloggen?next=/ouders/"


class TestForgotPassword:
    def test_the_reset_link_goes_to_the_first_parent_and_the_old_link_dies(
        self, portal: Portal, proef: int, csrf_token: Csrf
    ) -> None:
        old = portal.send_login(proef)
        visitor = portal.new_client()
        token = csrf_token(visitor.get("/ouders/wachtwoord-vergeten"))
        number = portal.elk_number(proef)
        page = visitor.post(
            "/ouders/wachtwoord-vergeten", data={"elk_nummer": number, "csrf_token": token}
        ).get_data(as_text=True)
        assert "Als dit ELK-nummer bekend is" in page
        mail = portal.mail()[-1]
        assert mail.to == "ouder.proef@example.nl"
        new = portal.last_link()
        assert new != old
        assert portal.new_client().get(old).status_code == 422
        assert portal.set_password(new).status_code == 302
        assert portal.log_in(number)[1].headers["Location"] == "/ouders/"

    def test_an_unknown_number_gets_the_same_answer_and_no_mail(
        self, portal: Portal, proef: int, csrf_token: Csrf
    ) -> None:
        portal.send_login(proef)
        before = len(portal.mail())
        visitor = portal.new_client()
        token = csrf_token(visitor.get("/ouders/wachtwoord-vergeten"))
        page = visitor.post(
            "/ouders/wachtwoord-vergeten", data={"elk_nummer": "999999", "csrf_token": token}
        ).get_data(as_text=True)
        assert "Als dit ELK-nummer bekend is" in page
        assert len(portal.mail()) == before


class TestResendAndOverview:
    def test_the_overview_shows_white_blue_and_green(self, portal: Portal, proef: int) -> None:
        def cell() -> str:
            return overview_row(portal.teacher.get("/leerlingen/").get_data(as_text=True), proef)

        assert 'class="dot dot--white"' in cell()
        assert "Niet verstuurd" in cell()
        link = portal.send_login(proef)
        assert 'class="dot dot--blue"' in cell()
        assert "Verstuurd" in cell()
        portal.set_password(link)
        assert 'class="dot dot--green"' in cell()
        assert "Geactiveerd" in cell()

    def test_sending_again_from_the_row_menu_kills_the_old_link(
        self, portal: Portal, proef: int
    ) -> None:
        old = portal.send_login(proef)
        page = portal.teacher.get(f"/leerlingen/{proef}/ouderinlog").get_data(as_text=True)
        assert "De ouderinlog is al verstuurd." in page
        assert "Ouderinlog opnieuw versturen" in page
        new = portal.send_login(proef)
        assert new != old
        assert portal.new_client().get(old).status_code == 422
        assert portal.set_password(new).status_code == 302
        assert portal.status(proef) is S.ACTIVATED

    def test_sending_again_after_activation_keeps_green(self, portal: Portal, proef: int) -> None:
        portal.set_password(portal.send_login(proef))
        portal.send_login(proef)
        assert portal.status(proef) is S.ACTIVATED
        assert portal.log_in(portal.elk_number(proef))[1].headers["Location"] == "/ouders/"


class TestSeparation:
    def test_a_parent_never_reaches_the_staff_pages_not_even_for_the_own_child(
        self, portal: Portal, proef: int
    ) -> None:
        portal.set_password(portal.send_login(proef))
        parent, _ = portal.log_in(portal.elk_number(proef))
        for path in ("/", f"/leerlingen/{proef}/oki-doc", "/leerlingen/", "/account/instellingen"):
            response = parent.get(path)
            assert response.status_code == 403, path
            assert "Ouders gebruiken het ouderportaal" in response.get_data(as_text=True)

    def test_each_parent_sees_only_their_own_child(
        self, portal: Portal, proef: int, services: Services, seeded: Any, clock: FixedClock
    ) -> None:
        other = eligible(services, seeded, clock, "Tweede", "ouder.tweede@example.nl")
        portal.set_password(portal.send_login(proef))
        portal.set_password(portal.send_login(other), "een ander wachtwoord")
        first, _ = portal.log_in(portal.elk_number(proef))
        second, _ = portal.log_in(portal.elk_number(other), "een ander wachtwoord")
        assert "Proef Jansen" in first.get("/ouders/").get_data(as_text=True)
        page = second.get("/ouders/").get_data(as_text=True)
        assert "Tweede Jansen" in page
        assert "Proef" not in page
        assert second.get(f"/leerlingen/{proef}/oki-doc").status_code == 403
        # the first child's password does not open the second child's account
        _, wrong = portal.log_in(portal.elk_number(other))
        assert wrong.status_code == 422

    def test_staff_cannot_open_the_parents_pages(self, portal: Portal) -> None:
        assert portal.teacher.get("/ouders/").status_code == 403

    def test_a_parent_session_id_never_passes_for_a_staff_user(
        self, portal: Portal, proef: int, seeded: Any
    ) -> None:
        """Parent accounts and staff users are numbered apart: parent account 1 must not
        load the staff user with id 1 (the session keeps a prefixed id)."""
        portal.set_password(portal.send_login(proef))
        parent, _ = portal.log_in(portal.elk_number(proef))
        with parent.session_transaction() as session:
            assert str(session["_user_id"]).startswith("ouder-")
        assert parent.get("/ouders/").status_code == 200


def test_the_log_line_names_a_parent_account_apart_from_staff_users(
    portal: Portal, proef: int, app: Any
) -> None:
    portal.set_password(portal.send_login(proef))
    parent, _ = portal.log_in(portal.elk_number(proef))
    stream = io.StringIO()
    configure_logging(app.extensions["elk"].settings, stream=stream)
    parent.get("/ouders/")
    [line] = [json.loads(x) for x in stream.getvalue().splitlines() if '"request"' in x]
    assert line["user_id"] is None
    assert isinstance(line["parent_account_id"], int)
    assert "ouder.proef@example.nl" not in stream.getvalue()
