"""Every error kind and HTTP error becomes a Dutch page with the request id and no stack trace."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient

from elk_adapters.bootstrap import Services
from elk_domain.errors import Conflict, Forbidden, NotFound, Rejected, Unavailable, Violation
from elk_web import create_app

if TYPE_CHECKING:
    from tests.web.conftest import Seed

_REQUEST_ID_ON_PAGE = re.compile(r"foutnummer <code>([0-9a-zA-Z._-]+)</code>")


def failing_app(services: Services) -> Flask:
    """The real app plus routes that fail in each way (added before the first request)."""
    app = create_app(services.settings, services)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # render the 500 page as production would
    broken = Blueprint("broken", __name__, url_prefix="/kapot")

    @broken.get("/verboden")
    def forbidden() -> str:
        raise Forbidden("U heeft geen toestemming om dit te doen.")

    @broken.get("/weg")
    def not_found() -> str:
        raise NotFound("Deze leerling bestaat niet.")

    @broken.get("/conflict")
    def conflict() -> str:
        raise Conflict("Iemand anders heeft dit Oki-doc net gewijzigd.")

    @broken.get("/onjuist")
    def rejected() -> str:
        raise Rejected("Controleer de invoer.", violations=[Violation("bsn", "BSN ontbreekt.")])

    @broken.get("/onbereikbaar")
    def unavailable() -> str:
        raise Unavailable("OSO is niet bereikbaar.")

    @broken.get("/crash")
    def crash() -> str:
        raise RuntimeError("secret internals 123456782")

    app.register_blueprint(broken)
    return app


@pytest.fixture
def client(services: Services, seeded: Seed) -> FlaskClient:
    return failing_app(services).test_client()


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("/kapot/verboden", 403, "U heeft geen toestemming om dit te doen."),
        ("/kapot/weg", 404, "Deze leerling bestaat niet."),
        ("/bestaat-niet", 404, "Niet gevonden"),
        ("/kapot/conflict", 409, "Iemand anders heeft dit Oki-doc net gewijzigd."),
        ("/kapot/onjuist", 422, "BSN ontbreekt."),
        ("/kapot/onbereikbaar", 503, "OSO is niet bereikbaar."),
        ("/kapot/crash", 500, "Er ging iets mis"),
    ],
)
def test_error_page_is_dutch_with_request_id(
    client: FlaskClient, path: str, status: int, text: str
) -> None:
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert text in page
    assert 'lang="nl"' in page
    match = _REQUEST_ID_ON_PAGE.search(page)
    assert match, "the page shows no request id"
    assert match.group(1) == response.headers["X-Request-Id"]


def test_crash_page_reveals_nothing_internal(client: FlaskClient) -> None:
    page = client.get("/kapot/crash").get_data(as_text=True)
    for leak in ("Traceback", "RuntimeError", "secret internals", "123456782"):
        assert leak not in page


def test_wrong_method_gets_a_dutch_page_and_an_allow_header(client: FlaskClient) -> None:
    response = client.delete("/inloggen")
    assert response.status_code == 405
    assert "Niet toegestaan" in response.get_data(as_text=True)
    assert "POST" in response.headers["Allow"]


def test_a_proxys_request_id_is_kept(client: FlaskClient) -> None:
    response = client.get("/bestaat-niet", headers={"X-Request-Id": "proxy-abc-12345"})
    assert response.headers["X-Request-Id"] == "proxy-abc-12345"
    assert "proxy-abc-12345" in response.get_data(as_text=True)


def test_a_hostile_request_id_is_replaced(client: FlaskClient) -> None:
    response = client.get("/bestaat-niet", headers={"X-Request-Id": "<script>alert(1)</script>"})
    assert "<script>" not in response.headers["X-Request-Id"]
    assert "alert(1)" not in response.get_data(as_text=True)
