"""Input an attacker (or a mistyped link) sends: a clear page or a safe redirect, never a 500.

CR/LF in ``next=``, numbers too large for the database or not plain digits ("²") in query
strings, forms and URLs, and a pupil name with CR/LF that ends up in a mail subject (mail goes
through the real SmtpMailer to a local SMTP capture and is read back from disk).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pytest
from flask import Flask
from tests.web.builders import add_pupil

from elk_adapters.bootstrap import Services
from elk_adapters.mail.capture import MailCapture, free_port
from elk_adapters.mail.smtp import SmtpMailer
from elk_domain.kernel.mail_queue import deliver_pending_mail
from elk_domain.kernel.values import PersonName
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiStatus, Scalar
from elk_domain.organisation.model import Period, Timeline
from elk_domain.pupils.model import ParentLoginStatus
from elk_domain.testing import FixedClock

if TYPE_CHECKING:
    from tests.web.conftest import CsrfHelper, LoginHelper, Seed, Staff, StaffLoginHelper

PASSWORD = "correct horse battery staple"
HUGE = "9" * 30  # far beyond any database integer
NOT_PLAIN = "²"  # str.isdigit() says yes, int() says no
INJECTED_NAME = "Noor\r\nBcc: x@evil.example"


@pytest.fixture
def served(app: Flask) -> Flask:
    """The app as a server runs it: a crash becomes a 500 page instead of a test exception."""
    app.testing = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


HEADER_INJECTIONS = [
    "/x\r\nSet-Cookie: a=b",
    "/\nLocation: https://evil.example/",
    "/a\rb",
    "/a\tb",
    "/\t/evil.example/",  # urlsplit drops the tab: it reads as "//evil.example/"
]


class TestNextParameter:
    @pytest.mark.parametrize("target", HEADER_INJECTIONS)
    def test_login_with_a_header_injection_in_next_goes_home(
        self, served: Flask, seeded: Seed, csrf_token: CsrfHelper, target: str
    ) -> None:
        client = served.test_client()
        token = csrf_token(client.get("/inloggen"))

        response = client.post(
            "/inloggen",
            query_string={"next": target},
            # A user without 2FA: the password step alone logs in (the admin must give a code).
            data={"email": seeded.teacher.email, "password": PASSWORD, "csrf_token": token},
        )

        assert response.status_code == 302
        assert response.headers["Location"] == "/"
        assert not {"\r", "\n"} & set(response.headers["Location"])

    @pytest.mark.parametrize("target", HEADER_INJECTIONS)
    def test_a_logged_in_visitor_with_such_a_link_goes_home(
        self, served: Flask, seeded: Seed, login: LoginHelper, target: str
    ) -> None:
        client = served.test_client()
        login(client, seeded.admin.email)

        response = client.get("/inloggen", query_string={"next": target})

        assert response.status_code == 302
        assert response.headers["Location"] == "/"
        assert not {"\r", "\n"} & set(response.headers["Location"])

    def test_a_plain_local_path_still_works(
        self, served: Flask, seeded: Seed, login: LoginHelper
    ) -> None:
        client = served.test_client()
        login(client, seeded.admin.email)

        response = client.get("/inloggen", query_string={"next": "/leerlingen/?zoek=a%0Db"})

        assert response.headers["Location"] == "/leerlingen/?zoek=a%0Db"


def _add_pupil(services: Services, seeded: Seed, name: PersonName, *, ready: bool) -> int:
    """A pupil of group 8a; ``ready``: definitive Oki-doc with everything the login needs."""
    if not ready:
        return add_pupil(services, seeded.school_id, seeded.group_id, name=name)
    values: dict[str, Scalar] = {
        f.PARENT_EMAIL: "ouder.jansen@example.nl",
        f.FINAL_TEST_OUTCOME: "havo",
        f.ADVICE_DEFINITIVE: "havo",
    }
    return add_pupil(
        services, seeded.school_id, seeded.group_id,
        name=name, status=OkiStatus.DEFINITIEF, values=values,
    )  # fmt: skip


class TestLargeAndOddNumbers:
    @pytest.mark.parametrize("value", [HUGE, NOT_PLAIN, "-1", "1e9", " 2"])
    def test_pupil_overview_page_number_falls_back_to_the_first_page(
        self, served: Flask, seeded: Seed, services: Services, login: LoginHelper, value: str
    ) -> None:
        _add_pupil(services, seeded, PersonName("Noor", "Jansen"), ready=False)
        client = served.test_client()
        login(client, seeded.teacher.email)

        response = client.get("/leerlingen/", query_string={"pagina": value, "per_pagina": value})

        assert response.status_code == 200
        assert "Jansen" in response.get_data(as_text=True)

    @pytest.mark.parametrize("value", [HUGE, NOT_PLAIN])
    @pytest.mark.parametrize(
        "path",
        [
            "/leerlingen/?school={v}&groep={v}",
            "/leerlingen/doorstroomtoets/?school={v}&groep={v}",
            "/beheer/groepen/?school={v}",
            "/beheer/voorkeursinstellingen/?school={v}",
            "/oso/?school={v}",
            "/oso/aanvragen?school={v}",
            "/oso/notificaties?school={v}",
        ],
    )
    def test_query_parameters_never_crash(
        self, served: Flask, staff: Staff, login_staff: StaffLoginHelper, path: str, value: str
    ) -> None:
        for email_address in (staff.admin.email, staff.board_contact.email):
            client = served.test_client()
            login_staff(client, email_address)

            response = client.get(path.format(v=value))

            assert response.status_code < 500, (email_address, response.status_code)

    @pytest.mark.parametrize(
        "path",
        [
            "/leerlingen/{v}/oki-doc",
            "/leerlingen/{v}/notities",
            "/leerlingen/{v}/ouderinlog",
            "/leerlingen/{v}/oki-doc/geschiedenis",
            "/documenten/leerling/{v}/oki-doc.pdf",
            "/beheer/gebruikers/{v}",
            "/beheer/groepen/{v}",
            "/beheer/scholen/{v}",
        ],
    )
    def test_an_id_beyond_the_database_range_is_not_found(
        self, served: Flask, seeded: Seed, login: LoginHelper, path: str
    ) -> None:
        client = served.test_client()
        login(client, seeded.admin.email)

        assert client.get(path.format(v=HUGE)).status_code == 404
        assert client.get(path.format(v=2**31)).status_code == 404

    @pytest.mark.parametrize("value", [HUGE, NOT_PLAIN, "-" + HUGE])
    @pytest.mark.parametrize(
        ("path", "fields"),
        [
            ("/beheer/gebruikers/nieuw", ("school", "bestuur", "versie")),
            ("/beheer/gebruikers/{teacher}", ("school", "bestuur", "versie")),
            ("/beheer/groepen/", ("school",)),
            ("/beheer/groepen/{group}", ("leerling", "contactpersoon", "getoond")),
            ("/beheer/scholen/nieuw", ("board_id", "capaciteit_HAVO")),
            ("/beheer/scholen/{school}", ("board_id", "capaciteit_HAVO", "versie")),
            ("/beheer/voorkeursinstellingen/", ("school", "versie")),
            ("/oso/aanvragen", ("school", "groep", "pupil_ids")),
            ("/oso/notificaties", ("school",)),
            ("/leerlingen/doorstroomtoets/", ("leerling", "v-{pupil}")),
        ],
    )
    def test_numbers_in_forms_never_crash(
        self,
        served: Flask,
        staff: Staff,
        login_staff: StaffLoginHelper,
        csrf_token: CsrfHelper,
        path: str,
        fields: tuple[str, ...],
        value: str,
    ) -> None:
        client = served.test_client()
        login_staff(client, staff.admin.email)
        token = csrf_token(client.get("/"))
        url = path.format(teacher=staff.teacher.id, group=staff.group_id, school=staff.school_id,
                          pupil=staff.pupil_id)  # fmt: skip

        names = [name.format(pupil=staff.pupil_id) for name in fields]
        response = client.post(url, data={**dict.fromkeys(names, value), "csrf_token": token})

        assert response.status_code < 500, response.get_data(as_text=True)[:300]


class TestMailSubjects:
    @pytest.fixture
    def capture(self, tmp_path: Path) -> Iterator[MailCapture]:
        with MailCapture(tmp_path / "captured", port=free_port()) as running:
            yield running

    @pytest.fixture
    def services(self, services: Services, capture: MailCapture) -> Services:
        """The web app's services with the real SMTP mailer, delivering to the capture."""
        mailer = SmtpMailer(capture.host, capture.port, "ELK Amstelland <noreply@elk.example>")
        return attrs.evolve(services, mailer=mailer)

    def test_a_name_with_a_line_break_sends_one_clean_mail(
        self,
        served: Flask,
        seeded: Seed,
        services: Services,
        clock: FixedClock,
        capture: MailCapture,
        login: LoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:
        today = clock.now().date()
        with services.uow() as uow:
            period = Period(today - dt.timedelta(days=1), today + dt.timedelta(days=30))
            uow.settings.save_timeline(Timeline(parent_login=period))
            uow.commit()
        pupil = _add_pupil(services, seeded, PersonName(INJECTED_NAME, "Jansen"), ready=True)
        client = served.test_client()
        login(client, seeded.teacher.email)
        url = f"/leerlingen/{pupil}/ouderinlog"

        response = client.post(url, data={"csrf_token": csrf_token(client.get(url))})

        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        deliver_pending_mail(services.uow(), services.clock, services.mailer)  # the worker's step
        [file] = capture.outbox.glob("*.eml")
        raw = file.read_bytes()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        headers = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0].splitlines()
        assert message.get_all("Bcc") is None
        assert not [h for h in headers if h.lower().startswith(b"bcc")]
        assert str(message["To"]) == "ouder.jansen@example.nl"
        assert str(message["Subject"]).endswith("om Noor Bcc: x@evil.example aan te melden")
        with services.uow() as uow:
            assert uow.pupils.get(pupil).parent_login is ParentLoginStatus.SENT
