"""The overview's row menu: notes, attachments, reason not placed, parent login, history."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from flask.testing import FlaskClient
from tests.web.builders import add_pupil, register_at
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from elk_adapters.bootstrap import Services, mail_worker
from elk_adapters.mail.capture import MailCapture, free_port
from elk_adapters.mail.outbox import read_outbox
from elk_adapters.mail.smtp import SmtpMailer
from elk_domain.kernel.filetypes import MAX_UPLOAD_BYTES, REFUSED
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiStatus, Scalar
from elk_domain.organisation.model import Period, Timeline
from elk_domain.pupils.model import ParentLoginStatus
from elk_domain.testing import FixedClock
from elk_web import create_app

if TYPE_CHECKING:
    from tests.web.conftest import DeliveredMail

SENT_FLASH = "De ouderinlog is verstuurd naar het e-mailadres van de eerste ouder."
Csrf = Callable[[TestResponse], str]
Login = Callable[..., TestResponse]
Logout = Callable[[FlaskClient], TestResponse]
pytestmark = pytest.mark.usefixtures("seeded")

# A real, minimal PDF (one empty page): what a school would upload.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
COMPLETE: dict[str, Scalar] = {
    f.PARENT_EMAIL: "ouder.jansen@example.nl",
    f.FINAL_TEST_OUTCOME: "havo",
    f.ADVICE_DEFINITIVE: "havo",
}


def _eligible_pupil(services: Services, seeded: Any, clock: FixedClock) -> int:
    """A pupil whose parent login may be sent today: Definitief, complete, in the period."""
    today = clock.now().date()
    with services.uow() as uow:
        period = Period(today - dt.timedelta(days=1), today + dt.timedelta(days=30))
        uow.settings.save_timeline(Timeline(parent_login=period))
        uow.commit()
    return add_pupil(
        services, seeded.school_id, seeded.group_id, status=OkiStatus.DEFINITIEF, values=COMPLETE
    )


@pytest.fixture
def pupil_id(services: Services, seeded: Any) -> int:
    return add_pupil(services, seeded.school_id, seeded.group_id)


@pytest.fixture
def teacher(client: FlaskClient, login: Login, seeded: Any) -> FlaskClient:
    login(client, seeded.teacher.email)
    return client


class TestNotes:
    def _add(
        self, client: FlaskClient, csrf_token: Csrf, pupil_id: int, text: str, who: str
    ) -> None:
        url = f"/leerlingen/{pupil_id}/notities"
        token = csrf_token(client.get(url))
        response = client.post(url, data={"tekst": text, "zichtbaarheid": who, "csrf_token": token})
        assert response.status_code == 302

    def test_teacher_reads_both_kinds_of_note(
        self, teacher: FlaskClient, csrf_token: Csrf, pupil_id: int
    ) -> None:
        self._add(teacher, csrf_token, pupil_id, "Alleen voor ons", "eigen_organisatie")
        self._add(teacher, csrf_token, pupil_id, "Ook voor het VO", "ook_vo")
        page = teacher.get(f"/leerlingen/{pupil_id}/notities").get_data(as_text=True)
        assert "Alleen voor ons" in page
        assert "Ook voor het VO" in page
        assert "Eigen organisatie en VO" in page

    def test_vo_user_reads_only_the_shared_note(
        self,
        teacher: FlaskClient,
        csrf_token: Csrf,
        login: Login,
        logout: Logout,
        services: Services,
        seeded: Any,
        pupil_id: int,
    ) -> None:
        self._add(teacher, csrf_token, pupil_id, "Alleen voor ons", "eigen_organisatie")
        self._add(teacher, csrf_token, pupil_id, "Ook voor het VO", "ook_vo")
        vo_id = seeded.vo_user.school_id
        assert vo_id is not None
        register_at(services, pupil_id, vo_id)
        logout(teacher)
        login(teacher, seeded.vo_user.email)
        page = teacher.get(f"/leerlingen/{pupil_id}/notities").get_data(as_text=True)
        assert "Ook voor het VO" in page
        assert "Alleen voor ons" not in page

    def test_empty_note_is_refused_in_dutch(
        self, teacher: FlaskClient, csrf_token: Csrf, pupil_id: int
    ) -> None:
        url = f"/leerlingen/{pupil_id}/notities"
        token = csrf_token(teacher.get(url))
        response = teacher.post(url, data={"tekst": "  ", "csrf_token": token})
        assert response.status_code == 422
        assert "De notitie is leeg." in response.get_data(as_text=True)


class TestAttachments:
    def _upload(
        self, client: FlaskClient, csrf_token: Csrf, pupil_id: int, data: bytes, name: str
    ) -> tuple[int, str]:
        token = csrf_token(client.get(f"/leerlingen/{pupil_id}/oki-doc?tab=bijlagen"))
        # Encoded in memory: for a big body the test client would spool to a temporary file
        # that it never closes (a ResourceWarning, an error under strict pytest).
        boundary, body = encode_multipart(
            {
                "soort": "Handelingsplan",
                "bestand": FileStorage(io.BytesIO(data), filename=name),
                "csrf_token": token,
            }
        )
        response = client.post(
            f"/leerlingen/{pupil_id}/oki-doc/bijlagen",
            data=body,
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        return response.status_code, response.get_data(as_text=True)

    def test_pdf_is_listed_and_downloads_the_same_bytes(
        self, teacher: FlaskClient, csrf_token: Csrf, pupil_id: int
    ) -> None:
        status, _ = self._upload(teacher, csrf_token, pupil_id, PDF, "handelingsplan.pdf")
        assert status == 302
        tab = teacher.get(f"/leerlingen/{pupil_id}/oki-doc?tab=bijlagen").get_data(as_text=True)
        assert "handelingsplan.pdf" in tab
        sha = hashlib.sha256(PDF).hexdigest()
        link = f"/leerlingen/{pupil_id}/oki-doc/bijlagen/{sha}"
        assert link in tab
        download = teacher.get(link)
        assert download.status_code == 200
        assert download.data == PDF
        assert download.mimetype == "application/pdf"
        assert download.headers["Content-Disposition"].startswith("attachment;")

    @pytest.mark.parametrize(
        "data",
        [b"MZ\x90\x00\x03\x00\x00\x00 renamed program", b"Gewoon een tekstbestand.\n"],
        ids=["exe", "txt"],
    )
    def test_renamed_file_is_refused_by_its_content(
        self, teacher: FlaskClient, csrf_token: Csrf, pupil_id: int, data: bytes
    ) -> None:
        status, page = self._upload(teacher, csrf_token, pupil_id, data, "verslag.pdf")
        assert status == 422
        assert REFUSED.split(".")[0] in page
        tab = teacher.get(f"/leerlingen/{pupil_id}/oki-doc?tab=bijlagen").get_data(as_text=True)
        assert "verslag.pdf" not in tab

    def test_too_big_file_is_refused(
        self, teacher: FlaskClient, csrf_token: Csrf, pupil_id: int
    ) -> None:
        big = PDF + b"0" * (MAX_UPLOAD_BYTES + 1 - len(PDF))
        status, page = self._upload(teacher, csrf_token, pupil_id, big, "groot.pdf")
        assert status == 422
        assert f"Het bestand is groter dan {MAX_UPLOAD_BYTES // (1024 * 1024)} MB." in page


class TestReasonNotPlaced:
    def test_reason_is_saved_and_shown_in_the_overview(
        self, teacher: FlaskClient, csrf_token: Csrf, pupil_id: int
    ) -> None:
        url = f"/leerlingen/{pupil_id}/reden-niet-plaatsen"
        token = csrf_token(teacher.get(url))
        response = teacher.post(url, data={"reden": "verhuisd", "csrf_token": token})
        assert response.status_code == 302
        overview = teacher.get("/leerlingen/").get_data(as_text=True)
        assert "Jansen, Noor van</a> <small>(Verhuisd)</small>" in overview

    def test_reason_can_be_cleared(
        self, teacher: FlaskClient, csrf_token: Csrf, pupil_id: int
    ) -> None:
        url = f"/leerlingen/{pupil_id}/reden-niet-plaatsen"
        for choice in ("uitgeschreven", ""):
            token = csrf_token(teacher.get(url))
            teacher.post(url, data={"reden": choice, "csrf_token": token})
        assert "<small>(Uitgeschreven)</small>" not in teacher.get("/leerlingen/").get_data(
            as_text=True
        )


class TestParentLogin:
    def test_page_lists_every_reason_when_not_eligible(
        self, teacher: FlaskClient, pupil_id: int
    ) -> None:
        page = teacher.get(f"/leerlingen/{pupil_id}/ouderinlog").get_data(as_text=True)
        assert "De ouderinlog kan nu niet worden verstuurd" in page
        for reason in (
            "alleen in de periode van het tijdpad",
            "Het Oki-doc is nog niet definitief.",
            "De uitslag van de doorstroomtoets ontbreekt.",
            "Het definitieve advies ontbreekt.",
            "geen geldig e-mailadres van de eerste ouder",
        ):
            assert reason in page
        assert '<button type="submit" class="button">Ouderinlog versturen' not in page

    def test_eligible_pupil_gets_the_mail_and_is_marked_sent(
        self,
        teacher: FlaskClient,
        csrf_token: Csrf,
        services: Services,
        seeded: Any,
        clock: FixedClock,
        outbox: Path,
        delivered_mail: DeliveredMail,
    ) -> None:
        pupil = _eligible_pupil(services, seeded, clock)
        url = f"/leerlingen/{pupil}/ouderinlog"
        page = teacher.get(url)
        assert "De ouderinlog kan nu niet worden verstuurd" not in page.get_data(as_text=True)
        response = teacher.post(url, data={"csrf_token": csrf_token(page)})
        assert response.status_code == 302
        assert read_outbox(outbox) == []  # queued in the request, sent by the worker
        assert [m.to for m in delivered_mail()] == ["ouder.jansen@example.nl"]
        with services.uow() as uow:
            assert uow.pupils.get(pupil).parent_login is ParentLoginStatus.SENT
        again = teacher.get(url).get_data(as_text=True)
        assert "De ouderinlog is al verstuurd." in again

    def test_the_login_is_sent_with_the_mail_server_down_and_arrives_later(
        self, services: Services, seeded: Any, clock: FixedClock, login: Login, csrf_token: Csrf,
        tmp_path: Path,
    ) -> None:  # fmt: skip
        """Decision 0032 (addendum): the parent login goes through the outbox, so a mail server
        outage neither fails the form nor leaves the status behind; the worker sends it later."""
        pupil = _eligible_pupil(services, seeded, clock)
        port = free_port()  # nothing listens here (yet)
        mailer = SmtpMailer("127.0.0.1", port, "ELK <noreply@elk.test>", timeout=2)
        client = create_app(services.settings, attrs.evolve(services, mailer=mailer)).test_client()
        login(client, seeded.teacher.email)
        url = f"/leerlingen/{pupil}/ouderinlog"
        response = client.post(url, data={"csrf_token": csrf_token(client.get(url))})

        assert response.status_code == 302, response.get_data(as_text=True)
        assert SENT_FLASH in client.get(response.headers["Location"]).get_data(as_text=True)
        with services.uow() as uow:
            assert uow.pupils.get(pupil).parent_login is ParentLoginStatus.SENT
            [queued] = uow.mail_queue.unsent()
        assert queued.to == "ouder.jansen@example.nl"

        with MailCapture(tmp_path / "captured", port=port) as capture:
            with mail_worker(attrs.evolve(services, mailer=mailer), interval=0.05):
                deadline = time.monotonic() + 10
                while not read_outbox(capture.outbox) and time.monotonic() < deadline:
                    time.sleep(0.05)
            [mail] = read_outbox(capture.outbox)
        assert mail.to == "ouder.jansen@example.nl"
        assert "/ouders/wachtwoord-instellen/" in mail.body
        with services.uow() as uow:
            assert uow.mail_queue.unsent() == []


class TestHistory:
    def test_history_lists_field_changes_with_who_and_when(
        self, teacher: FlaskClient, csrf_token: Csrf, services: Services, pupil_id: int
    ) -> None:
        with services.uow() as uow:
            version = uow.okidocs.for_pupil(pupil_id).version
        token = csrf_token(teacher.get("/leerlingen/doorstroomtoets/"))
        response = teacher.post(
            "/leerlingen/doorstroomtoets/",
            data={
                "leerling": str(pupil_id),
                f"r-{pupil_id}-uitslag": "vwo",
                f"r-{pupil_id}-advies": "havo/vwo",
                f"v-{pupil_id}": str(version),
                "csrf_token": token,
            },
        )
        assert response.status_code == 302
        page = teacher.get(f"/leerlingen/{pupil_id}/oki-doc/geschiedenis").get_data(as_text=True)
        assert "Eva de Vries" in page  # who
        assert re.search(r'<time datetime="2025-03-17T', page)  # when (the test clock)
        assert f.spec_for(f.FINAL_TEST_OUTCOME).label in page
        assert "<td>vwo</td>" in page
        assert "<td>havo/vwo</td>" in page
