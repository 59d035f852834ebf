"""Hostile and careless uploads on the Bijlagen tab (issue 12, findings 3 and 8).

Real SQLite and the real file store on the test's temporary folder: what an attacker (or a
teacher in a hurry) can post, and what ends up on disk and back in a browser.
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from tests.web.builders import add_pupil
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from elk_adapters.bootstrap import Services
from elk_domain.kernel.values import PersonName
from elk_domain.okidoc.model import OkiStatus
from elk_domain.testing import FixedClock

Csrf = Callable[[TestResponse], str]
Login = Callable[..., TestResponse]
MIB = 1024 * 1024
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
GIF += b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


NOOR = PersonName("Noor", "Jansen")


@pytest.fixture(scope="module")
def odt_bomb() -> bytes:
    """The probe's file, smaller: a 0.4 MB ODT whose 'mimetype' unpacks to 400 MiB of zeros,
    written in 1 MiB pieces so that building it never holds more than its compressed bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w") as out:
            chunk = bytes(MIB)
            for _ in range(400):
                out.write(chunk)
        archive.writestr("content.xml", b"<office:document-content/>")
    return buffer.getvalue()


@pytest.fixture
def pupil_id(services: Services, seeded: Any) -> int:
    return add_pupil(services, seeded.school_id, seeded.group_id, name=NOOR)


@pytest.fixture
def teacher(client: FlaskClient, login: Login, seeded: Any) -> FlaskClient:
    login(client, seeded.teacher.email)
    return client


def _post(
    client: FlaskClient, csrf_token: Csrf, pupil_id: int, file: FileStorage | None
) -> TestResponse:
    token = csrf_token(client.get(f"/leerlingen/{pupil_id}/oki-doc?tab=bijlagen"))
    fields: dict[str, Any] = {"soort": "Handelingsplan", "csrf_token": token}
    if file is not None:
        fields["bestand"] = file
    # Encoded in memory: for a big body the test client would spool to a temporary file
    # that it never closes (a ResourceWarning, an error under strict pytest).
    boundary, body = encode_multipart(fields)
    return client.post(
        f"/leerlingen/{pupil_id}/oki-doc/bijlagen",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def _stored(services: Services) -> list[Path]:
    root = services.settings.files_path
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _tab(client: FlaskClient, pupil_id: int) -> str:
    return client.get(f"/leerlingen/{pupil_id}/oki-doc?tab=bijlagen").get_data(as_text=True)


class TestZipBomb:
    def test_bomb_odt_is_refused_in_dutch_without_unpacking(
        self,
        teacher: FlaskClient,
        csrf_token: Csrf,
        services: Services,
        pupil_id: int,
        odt_bomb: bytes,
    ) -> None:
        tracemalloc.start()
        try:
            response = _post(
                teacher, csrf_token, pupil_id, FileStorage(io.BytesIO(odt_bomb), "verslag.odt")
            )
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 48 * MIB, f"{peak / MIB:.0f} MiB for a {len(odt_bomb) / MIB:.1f} MiB upload"
        page = response.get_data(as_text=True)
        assert response.status_code == 422, page[:300]
        assert "uitgepakt veel te groot" in page
        assert _stored(services) == []
        assert "verslag.odt" not in _tab(teacher, pupil_id)


class TestStoredType:
    def test_html_named_gif_is_stored_and_served_as_a_gif_download(
        self, teacher: FlaskClient, csrf_token: Csrf, services: Services, pupil_id: int
    ) -> None:
        response = _post(teacher, csrf_token, pupil_id, FileStorage(io.BytesIO(GIF), "x.html"))
        assert response.status_code == 302
        tab = _tab(teacher, pupil_id)
        assert "De bijlage &#39;x.gif&#39; is toegevoegd." in tab
        assert ">x.gif</a>" in tab
        assert "x.html" not in tab
        [stored] = _stored(services)
        assert stored.read_bytes() == GIF
        download = teacher.get(_download_link(tab))
        assert download.status_code == 200
        assert download.data == GIF
        assert download.headers["Content-Type"] == "image/gif"
        assert download.headers["Content-Disposition"] == (
            "attachment; filename=\"x.gif\"; filename*=UTF-8''x.gif"
        )
        assert download.headers["X-Content-Type-Options"] == "nosniff"


def _download_link(tab: str) -> str:
    end = tab.index('">x.gif</a>')
    return tab[tab.rindex('href="', 0, end) + len('href="') : end]


class TestWhenAndWhat:
    def test_upload_on_a_definitief_oki_doc_is_refused_in_dutch(
        self,
        teacher: FlaskClient,
        csrf_token: Csrf,
        services: Services,
        seeded: Any,
        clock: FixedClock,
    ) -> None:
        pupil = add_pupil(
            services, seeded.school_id, seeded.group_id, name=NOOR, status=OkiStatus.DEFINITIEF
        )
        response = _post(teacher, csrf_token, pupil, FileStorage(io.BytesIO(PDF), "plan.pdf"))
        page = response.get_data(as_text=True)
        assert response.status_code == 409
        assert "Het Oki-doc is definitief: er kunnen geen bijlagen meer worden toegevoegd." in page
        assert _stored(services) == []
        tab = _tab(teacher, pupil)
        assert "plan.pdf" not in tab
        assert "Uploaden</button>" not in tab  # the form is not offered either

    @pytest.mark.parametrize("file", ["absent", "unnamed"])
    def test_no_file_chosen_says_so(
        self,
        teacher: FlaskClient,
        csrf_token: Csrf,
        services: Services,
        pupil_id: int,
        file: str,
    ) -> None:
        # A browser sends an empty, unnamed part when no file was chosen; a script may send none.
        chosen = None if file == "absent" else FileStorage(io.BytesIO(b""), "")
        response = _post(teacher, csrf_token, pupil_id, chosen)
        assert response.status_code == 422
        assert "Kies eerst een bestand." in response.get_data(as_text=True)
        assert _stored(services) == []

    def test_zero_byte_file_is_called_empty(
        self, teacher: FlaskClient, csrf_token: Csrf, services: Services, pupil_id: int
    ) -> None:
        response = _post(teacher, csrf_token, pupil_id, FileStorage(io.BytesIO(b""), "leeg.pdf"))
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "Het bestand is leeg." in page
        assert _stored(services) == []
