"""Voorkeursinstellingen (R-AUTH-3) and end users filling groups (R-GRP-1), through the web."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import attrs
import pytest
from flask import Flask
from flask.testing import FlaskClient

from elk_adapters.bootstrap import Services
from elk_web import create_app

if TYPE_CHECKING:
    from tests.web.conftest import CsrfHelper, LoginHelper, Staff, StaffLoginHelper

PAGE = "/beheer/voorkeursinstellingen/"
PREFERENCES = {
    "lwoo.lat_deelname": "ja",
    "lwoo.cap_deelname": "nee",
    "lwoo.sem_deelname": "",
    "lwoo.instelling": "Bureau West",
    "lwoo.onderzoeker": "",
}


def _selected(page: str, name: str) -> str | None:
    """The selected option's value of the select called ``name``."""
    select = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select {name}"
    chosen = re.search(r'<option value="([^"]*)" selected>', select.group(1))
    return chosen.group(1) if chosen else None


def save_preferences(client: FlaskClient, csrf: CsrfHelper, **changes: str) -> int:
    token = csrf(client.get(PAGE))
    data = {**PREFERENCES, **changes, "versie": "0", "csrf_token": token}
    return client.post(PAGE, data=data).status_code


class TestPreferencesPage:
    def test_the_school_administrator_sets_the_defaults(
        self, client: FlaskClient, staff: Staff, login_staff: StaffLoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        login_staff(client, staff.school_admin.email)
        home = client.get("/").get_data(as_text=True)
        assert 'href="/beheer/voorkeursinstellingen/"' in home
        page = client.get(PAGE).get_data(as_text=True)
        assert "Alleen voor aanmelding bij Amsterdamse scholen." in page
        assert "niet voor de Kernprocedure Amstelland" in page
        assert "de instellingen hebben nu geen effect" in page  # this installation: Amstelland
        assert save_preferences(client, csrf_token) == 302
        page = client.get(PAGE).get_data(as_text=True)
        assert _selected(page, "lwoo.lat_deelname") == "ja"
        assert _selected(page, "lwoo.cap_deelname") == "nee"
        assert _selected(page, "lwoo.sem_deelname") == ""
        assert 'value="Bureau West"' in page
        log = client.get("/beheer/logboek/").get_data(as_text=True)
        assert "voorkeursinstellingen" in log

    def test_a_wrong_answer_is_named_and_the_input_kept(
        self, client: FlaskClient, staff: Staff, login_staff: StaffLoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        login_staff(client, staff.school_admin.email)
        token = csrf_token(client.get(PAGE))
        data = {**PREFERENCES, "lwoo.lat_deelname": "misschien", "versie": "0"}
        response = client.post(PAGE, data={**data, "csrf_token": token})
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "De voorkeursinstellingen zijn niet opgeslagen." in page
        assert "kies ja of nee" in page
        assert 'value="Bureau West"' in page

    def test_end_users_neither_see_nor_open_the_page(
        self, client: FlaskClient, staff: Staff, login: LoginHelper
    ) -> None:
        login(client, staff.colleague.email)
        assert "Voorkeursinstellingen" not in client.get("/").get_data(as_text=True)
        assert client.get(PAGE).status_code == 403


@pytest.fixture
def amsterdam(services: Services, staff: Staff) -> Flask:
    """The app of an installation on the Amsterdam route (the Ind. LWOO/PrO tab is used)."""
    settings = attrs.evolve(services.settings, procedure="amsterdam")
    app = create_app(settings, attrs.evolve(services, settings=settings))
    app.testing = True
    return app


class TestPreFill:
    def test_the_editor_pre_fills_empty_fields_until_the_teacher_saves(
        self, amsterdam: Flask, services: Services, staff: Staff, login: LoginHelper,
        login_staff: StaffLoginHelper, csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        admin = amsterdam.test_client()
        login_staff(admin, staff.school_admin.email)
        assert save_preferences(admin, csrf_token) == 302
        assert "geen effect" not in admin.get(PAGE).get_data(as_text=True)
        teacher = amsterdam.test_client()
        login(teacher, staff.teacher.email)
        tab = f"/leerlingen/{staff.pupil_id}/oki-doc?tab=lwoo-pro"
        page = teacher.get(tab).get_data(as_text=True)
        assert _selected(page, "lwoo.lat_deelname") == "ja"
        assert _selected(page, "lwoo.cap_deelname") == "nee"
        assert page.count("Dit wordt pas vastgelegd als u op Opslaan klikt.") == 3
        assert self._stored(services, staff, "lwoo.lat_deelname") is None  # only a pre-fill
        form = {"lwoo.lat_deelname": "ja", "lwoo.cap_deelname": "ja", "lwoo.instelling": "",
                "expected_version": "1", "csrf_token": csrf_token(teacher.get(tab))}  # fmt: skip
        assert teacher.post(tab, data=form).status_code == 302
        assert self._stored(services, staff, "lwoo.lat_deelname") is True
        assert self._stored(services, staff, "lwoo.cap_deelname") is True  # the teacher's choice
        page = teacher.get(tab).get_data(as_text=True)
        assert _selected(page, "lwoo.cap_deelname") == "ja"
        assert page.count("Dit wordt pas vastgelegd") == 1  # the field left empty: Instelling

    @staticmethod
    def _stored(services: Services, staff: Staff, path: str) -> object:
        with services.uow() as uow:
            return uow.okidocs.for_pupil(staff.pupil_id).value(path)


class TestEndUsersFillGroups:
    def test_an_end_user_moves_a_pupil_but_cannot_create_or_rename(
        self, app: Flask, client: FlaskClient, staff: Staff, login: LoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        teacher = app.test_client()
        login(teacher, staff.teacher.email)
        assert teacher.get(f"/leerlingen/{staff.pupil_id}/oki-doc").status_code == 200
        login(client, staff.colleague.email)
        assert 'href="/beheer/groepen/"' in client.get("/").get_data(as_text=True)
        groups = client.get("/beheer/groepen/").get_data(as_text=True)
        assert "8a" in groups
        assert "8b" in groups
        assert "Groep toevoegen" not in groups
        edit = f"/beheer/groepen/{staff.other_group_id}"
        page = client.get(edit).get_data(as_text=True)
        assert 'name="naam"' not in page
        assert 'name="contactpersoon"' not in page
        token = csrf_token(client.get(edit))
        moved = client.post(
            edit,
            data={"leerling": [str(staff.pupil_id), str(staff.other_group_pupil_id)],
                  "getoond": [str(staff.pupil_id), str(staff.other_group_pupil_id)],
                  "csrf_token": token},
        )  # fmt: skip
        assert moved.status_code == 302
        # Anna left 8a, so its contact person no longer sees her (R-AUTH-4).
        assert teacher.get(f"/leerlingen/{staff.pupil_id}/oki-doc").status_code == 404
        renamed = client.post(edit, data={"naam": "8z", "csrf_token": token})
        assert renamed.status_code == 403
        created = client.post("/beheer/groepen/", data={"naam": "8c", "csrf_token": token})
        assert created.status_code == 403

    def test_a_contact_person_sees_and_fills_only_own_groups(
        self, client: FlaskClient, staff: Staff, login: LoginHelper
    ) -> None:
        login(client, staff.teacher.email)
        groups = client.get("/beheer/groepen/").get_data(as_text=True)
        assert ">8a<" in groups
        assert ">8b<" not in groups
        page = client.get(f"/beheer/groepen/{staff.group_id}").get_data(as_text=True)
        assert "Anna" in page
        assert "Bas" not in page
        assert client.get(f"/beheer/groepen/{staff.other_group_id}").status_code == 404
