"""Two people save the same Oki-doc tab: nothing typed is lost, and the page says who changed what.

Real SQLite, real units of work. The race is made deterministic: either the second person
saves with the version their page showed (the first one saved in between), or a colleague's
save is slipped in at the end of the first transaction the save runs (a wrapped unit of work).
A save that is one unit of work has no such gap: the colleague's save simply comes after it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

import attrs
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services
from elk_domain.okidoc import fields as f
from elk_domain.unit_of_work import UnitOfWork
from elk_web import create_app

Csrf = Callable[[TestResponse], str]
StaffLogin = Callable[..., TestResponse]
FINAL_TEST = "/leerlingen/doorstroomtoets/"
_VERSION = re.compile(r'name="expected_version" value="(-?\d+)"')


def _tab(client: FlaskClient, pupil_id: int) -> TestResponse:
    response = client.get(f"/leerlingen/{pupil_id}/oki-doc?tab=advies")
    assert response.status_code == 200
    return response


def _version(page: TestResponse) -> str:
    found = _VERSION.search(page.get_data(as_text=True))
    assert found, "no expected_version on the page"
    return found.group(1)


def _post(
    client: FlaskClient, pupil_id: int, page: TestResponse, csrf: Csrf, values: dict[str, str]
) -> TestResponse:
    """Submit the Advies tab as the browser would, with the version the page showed."""
    form = {"expected_version": _version(page), "csrf_token": csrf(page), **values}
    return client.post(f"/leerlingen/{pupil_id}/oki-doc?tab=advies", data=form)


def _stored(services: Services, pupil_id: int, path: str) -> object:
    with services.uow() as uow:
        return uow.okidocs.for_pupil(pupil_id).value(path)


MINE = {f.ADVICE_CONTACT: "", f.ADVICE_PROVISIONAL_7: "havo"}  # the teacher's form
THEIRS = {f.ADVICE_CONTACT: "Meester Tom"}  # the school administrator's change


class TestSecondSaveWithAnOldVersion:
    """The administrator saved after the teacher opened the tab: 409, input kept, change named."""

    def test_page_keeps_the_typed_value_and_names_the_other_change(
        self,
        app: Flask,
        services: Services,
        staff: Any,
        login_staff: StaffLogin,
        csrf_token: Csrf,
    ) -> None:
        teacher, admin = app.test_client(), app.test_client()
        login_staff(teacher, staff.teacher.email)
        login_staff(admin, staff.school_admin.email)
        teachers_page = _tab(teacher, staff.pupil_id)
        saved = _post(admin, staff.pupil_id, _tab(admin, staff.pupil_id), csrf_token, THEIRS)
        assert saved.status_code == 302

        response = _post(teacher, staff.pupil_id, teachers_page, csrf_token, MINE)

        assert response.status_code == 409
        page = response.get_data(as_text=True)
        alert = page.split('role="alert"', 1)[1].split("</div>", 1)[0]
        assert "Sanne Schoolbeheer" in alert, alert  # who changed it …
        assert "Contactpersoon" in alert, alert  # … and what, in the message itself
        assert re.search(r'<option value="havo" selected>', page), "typed value not kept"
        assert "Meester Tom" in page  # their value, in the form and next to it
        assert _stored(services, staff.pupil_id, f.ADVICE_PROVISIONAL_7) is None
        # The re-rendered form carries the new version: saving it again keeps both changes.
        again = _post(teacher, staff.pupil_id, response, csrf_token, MINE | THEIRS)
        assert again.status_code == 302
        assert _stored(services, staff.pupil_id, f.ADVICE_PROVISIONAL_7) == "havo"
        assert _stored(services, staff.pupil_id, f.ADVICE_CONTACT) == "Meester Tom"


@attrs.define
class _Gap:
    """Runs ``intruder`` once, when the first unit of work that read the Oki-doc ends."""

    intruder: Callable[[], None] | None = None
    fired: int = 0

    def after(self, read_okidoc: bool) -> None:
        if self.intruder is not None and read_okidoc:
            intruder, self.intruder = self.intruder, None
            self.fired += 1
            intruder()


class _WatchedOkiDocs:
    def __init__(self, inner: Any, owner: _GapUnitOfWork) -> None:
        self._inner, self._owner = inner, owner

    def for_pupil(self, pupil_id: int) -> Any:
        self._owner.read_okidoc = True
        return self._inner.for_pupil(pupil_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _GapUnitOfWork:
    """The real unit of work; notes whether it read the Oki-doc and tells ``gap`` when it ends."""

    def __init__(self, inner: UnitOfWork, gap: _Gap) -> None:
        self._inner, self._gap, self.read_okidoc = inner, gap, False

    def __enter__(self) -> _GapUnitOfWork:
        self._inner.__enter__()
        self.okidocs = _WatchedOkiDocs(self._inner.okidocs, self)
        self.read_okidoc = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._inner.__exit__(exc_type, exc, tb)
        self._gap.after(self.read_okidoc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class TestColleagueSavesDuringTheSave:
    """A colleague's whole save lands while the teacher's save is running."""

    def test_both_changes_are_kept_and_no_generic_conflict(
        self,
        services: Services,
        staff: Any,
        login_staff: StaffLogin,
        csrf_token: Csrf,
    ) -> None:
        gap = _Gap()
        real = services.uow
        raced = attrs.evolve(services, uow=lambda: _GapUnitOfWork(real(), gap))
        app = create_app(services.settings, raced)
        app.testing = True
        teacher, admin = app.test_client(), app.test_client()
        login_staff(teacher, staff.teacher.email)
        login_staff(admin, staff.school_admin.email)
        teachers_page = _tab(teacher, staff.pupil_id)
        colleague: list[TestResponse] = []

        def colleague_saves() -> None:
            # Opens the tab now and saves it at once, in a thread of its own as a second
            # browser would (a request nested in this thread would share its login).
            def save() -> None:
                page = _tab(admin, staff.pupil_id)
                colleague.append(_post(admin, staff.pupil_id, page, csrf_token, THEIRS))

            worker = threading.Thread(target=save)
            worker.start()
            worker.join(timeout=30)
            assert not worker.is_alive(), "the colleague's save did not finish"

        gap.intruder = colleague_saves
        response = _post(teacher, staff.pupil_id, teachers_page, csrf_token, MINE)

        assert gap.fired == 1
        assert [r.status_code for r in colleague] == [302]
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        assert _stored(services, staff.pupil_id, f.ADVICE_PROVISIONAL_7) == "havo"
        assert _stored(services, staff.pupil_id, f.ADVICE_CONTACT) == "Meester Tom"


class TestFinalTestRowSavedWithAnOldVersion:
    """The list "Invoeren doorstroomtoets" was open while the administrator saved the advice."""

    def test_message_names_the_other_change_and_repeats_what_was_typed(
        self,
        app: Flask,
        services: Services,
        staff: Any,
        login_staff: StaffLogin,
        csrf_token: Csrf,
    ) -> None:
        teacher, admin = app.test_client(), app.test_client()
        login_staff(teacher, staff.teacher.email)
        login_staff(admin, staff.school_admin.email)
        listing = teacher.get(FINAL_TEST)  # the teacher sees one row: Anna of group 8a
        advice = {f.ADVICE_DEFINITIVE: "havo"}
        saved = _post(admin, staff.pupil_id, _tab(admin, staff.pupil_id), csrf_token, advice)
        assert saved.status_code == 302

        pupil = staff.pupil_id
        typed = {f"r-{pupil}-uitslag": "vwo", f"r-{pupil}-advies": "",
                 f"r-{pupil}-motivatie": "Besproken met ouders"}  # fmt: skip
        found = re.search(rf'name="v-{pupil}" value="(\d+)"', listing.get_data(as_text=True))
        assert found, "no version for the row"
        form = {"leerling": str(pupil), f"v-{pupil}": found.group(1),
                "csrf_token": csrf_token(listing)}  # fmt: skip
        response = teacher.post(FINAL_TEST, data={**form, **typed})

        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "Sanne Schoolbeheer wijzigde: Definitief advies groep 8." in page
        assert "Nu opgeslagen: Definitief advies groep 8: havo" in page
        assert f'name="r-{pupil}-motivatie" value="Besproken met ouders"' in page
        assert re.search(
            rf'name="r-{pupil}-uitslag"[^>]*>.*?<option selected>vwo</option>', page, re.S
        )
        assert _stored(services, staff.pupil_id, f.FINAL_TEST_OUTCOME) is None
        assert _stored(services, staff.pupil_id, f.ADVICE_DEFINITIVE) == "havo"
