"""The absolute session lifetime (ELK_SESSION_MAX_HOURS): a login ends even while it is used.

The idle timeout ends a session nobody uses; this ends one that is kept busy, so a stolen
cookie (or an unlocked computer in the staff room) is not good forever.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs
import pytest
from flask import Flask
from flask.testing import FlaskClient

from elk_adapters.bootstrap import Services
from elk_domain.testing import FixedClock
from elk_web import create_app

if TYPE_CHECKING:
    from tests.web.conftest import CsrfHelper, LoginHelper, Seed

STEP = dt.timedelta(minutes=20)  # well inside the 30-minute idle timeout


def _busy_until(client: FlaskClient, clock: FixedClock, elapsed: dt.timedelta) -> None:
    """Use the session every STEP until ``elapsed`` since the login has passed."""
    end = clock.now() + elapsed
    while clock.now() + STEP <= end:
        clock.advance(STEP)
        assert client.get("/").status_code == 200, f"logged out after {clock.now()}"
    clock.advance(end - clock.now())


def _logged_out(client: FlaskClient) -> bool:
    response = client.get("/")
    return response.status_code == 302 and "/inloggen" in response.headers["Location"]


class TestMaximumLifetime:
    def test_the_default_is_twelve_hours(self, services: Services) -> None:
        assert services.settings.session_max_hours == 12

    def test_an_active_session_ends_after_the_maximum(
        self, client: FlaskClient, clock: FixedClock, seeded: Seed, login: LoginHelper
    ) -> None:
        login(client, seeded.teacher.email)
        _busy_until(client, clock, dt.timedelta(hours=12) - dt.timedelta(minutes=1))
        assert client.get("/").status_code == 200

        clock.advance(dt.timedelta(minutes=2))

        assert _logged_out(client)
        page = client.get("/inloggen").get_data(as_text=True)
        assert "U bent automatisch uitgelogd omdat u al 12 uur bent ingelogd." in page

    def test_the_setting_shortens_it(
        self,
        services: Services,
        seeded: Seed,
        clock: FixedClock,
        login: LoginHelper,
    ) -> None:
        settings = attrs.evolve(services.settings, session_max_hours=1.5)
        app: Flask = create_app(settings, attrs.evolve(services, settings=settings))
        app.testing = True
        client = app.test_client()
        login(client, seeded.teacher.email)
        _busy_until(client, clock, dt.timedelta(minutes=80))

        clock.advance(dt.timedelta(minutes=11))

        assert _logged_out(client)

    def test_changing_the_password_does_not_restart_the_clock(
        self,
        client: FlaskClient,
        clock: FixedClock,
        seeded: Seed,
        login: LoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:
        login(client, seeded.teacher.email)
        _busy_until(client, clock, dt.timedelta(hours=11))
        token = csrf_token(client.get("/account/instellingen"))
        new = "een ander lang wachtwoord 2026"
        changed = client.post(
            "/account/instellingen/wachtwoord",
            data={"current": "correct horse battery staple", "new": new, "repeat": new,
                  "csrf_token": token},
        )  # fmt: skip
        assert changed.status_code == 302
        _busy_until(client, clock, dt.timedelta(minutes=59))

        clock.advance(dt.timedelta(minutes=2))

        assert _logged_out(client)

    def test_a_cookie_without_a_login_time_is_not_accepted(
        self, client: FlaskClient, seeded: Seed, login: LoginHelper
    ) -> None:
        login(client, seeded.teacher.email)
        with client.session_transaction() as session:
            session.pop("elk_login_at")

        assert _logged_out(client)


class TestSetting:
    @pytest.mark.parametrize("value", ["0", "-2", "twaalf"])
    def test_a_wrong_value_is_refused_with_the_variable_named(
        self, tmp_path: object, value: str
    ) -> None:
        from elk_adapters.settings import Settings
        from elk_domain.errors import Rejected

        with pytest.raises(Rejected, match="ELK_SESSION_MAX_HOURS"):
            Settings.from_env(
                {"ELK_ENV": "test", "ELK_INSTANCE_PATH": str(tmp_path),
                 "ELK_SESSION_MAX_HOURS": value}
            )  # fmt: skip

    def test_the_variable_is_read(self, tmp_path: object) -> None:
        from elk_adapters.settings import Settings

        settings = Settings.from_env(
            {"ELK_ENV": "test", "ELK_INSTANCE_PATH": str(tmp_path), "ELK_SESSION_MAX_HOURS": "8"}
        )

        assert settings.session_max_hours == 8
