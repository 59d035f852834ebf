"""Logging in and out, and the session checks behind every request."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs
import pytest
from flask.testing import FlaskClient

from elk_adapters.bootstrap import Services
from elk_domain.accounts.auth import LOGIN_FAILED
from elk_domain.testing import FixedClock

if TYPE_CHECKING:
    from tests.web.conftest import CsrfHelper, LoginHelper, LogoutHelper, Seed

SESSION_COOKIE = "elk_session"
PASSWORD = "correct horse battery staple"


def is_anonymous_on_home(client: FlaskClient) -> bool:
    response = client.get("/")
    return response.status_code == 302 and "/inloggen" in response.headers["Location"]


class TestLogin:
    def test_login_page_has_labelled_fields(self, client: FlaskClient) -> None:
        page = client.get("/inloggen").get_data(as_text=True)
        assert '<label for="email">E-mailadres</label>' in page
        assert '<label for="password">Wachtwoord</label>' in page
        assert 'lang="nl"' in page

    def test_correct_password_opens_the_home_page(
        self, client: FlaskClient, seeded: Seed, login: LoginHelper
    ) -> None:
        response = login(client, seeded.admin.email)
        assert response.status_code == 302
        assert response.headers["Location"] == "/"
        assert "Welkom, Fien Beheer" in client.get("/").get_data(as_text=True)

    def test_email_is_case_insensitive(
        self, client: FlaskClient, seeded: Seed, login: LoginHelper
    ) -> None:
        assert login(client, seeded.admin.email.upper()).status_code == 302

    def test_wrong_password_and_unknown_address_get_the_same_answer(
        self, client: FlaskClient, seeded: Seed, login: LoginHelper
    ) -> None:
        wrong = login(client, seeded.admin.email, "fout")
        unknown = login(client, "niemand@elk.test", PASSWORD)
        assert wrong.status_code == unknown.status_code == 422
        assert LOGIN_FAILED in wrong.get_data(as_text=True)
        assert LOGIN_FAILED in unknown.get_data(as_text=True)
        assert is_anonymous_on_home(client)

    def test_disabled_user_cannot_log_in(
        self, client: FlaskClient, services: Services, seeded: Seed, login: LoginHelper
    ) -> None:
        disable(services, seeded.teacher.id)
        response = login(client, seeded.teacher.email)
        assert response.status_code == 422
        assert LOGIN_FAILED in response.get_data(as_text=True)

    def test_login_without_csrf_token_is_refused(self, client: FlaskClient, seeded: Seed) -> None:
        client.get("/inloggen")
        response = client.post(
            "/inloggen", data={"email": seeded.admin.email, "password": PASSWORD}
        )
        assert response.status_code == 400
        assert "Het formulier is verlopen of ongeldig" in response.get_data(as_text=True)
        assert is_anonymous_on_home(client)

    def test_login_starts_a_fresh_session(
        self, client: FlaskClient, seeded: Seed, login: LoginHelper
    ) -> None:
        client.get("/inloggen")
        with client.session_transaction() as session:
            session["planted"] = "by an attacker"
        login(client, seeded.admin.email)
        with client.session_transaction() as session:
            assert "planted" not in session
            assert session["_user_id"] == str(seeded.admin.id)

    def test_returns_to_the_page_asked_for(
        self, client: FlaskClient, seeded: Seed, csrf_token: CsrfHelper
    ) -> None:
        first = client.get("/account/instellingen")
        assert first.status_code == 302
        assert first.headers["Location"].startswith("/inloggen?next=")
        token = csrf_token(client.get(first.headers["Location"]))
        response = client.post(
            first.headers["Location"],
            data={"email": seeded.teacher.email, "password": PASSWORD, "csrf_token": token},
        )
        assert response.headers["Location"] == "/account/instellingen"

    @pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil"])
    def test_never_redirects_to_another_site(
        self, client: FlaskClient, seeded: Seed, target: str, csrf_token: CsrfHelper
    ) -> None:
        token = csrf_token(client.get("/inloggen"))
        response = client.post(
            "/inloggen",
            query_string={"next": target},
            data={"email": seeded.teacher.email, "password": PASSWORD, "csrf_token": token},
        )
        assert response.headers["Location"] == "/"

    def test_session_cookie_is_httponly_and_lax(
        self, client: FlaskClient, seeded: Seed, login: LoginHelper
    ) -> None:
        response = login(client, seeded.admin.email)
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # only in production, see test_errors/test_shell


class TestLogout:
    def test_logout_ends_the_session(
        self, client: FlaskClient, seeded: Seed, login: LoginHelper, logout: LogoutHelper
    ) -> None:
        login(client, seeded.admin.email)
        response = logout(client)
        assert response.headers["Location"] == "/inloggen"
        assert "U bent uitgelogd." in client.get("/inloggen").get_data(as_text=True)
        assert is_anonymous_on_home(client)

    def test_a_copied_cookie_is_dead_after_logout(
        self, client: FlaskClient, seeded: Seed, login: LoginHelper, logout: LogoutHelper
    ) -> None:
        login(client, seeded.admin.email)
        stolen = client.get_cookie(SESSION_COOKIE)
        assert stolen is not None
        logout(client)
        client.set_cookie(SESSION_COOKIE, stolen.value)
        assert is_anonymous_on_home(client)

    def test_logout_needs_a_post_with_csrf_token(
        self, client: FlaskClient, seeded: Seed, login: LoginHelper
    ) -> None:
        login(client, seeded.admin.email)
        assert client.get("/uitloggen").status_code == 405
        assert client.post("/uitloggen").status_code == 400
        assert client.get("/").status_code == 200


class TestSessionChecks:
    def test_anonymous_visitor_is_sent_to_login(self, client: FlaskClient) -> None:
        response = client.get("/")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/inloggen")

    def test_disabled_user_is_logged_out_on_the_next_request(
        self, client: FlaskClient, services: Services, seeded: Seed, login: LoginHelper
    ) -> None:
        login(client, seeded.teacher.email)
        assert client.get("/").status_code == 200
        disable(services, seeded.teacher.id)
        assert is_anonymous_on_home(client)

    def test_idle_session_expires(
        self,
        client: FlaskClient,
        clock: FixedClock,
        seeded: Seed,
        services: Services,
        login: LoginHelper,
    ) -> None:
        login(client, seeded.admin.email)
        clock.advance(dt.timedelta(minutes=services.settings.idle_timeout_minutes - 1))
        assert client.get("/").status_code == 200  # activity restarts the idle timer
        clock.advance(dt.timedelta(minutes=services.settings.idle_timeout_minutes - 1))
        assert client.get("/").status_code == 200
        clock.advance(dt.timedelta(minutes=services.settings.idle_timeout_minutes + 1))
        assert is_anonymous_on_home(client)
        assert "automatisch uitgelogd" in client.get("/inloggen").get_data(as_text=True)


def disable(services: Services, user_id: int) -> None:
    with services.uow() as uow:
        user = uow.users.get(user_id)
        uow.users.update(attrs.evolve(user, active=False))
        uow.commit()
