"""Behind a reverse proxy: which client address the login throttle sees (ELK_TRUSTED_PROXIES).

Every request reaches ELK from the proxy's address (here 10.0.0.5). Without a trusted proxy
ELK must ignore X-Forwarded-For (anyone can send it); with one, the address the proxy appended
(the last one) is the client's, whatever the client put in front of it.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services
from elk_adapters.settings import Settings
from elk_web import create_app
from elk_web.account.flow import client_address

if TYPE_CHECKING:
    from tests.web.conftest import Seed

PROXY = "10.0.0.5"
ALICE, BOB = "203.0.113.7", "198.51.100.23"
_unknown = count()


def _proxied_app(services: Services, instance: Path, proxies: str) -> Flask:
    """The app with ELK_TRUSTED_PROXIES as an operator sets it, on the test's database."""
    settings = Settings.from_env(
        {
            "ELK_ENV": "test",
            "ELK_INSTANCE_PATH": str(instance),
            "ELK_DATABASE_URL": services.settings.database_url,
            "ELK_SECRET_KEY": services.settings.secret_key,
            "ELK_TRUSTED_PROXIES": proxies,
        }
    )
    app = create_app(settings, attrs.evolve(services, settings=settings))
    app.testing = True
    app.add_url_rule("/_test/client", "test_client", lambda: client_address())
    return app


def _via_proxy(forwarded_for: str | None) -> dict[str, object]:
    """Request options as the proxy sends them: its own socket address, maybe the header."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}
    return {"environ_base": {"REMOTE_ADDR": PROXY}, "headers": headers}


def _wrong_password(client: FlaskClient, forwarded_for: str) -> TestResponse:
    """A failed login for a fresh address, so only the per-client throttle can stop it."""
    page = client.get("/inloggen", **_via_proxy(forwarded_for))  # type: ignore[arg-type]
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    return client.post(
        "/inloggen",
        data={"email": f"raden{next(_unknown)}@elk.test", "password": "fout", "csrf_token": token},
        **_via_proxy(forwarded_for),  # type: ignore[arg-type]
    )


def _throttle(client: FlaskClient, forwarded_for: Callable[[int], str]) -> int:
    """Fail logins until the client is throttled (429); returns how many it took."""
    for attempt in range(1, 201):
        if _wrong_password(client, forwarded_for(attempt)).status_code == 429:
            return attempt
    pytest.fail("the per-client login throttle never stepped in")


class TestClientAddress:
    @pytest.mark.parametrize("proxies", ["", "0"])
    def test_without_a_trusted_proxy_forwarded_for_is_ignored(
        self, services: Services, seeded: Seed, tmp_path: Path, proxies: str
    ) -> None:
        client = _proxied_app(services, tmp_path, proxies).test_client()

        assert client.get("/_test/client", **_via_proxy(ALICE)).text == PROXY  # type: ignore[arg-type]

    def test_with_one_trusted_proxy_the_address_it_appended_counts(
        self, services: Services, seeded: Seed, tmp_path: Path
    ) -> None:
        client = _proxied_app(services, tmp_path, "1").test_client()

        assert client.get("/_test/client", **_via_proxy(ALICE)).text == ALICE  # type: ignore[arg-type]
        spoofed = client.get("/_test/client", **_via_proxy(f"1.2.3.4, {ALICE}"))  # type: ignore[arg-type]
        assert spoofed.text == ALICE
        assert client.get("/_test/client", **_via_proxy(None)).text == PROXY  # type: ignore[arg-type]

    def test_the_scheme_comes_from_the_proxy_but_the_host_does_not(
        self, services: Services, seeded: Seed, tmp_path: Path
    ) -> None:
        app = _proxied_app(services, tmp_path, "1")
        app.add_url_rule("/_test/origin", "test_origin", lambda: f"{request.scheme} {request.host}")
        headers = {"X-Forwarded-For": ALICE, "X-Forwarded-Proto": "https",
                   "X-Forwarded-Host": "evil.example", "Host": "elk.example"}  # fmt: skip

        answer = app.test_client().get("/_test/origin", headers=headers)

        assert answer.text == "https elk.example"


class TestLoginThrottleBehindAProxy:
    def test_without_a_trusted_proxy_every_client_shares_the_proxy_address(
        self, services: Services, seeded: Seed, tmp_path: Path
    ) -> None:
        client = _proxied_app(services, tmp_path, "0").test_client()
        _throttle(client, lambda _attempt: ALICE)

        # Bob's forwarded address is ignored: to ELK he is the proxy, which is throttled.
        assert _wrong_password(client, BOB).status_code == 429

    def test_behind_one_trusted_proxy_each_client_is_throttled_on_its_own(
        self, services: Services, seeded: Seed, tmp_path: Path
    ) -> None:
        client = _proxied_app(services, tmp_path, "1").test_client()
        # Alice tries to escape the throttle by putting a new address in front of hers.
        _throttle(client, lambda attempt: f"192.0.2.{attempt % 250}, {ALICE}")

        assert _wrong_password(client, f"192.0.2.251, {ALICE}").status_code == 429
        bob = _wrong_password(client, BOB)
        assert bob.status_code == 422
        assert "Te veel mislukte pogingen" not in bob.get_data(as_text=True)


class TestSetting:
    @pytest.mark.parametrize("value", ["-1", "een", "1.5"])
    def test_a_wrong_value_is_refused_with_the_variable_named(
        self, tmp_path: Path, value: str
    ) -> None:
        from elk_domain.errors import Rejected

        with pytest.raises(Rejected, match="ELK_TRUSTED_PROXIES"):
            Settings.from_env(
                {"ELK_ENV": "test", "ELK_INSTANCE_PATH": str(tmp_path),
                 "ELK_TRUSTED_PROXIES": value}
            )  # fmt: skip
