"""What the parents' portal tests share: a teacher who sends the ouderinlog, the mail it makes,
and a parent who follows its link; eligible pupils; the fixtures ``portal`` and ``proef``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from flask.testing import FlaskClient
from tests.web.builders import add_pupil
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services
from elk_domain.kernel.values import PersonName
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiStatus
from elk_domain.organisation.model import Period, Timeline
from elk_domain.pupils.model import ParentLoginStatus
from elk_domain.testing import FixedClock

if TYPE_CHECKING:
    from tests.web.conftest import DeliveredMail

Csrf = Callable[[TestResponse], str]
Login = Callable[..., TestResponse]
S = ParentLoginStatus
PASSWORD = "een zin als wachtwoord"
LINK = re.compile(r"http://\S+(/ouders/wachtwoord-instellen/\S+)")


def eligible(services: Services, seeded: Any, clock: FixedClock, first: str, email: str) -> int:
    """A pupil whose parent login may be sent today: Definitief, complete, in the period."""
    today = clock.now().date()
    with services.uow() as uow:
        period = Period(today - dt.timedelta(days=1), today + dt.timedelta(days=30))
        uow.settings.save_timeline(Timeline(parent_login=period))
        uow.commit()
    values = {f.PARENT_EMAIL: email, f.FINAL_TEST_OUTCOME: "havo", f.ADVICE_DEFINITIVE: "havo"}
    return add_pupil(
        services,
        seeded.school_id,
        seeded.group_id,
        name=PersonName(first, "Jansen"),
        status=OkiStatus.DEFINITIEF,
        values=values,
    )


class Portal:
    """The test's actors: the school (a logged-in teacher) and the mail it makes."""

    def __init__(
        self, app_client: Callable[[], FlaskClient], teacher: FlaskClient, csrf: Csrf,
        services: Services, mail: DeliveredMail,
    ) -> None:  # fmt: skip
        self.new_client, self.teacher, self.csrf = app_client, teacher, csrf
        self.services, self.mail = services, mail

    def send_login(self, pupil_id: int) -> str:
        """The school presses "Ouderinlog versturen"; the path of the link in the mail."""
        url = f"/leerlingen/{pupil_id}/ouderinlog"
        response = self.teacher.post(url, data={"csrf_token": self.csrf(self.teacher.get(url))})
        assert response.status_code == 302, response.get_data(as_text=True)
        return self.last_link()

    def last_link(self) -> str:
        match = LINK.search(self.mail()[-1].body)
        assert match, self.mail()[-1].body
        return match.group(1)

    def elk_number(self, pupil_id: int) -> str:
        with self.services.uow() as uow:
            return str(uow.pupils.get(pupil_id).elk_number)

    def status(self, pupil_id: int) -> ParentLoginStatus:
        with self.services.uow() as uow:
            return uow.pupils.get(pupil_id).parent_login

    def set_password(self, link: str, password: str = PASSWORD) -> TestResponse:
        parent = self.new_client()
        page = parent.get(link)
        data = {"wachtwoord": password, "herhaling": password, "csrf_token": self.csrf(page)}
        return parent.post(link, data=data)

    def log_in(self, number: str, password: str = PASSWORD) -> tuple[FlaskClient, TestResponse]:
        parent = self.new_client()
        token = self.csrf(parent.get("/ouders/inloggen"))
        data = {"elk_nummer": number, "wachtwoord": password, "csrf_token": token}
        return parent, parent.post("/ouders/inloggen", data=data)


@pytest.fixture
def portal(
    app: Any, client: FlaskClient, login: Login, seeded: Any, csrf_token: Csrf,
    services: Services, delivered_mail: DeliveredMail,
) -> Portal:  # fmt: skip
    login(client, seeded.teacher.email)
    return Portal(app.test_client, client, csrf_token, services, delivered_mail)


@pytest.fixture
def proef(services: Services, seeded: Any, clock: FixedClock) -> int:
    return eligible(services, seeded, clock, "Proef", "ouder.proef@example.nl")


def overview_row(page: str, pupil_id: int) -> str:
    """The pupil's row in the pupils overview's HTML."""
    match = re.search(rf'<tr data-href="[^"]*/{pupil_id}/oki-doc">.*?</tr>', page, re.S)
    assert match, f"no row for pupil {pupil_id}"
    return match.group(0)
