"""The home page, the outbox page and the shell around every page (menu, headers, log line)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pytest
from flask import Flask
from flask.testing import FlaskClient

from elk_adapters.bootstrap import Services
from elk_adapters.logging import configure_logging
from elk_adapters.mail.capture import store_message
from elk_adapters.mail.smtp import build_message
from elk_domain.kernel.mail import OutgoingMail
from elk_web import create_app

if TYPE_CHECKING:
    from tests.web.conftest import LoginHelper, Seed


class TestLinks:
    def test_cached_links_follow_the_script_root_and_host(
        self, client: FlaskClient, seeded: Seed, login: LoginHelper
    ) -> None:
        # Behind a proxy that mounts ELK at /elk the same app must link there, and not serve
        # one mount's cached links to the other.
        login(client, seeded.teacher.email)
        plain = client.get("/").get_data(as_text=True)
        mounted = client.get("/", base_url="http://localhost/elk/").get_data(as_text=True)
        other_host = client.get("/inloggen", base_url="http://elk.example").get_data(as_text=True)
        assert 'href="/static/elk.css"' in plain
        assert 'href="/leerlingen/"' in plain
        assert 'href="/static/elk.css"' in other_host
        assert 'href="/elk/static/elk.css"' in mounted
        assert 'href="/elk/leerlingen/"' in mounted
        assert 'href="/leerlingen/"' not in mounted
        assert 'href="/leerlingen/"' in client.get("/").get_data(as_text=True)

    def test_links_with_arguments_are_built_by_flask(self, app: Flask) -> None:
        from elk_web.urls import template_url_for

        with app.test_request_context("/", base_url="http://localhost/elk/"):
            assert template_url_for("pupils.index", school=7) == "/elk/leerlingen/?school=7"
            assert template_url_for("static", filename="elk.css") == "/elk/static/elk.css"
            assert template_url_for("main.home", _external=True) == "http://localhost/elk/"

    def test_url_defaults_are_refused(self, app: Flask) -> None:
        from elk_web.urls import init_urls

        app.url_defaults(lambda _endpoint, _values: None)
        with pytest.raises(RuntimeError, match="URL defaults"):
            init_urls(app)


class TestHome:
    def test_shows_the_news_newest_first(
        self, client: FlaskClient, seeded: Seed, login: LoginHelper
    ) -> None:
        login(client, seeded.teacher.email)
        page = client.get("/").get_data(as_text=True)
        newest, older = page.find("Aanmeldweek begint"), page.find("Tijdpad 2025 staat klaar")
        assert -1 < newest < older
        assert '<time datetime="2025-01-10T09:00:00+00:00">10 januari 2025</time>' in page

    def test_end_user_sees_the_manuals_menu_without_dead_links(
        self, client: FlaskClient, seeded: Seed, login: LoginHelper
    ) -> None:
        login(client, seeded.teacher.email)
        page = client.get("/").get_data(as_text=True)
        for path, label in (
            ("/leerlingen/", "Leerlingen"),
            ("/oso/", "OSO"),
            ("/overzichten/", "Overzichten"),
        ):
            assert f'href="{path}"' in page
            assert label in page
            assert client.get(path).status_code == 200
        assert "(binnenkort)" not in page
        assert "Verzonden e-mail" not in page
        assert "Eva de Vries" in page
        assert "Uitloggen" in page

    def test_vo_user_gets_the_registrations_and_no_po_menu(
        self, client: FlaskClient, seeded: Seed, login: LoginHelper
    ) -> None:
        """Issue 15: "Leerlingen" led a VO user to the PO overview, a 404 for a VO school."""
        login(client, seeded.vo_user.email)
        page = client.get("/").get_data(as_text=True)
        assert 'href="/vo/aanmeldingen"' in page
        assert client.get("/vo/aanmeldingen").status_code == 200
        assert "Leerlingen" not in page
        assert "OSO" not in page
        assert "Overzichten" not in page

    def test_page_has_landmarks_and_a_skip_link(
        self, client: FlaskClient, seeded: Seed, login: LoginHelper
    ) -> None:
        login(client, seeded.admin.email)
        page = client.get("/").get_data(as_text=True)
        assert '<a class="skip-link" href="#inhoud">' in page
        for landmark in (
            "<header",
            '<nav class="main-nav" aria-label="Hoofdmenu">',
            "<main",
            "<footer",
        ):
            assert landmark in page


class TestOutbox:
    def test_functional_admin_reads_captured_mail(
        self, client: FlaskClient, services: Services, seeded: Seed, login: LoginHelper
    ) -> None:
        capture(services.settings.outbox_path, "ouder@example.nl", "Uw inlog voor ELK")
        login(client, seeded.admin.email)
        response = client.get("/beheer/verzonden-e-mail")
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Uw inlog voor ELK" in page
        assert "ouder@example.nl" in page
        assert 'href="/beheer/verzonden-e-mail" aria-current="page"' in page

    @pytest.mark.parametrize("who", ["teacher", "vo_user"])
    def test_others_are_refused(
        self, client: FlaskClient, seeded: Seed, login: LoginHelper, who: str
    ) -> None:
        login(client, getattr(seeded, who).email)
        response = client.get("/beheer/verzonden-e-mail")
        assert response.status_code == 403
        assert "verstuurde e-mails te bekijken" in response.get_data(as_text=True)

    def test_anonymous_visitor_must_log_in(self, client: FlaskClient) -> None:
        response = client.get("/beheer/verzonden-e-mail")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/inloggen?next=")


class TestShell:
    def test_security_headers(self, client: FlaskClient) -> None:
        response = client.get("/inloggen")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"
        assert len(response.headers["X-Request-Id"]) >= 8

    def test_stylesheet_is_served_locally(self, client: FlaskClient) -> None:
        page = client.get("/inloggen").get_data(as_text=True)
        assert "/static/elk.css" in page
        assert "http://" not in page
        assert "https://" not in page
        with client.get("/static/elk.css") as stylesheet:
            assert stylesheet.status_code == 200
            assert stylesheet.mimetype == "text/css"

    def test_production_cookie_is_secure(self, services: Services, seeded: Seed) -> None:
        production = attrs.evolve(services.settings, env="production")
        app = create_app(production, attrs.evolve(services, settings=production))
        client = app.test_client()
        page = client.get("/inloggen").get_data(as_text=True)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        response = client.post(
            "/inloggen",
            data={"email": seeded.admin.email, "password": "x", "csrf_token": token},
            base_url="https://localhost",
        )
        assert "Secure" in response.headers["Set-Cookie"]
        assert "Strict-Transport-Security" in response.headers

    def test_create_app_without_arguments_reads_the_environment(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("ELK_ENV", "test")
        monkeypatch.setenv("ELK_INSTANCE_PATH", str(tmp_path / "instance"))
        monkeypatch.setenv("ELK_SECRET_KEY", "from-the-environment-0123456789")
        monkeypatch.setenv("ELK_IDLE_TIMEOUT_MINUTES", "15")
        app = create_app()
        services = app.extensions["elk"]
        assert isinstance(services, Services)
        assert app.secret_key == "from-the-environment-0123456789"
        assert app.permanent_session_lifetime.total_seconds() == 15 * 60
        assert services.settings.database_url.endswith("instance/elk.sqlite3")

    def test_one_json_log_line_per_request_without_personal_data(
        self, app: Flask, client: FlaskClient, seeded: Seed, login: LoginHelper
    ) -> None:
        login(client, seeded.admin.email)
        stream = io.StringIO()
        configure_logging(app.extensions["elk"].settings, stream=stream)
        response = client.get("/", headers={"X-Request-Id": "req-12345678"})
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
        requests = [line for line in lines if line["event"] == "request"]
        assert requests == [
            {
                "event": "request",
                "method": "GET",
                "path": "/",
                "status": response.status_code,
                "duration_ms": requests[0]["duration_ms"],
                "user_id": seeded.admin.id,
                "request_id": "req-12345678",
                "level": "info",
                "logger": "elk.request",
                "timestamp": requests[0]["timestamp"],
            }
        ]
        assert seeded.admin.email not in stream.getvalue()
        assert "Fien" not in stream.getvalue()


def capture(outbox: Path, to: str, subject: str) -> None:
    mail = OutgoingMail(to=to, subject=subject, body="Beste ouder,\n\nWelkom bij ELK.")
    store_message(outbox, bytes(build_message(mail, "ELK <noreply@elk.localhost>")))


class TestPageReadsDoNotWaitForWriters:
    def test_pages_answer_while_another_thread_holds_the_write_lock(
        self, app: Flask, services: Services, seeded: Seed, login: LoginHelper
    ) -> None:
        # Page reads use read-only units of work: on SQLite they neither queue on the process
        # write lock nor wait for SQLite's RESERVED lock, so a long OSO sync or import does
        # not freeze the pages teachers read.
        import threading

        from flask import url_for

        teacher, admin = app.test_client(), app.test_client()
        login(teacher, seeded.teacher.email)
        login(admin, seeded.admin.email)
        with app.test_request_context():
            pages = [
                (teacher, url_for("main.home")),
                (teacher, url_for("pupils.index")),
                (teacher, url_for("finaltest.index")),
                (teacher, url_for("overviews.index")),
                (teacher, url_for("oso.index")),
                (teacher, url_for("account.settings")),
                (admin, url_for("users.index")),
                (admin, url_for("audit.index")),
                (admin, url_for("organisations.schools")),
            ]
        statuses: list[tuple[str, int]] = []

        def read_pages() -> None:
            statuses.extend((path, client.get(path).status_code) for client, path in pages)

        with services.uow() as writer:  # the write lock, as a running batch holds it
            writer.boards.list()
            reader = threading.Thread(target=read_pages)
            reader.start()
            reader.join(timeout=10)
            assert not reader.is_alive(), f"page reads waited for the writer: {statuses}"
        assert statuses == [(path, 200) for _, path in pages]
