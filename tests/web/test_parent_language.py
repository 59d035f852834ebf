"""Dutch or English on the parents' pages (issue 14, item 6; decision 0048): the switch on every
parents' page, the cookie that remembers it, English pages that say the domain's refusals in
English, Dutch pages unchanged, and staff pages that stay Dutch whatever the cookie says."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from tests.web.parents_world import PASSWORD, Csrf, Portal, portal, proef

from elk_web.language import COOKIE, selected_language

__all__ = ["portal", "proef"]  # fixtures, used by name
pytestmark = pytest.mark.usefixtures("seeded")
SWITCH = "/ouders/taal"


def choose(client: FlaskClient, csrf: Csrf, language: str, back: str = "/ouders/inloggen") -> Any:
    """Press the language button on ``back``; the response of the switch."""
    token = csrf(client.get(back))
    return client.post(SWITCH, data={"taal": language, "next": back, "csrf_token": token})


def language_cookie(response: Any) -> str:
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{COOKIE}=")]
    return str(header)


class TestTheSwitch:
    def test_every_parents_page_offers_the_other_language_as_a_form(
        self, client: FlaskClient
    ) -> None:
        for path in ("/ouders/inloggen", "/ouders/wachtwoord-vergeten"):
            page = client.get(path).get_data(as_text=True)
            assert '<html lang="nl">' in page
            assert f'action="{SWITCH}"' in page
            assert '<button type="submit" name="taal" value="en"' in page
            assert f'name="next" value="{path}"' in page

    def test_choosing_english_remembers_it_and_returns_to_the_page(
        self, client: FlaskClient, csrf_token: Csrf
    ) -> None:
        response = choose(client, csrf_token, "en", "/ouders/inloggen?elk=78018")
        assert response.status_code == 302
        assert response.headers["Location"] == "/ouders/inloggen?elk=78018"
        cookie = language_cookie(response)
        assert cookie.startswith(f"{COOKIE}=en;")
        assert "Max-Age=34560000" in cookie  # 400 days
        assert "SameSite=Lax" in cookie
        assert "HttpOnly" in cookie
        assert "Path=/" in cookie
        assert "Secure" not in cookie  # the test site is plain http
        page = client.get("/ouders/inloggen").get_data(as_text=True)
        assert '<html lang="en">' in page
        assert "Log in as a parent" in page
        assert '<button type="submit" name="taal" value="nl"' in page

    def test_the_cookie_is_secure_where_the_session_cookie_is(
        self, app: Flask, client: FlaskClient, csrf_token: Csrf
    ) -> None:
        app.config["SESSION_COOKIE_SECURE"] = True
        token = csrf_token(client.get("/ouders/inloggen"))
        response = client.post(SWITCH, data={"taal": "en", "csrf_token": token})
        assert "; Secure" in language_cookie(response)

    def test_back_to_dutch(self, client: FlaskClient, csrf_token: Csrf) -> None:
        choose(client, csrf_token, "en")
        assert language_cookie(choose(client, csrf_token, "nl")).startswith(f"{COOKIE}=nl;")
        assert "Inloggen als ouder" in client.get("/ouders/inloggen").get_data(as_text=True)

    @pytest.mark.parametrize(
        "back",
        [
            "https://evil.example/ouders/",
            "//evil.example/ouders/",
            "/\\evil.example",
            "/ouders/\r\nSet-Cookie: x=1",
            "/leerlingen/1/oki-doc",  # a staff page: the switch is for the parents' pages only
            "",
            "ouders/inloggen",
        ],
    )
    def test_a_hostile_or_foreign_next_lands_on_the_parents_start(
        self, client: FlaskClient, csrf_token: Csrf, back: str
    ) -> None:
        token = csrf_token(client.get("/ouders/inloggen"))
        response = client.post(SWITCH, data={"taal": "en", "next": back, "csrf_token": token})
        assert response.status_code == 302
        assert response.headers["Location"] == "/ouders/"

    @pytest.mark.parametrize("value", ["de", "EN", "en; Domain=evil.example", "", "x" * 5000])
    def test_a_value_that_is_no_language_changes_nothing(
        self, client: FlaskClient, csrf_token: Csrf, value: str
    ) -> None:
        token = csrf_token(client.get("/ouders/inloggen"))
        response = client.post(SWITCH, data={"taal": value, "csrf_token": token})
        assert response.status_code == 302
        assert not [h for h in response.headers.getlist("Set-Cookie") if COOKIE in h]

    def test_a_forged_cookie_value_is_dutch(self, client: FlaskClient) -> None:
        client.set_cookie(COOKIE, "<script>")
        page = client.get("/ouders/inloggen").get_data(as_text=True)
        assert '<html lang="nl">' in page
        assert "<script>" not in page

    def test_the_switch_needs_the_form_token(self, client: FlaskClient) -> None:
        assert client.post(SWITCH, data={"taal": "en"}).status_code == 400


class TestStaffStaysDutch:
    def test_the_cookie_is_read_on_parents_pages_only(self, app: Flask) -> None:
        for path, expected in (("/ouders/inloggen", "en"), ("/inloggen", "nl"), ("/", "nl")):
            with app.test_request_context(path, headers={"Cookie": f"{COOKIE}=en"}):
                assert selected_language() == expected, path

    def test_a_staff_page_ignores_the_cookie(
        self, client: FlaskClient, csrf_token: Csrf, seeded: Any
    ) -> None:
        """The throttle's refusal is in the catalogue, and still Dutch on the staff login."""
        choose(client, csrf_token, "en")
        token = csrf_token(client.get("/inloggen"))
        data = {"email": seeded.teacher.email, "password": "fout", "csrf_token": token}
        pages = [client.post("/inloggen", data=data) for _ in range(7)]
        assert pages[-1].status_code == 429
        page = pages[-1].get_data(as_text=True)
        assert '<html lang="nl">' in page
        assert "Te veel mislukte pogingen. Probeer het over" in page
        assert "Too many" not in page


class TestEnglishPages:
    def _parent(self, portal: Portal, pupil: int, csrf: Csrf) -> FlaskClient:
        portal.set_password(portal.send_login(pupil))
        parent, _ = portal.log_in(portal.elk_number(pupil))
        choose(parent, csrf, "en", "/ouders/")
        return parent

    def test_a_wrong_password_is_refused_in_english(
        self, portal: Portal, proef: int, csrf_token: Csrf
    ) -> None:
        portal.set_password(portal.send_login(proef))
        parent = portal.new_client()
        choose(parent, csrf_token, "en")
        token = csrf_token(parent.get("/ouders/inloggen"))
        data = {"elk_nummer": portal.elk_number(proef), "wachtwoord": "fout", "csrf_token": token}
        page = parent.post("/ouders/inloggen", data=data).get_data(as_text=True)
        assert "Wrong ELK number or password." in page
        assert "onjuist" not in page

    def test_the_throttle_says_how_long_to_wait_in_english(
        self, portal: Portal, proef: int, csrf_token: Csrf
    ) -> None:
        parent = portal.new_client()
        choose(parent, csrf_token, "en")
        token = csrf_token(parent.get("/ouders/inloggen"))
        data = {"elk_nummer": portal.elk_number(proef), "wachtwoord": "fout", "csrf_token": token}
        pages = [parent.post("/ouders/inloggen", data=data) for _ in range(6)]
        assert pages[-1].status_code == 429
        assert "Too many failed tries. Please try again in 1 minute." in pages[-1].get_data(
            as_text=True
        )

    def test_the_password_rules_are_said_in_english_with_their_numbers(
        self, portal: Portal, proef: int, csrf_token: Csrf
    ) -> None:
        link = portal.send_login(proef)
        parent = portal.new_client()
        choose(parent, csrf_token, "en", link)
        form = parent.get(link)
        text = form.get_data(as_text=True)
        assert (
            "You are choosing a password for the parent portal of <strong>Proef</strong>." in text
        )
        assert "At least 10 characters." in text
        assert 'data-strong="Strength: strong."' in text
        data = {"wachtwoord": "kort", "herhaling": "anders", "csrf_token": csrf_token(form)}
        page = parent.post(link, data=data).get_data(as_text=True)
        assert "The password has not been set." in page
        assert "Choose a password of at least 10 characters." in page
        assert "The two passwords are not the same." in page

    def test_the_childs_data_and_the_correction_in_english(
        self, portal: Portal, proef: int, csrf_token: Csrf
    ) -> None:
        parent = self._parent(portal, proef, csrf_token)
        page = parent.get("/ouders/gegevens")
        text = page.get_data(as_text=True)
        for shown in ("Details of Proef Jansen", "Date of birth", "Parent or carer 1",
                      "Email address", "Is something wrong?"):  # fmt: skip
            assert shown in text
        token = csrf_token(page)
        refused = parent.post("/ouders/gegevens", data={"bericht": " ", "csrf_token": token})
        assert "Write what is wrong in at most 2000 characters." in refused.get_data(as_text=True)
        sent = parent.post("/ouders/gegevens", data={"bericht": "Adres", "csrf_token": token})
        after = parent.get(sent.headers["Location"]).get_data(as_text=True)
        assert "Your message has been sent to the school." in after
        assert "Sent before" in after
        month = [m for m in ("January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December")
                 if m in after]  # fmt: skip
        assert month, "the date of the earlier message has an English month"

    def test_logging_out_keeps_the_language(
        self, portal: Portal, proef: int, csrf_token: Csrf
    ) -> None:
        parent = self._parent(portal, proef, csrf_token)
        token = csrf_token(parent.get("/ouders/"))
        response = parent.post("/ouders/uitloggen", data={"csrf_token": token})
        page = parent.get(response.headers["Location"]).get_data(as_text=True)
        assert "You are logged out." in page
        assert "Log in as a parent" in page

    def test_forgot_password_answers_in_english(
        self, client: FlaskClient, csrf_token: Csrf
    ) -> None:
        choose(client, csrf_token, "en", "/ouders/wachtwoord-vergeten")
        token = csrf_token(client.get("/ouders/wachtwoord-vergeten"))
        page = client.post(
            "/ouders/wachtwoord-vergeten", data={"elk_nummer": "1", "csrf_token": token}
        ).get_data(as_text=True)
        assert "If we know this ELK number, the first parent or carer will get an email" in page


class TestErrorPages:
    def test_an_expired_form_on_a_parents_page_is_explained_in_the_portal_and_in_english(
        self, client: FlaskClient, csrf_token: Csrf
    ) -> None:
        choose(client, csrf_token, "en")
        response = client.post("/ouders/inloggen", data={"elk_nummer": "1", "wachtwoord": "x"})
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert '<html lang="en">' in page
        assert "The form is too old or not valid." in page
        assert "Error code 400 · error number" in page
        assert 'href="/ouders/"' in page
        assert "ELK parent portal" in page  # the portal's layout, not the staff's

    def test_a_staff_error_page_stays_dutch_and_staff(
        self, client: FlaskClient, csrf_token: Csrf
    ) -> None:
        choose(client, csrf_token, "en")
        response = client.post("/inloggen", data={"email": "a@b.nl", "password": "x"})
        page = response.get_data(as_text=True)
        assert response.status_code == 400
        assert '<html lang="nl">' in page
        assert "Het formulier is verlopen of ongeldig." in page
        assert "Foutcode 400 · foutnummer" in page
        assert "ouderportaal" not in page


def test_dutch_pages_say_what_they_said(portal: Portal, proef: int) -> None:
    """The Dutch texts are the msgids: without a choice every text is the Dutch original."""
    page = portal.new_client().get(portal.send_login(proef)).get_data(as_text=True)
    for dutch in (
        "U kiest een wachtwoord voor het ouderportaal van <strong>Proef</strong>.",
        "Minstens 10 tekens. Een zin van een paar woorden is sterk en goed te onthouden.",
        "Typ het wachtwoord nog een keer",
        "ELK ouderportaal: hier meldt u uw kind aan voor de middelbare school.",
        'data-strong="Sterkte: sterk."',
    ):
        assert dutch in page
    assert PASSWORD not in page
