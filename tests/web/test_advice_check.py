"""'Advies klopt' in the Oki-doc editor: confirming an advice inferred from its OSO code.

With ``ELK_OSO_TRUST_INFERRED_ADVICE=1`` a sync stores the translated advice marked
"(OSO, afgeleid uit code 51 — controleer)". A teacher who checked it clicks "Advies klopt": the
mark goes, the value and its OSO source stay, and the history says who checked it (decision
0005, addendum). Real SQLite; the advice is stored as the sync stores it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services
from elk_domain.kernel.values import ElkNumber, PersonName
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import FieldValue, OkiDoc, OkiStatus, Provenance, Source
from elk_domain.pupils.model import Pupil

Csrf = Callable[[TestResponse], str]
Login = Callable[..., TestResponse]
pytestmark = pytest.mark.usefixtures("seeded")

MARK = "afgeleid uit code 51"
BUTTON = re.compile(r'<button[^>]*form="advies-gecontroleerd"[^>]*>\s*Advies klopt\s*</button>')
OSO = Provenance(
    Source.OSO, dt.datetime(2025, 3, 1, tzinfo=dt.UTC), "De Regenboog (12AB00)", inferred_from="51"
)


def _pupil_with_advice(
    services: Services,
    seeded: Any,
    provenance: Provenance = OSO,
    status: OkiStatus = OkiStatus.ONVOLLEDIG,
) -> int:
    with services.uow() as uow:
        pupil = uow.pupils.add(
            Pupil(id=0, elk_number=ElkNumber(uow.pupils.next_elk_number()),
                  school_id=seeded.school_id, name=PersonName("Noor", "Jansen"),
                  group_id=seeded.group_id)
        )  # fmt: skip
        advice = {f.ADVICE_DEFINITIVE: FieldValue("havo/vwo", provenance)}
        uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id, status=status, fields=advice))
        uow.commit()
    return pupil.id


def _advice_tab(client: FlaskClient, pupil_id: int) -> TestResponse:
    return client.get(f"/leerlingen/{pupil_id}/oki-doc?tab=advies")


def _tab_version(page: TestResponse) -> str:
    found = re.search(r'name="expected_version" value="(\d+)"', page.get_data(as_text=True))
    assert found, "no Oki-doc form on the page"
    return found.group(1)


def _version(page: TestResponse) -> str:
    found = re.search(
        r'id="advies-gecontroleerd".*?name="expected_version" value="(\d+)"',
        page.get_data(as_text=True),
        re.S,
    )
    assert found, "no 'Advies klopt' form on the page"
    return found.group(1)


@pytest.fixture
def teacher(client: FlaskClient, login: Login, seeded: Any) -> FlaskClient:
    login(client, seeded.teacher.email)
    return client


class TestAdviesKlopt:
    @pytest.mark.parametrize("status", [OkiStatus.ONVOLLEDIG, OkiStatus.DEFINITIEF])
    def test_the_editor_offers_it_beside_an_inferred_advice(
        self, teacher: FlaskClient, services: Services, seeded: Any, status: OkiStatus
    ) -> None:
        page = _advice_tab(teacher, _pupil_with_advice(services, seeded, status=status))
        html = page.get_data(as_text=True)
        assert MARK in html
        assert BUTTON.search(html), "no 'Advies klopt' button beside the marked advice"

    def test_not_for_an_advice_typed_by_hand(
        self, teacher: FlaskClient, services: Services, seeded: Any
    ) -> None:
        by_hand = Provenance(Source.HAND, dt.datetime(2025, 3, 1, tzinfo=dt.UTC), "Eva")
        html = _advice_tab(teacher, _pupil_with_advice(services, seeded, by_hand)).get_data(
            as_text=True
        )
        assert "havo/vwo" in html
        assert "Advies klopt" not in html
        assert 'id="advies-gecontroleerd"' not in html

    def test_clicking_it_clears_the_mark_and_the_history_shows_who(
        self, teacher: FlaskClient, services: Services, seeded: Any, csrf_token: Csrf
    ) -> None:
        pupil_id = _pupil_with_advice(services, seeded)
        page = _advice_tab(teacher, pupil_id)
        response = teacher.post(
            f"/leerlingen/{pupil_id}/oki-doc/advies-gecontroleerd",
            data={"csrf_token": csrf_token(page), "expected_version": _version(page)},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        assert response.headers["Location"].endswith(f"/leerlingen/{pupil_id}/oki-doc?tab=advies")
        after = teacher.get(response.headers["Location"]).get_data(as_text=True)
        assert "Het advies is gecontroleerd" in after
        assert MARK not in after
        assert "Advies klopt" not in after
        with services.uow() as uow:
            field = uow.okidocs.for_pupil(pupil_id).fields[f.ADVICE_DEFINITIVE]
        assert (field.value, field.provenance.source, field.provenance.inferred_from) == (
            "havo/vwo", Source.OSO, ""
        )  # fmt: skip
        history = teacher.get(f"/leerlingen/{pupil_id}/oki-doc/geschiedenis").get_data(as_text=True)
        assert re.search(r"<td>Eva de Vries</td>\s*<td>Advies gecontroleerd", history)
        assert "OSO-adviescode 51 klopt" in history

    def test_a_stale_page_shows_the_other_change_and_changes_nothing(
        self, teacher: FlaskClient, services: Services, seeded: Any, csrf_token: Csrf
    ) -> None:
        pupil_id = _pupil_with_advice(services, seeded)
        page = _advice_tab(teacher, pupil_id)
        version = _version(page)
        response = teacher.post(  # a colleague picks another advice meanwhile
            f"/leerlingen/{pupil_id}/oki-doc?tab=advies",
            data={"csrf_token": csrf_token(page), "expected_version": version,
                  f.ADVICE_DEFINITIVE: "havo"},
        )  # fmt: skip
        assert response.status_code == 302
        response = teacher.post(
            f"/leerlingen/{pupil_id}/oki-doc/advies-gecontroleerd",
            data={"csrf_token": csrf_token(page), "expected_version": version},
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 409
        assert "Eva de Vries wijzigde: Definitief advies" in html
        with services.uow() as uow:
            field = uow.okidocs.for_pupil(pupil_id).fields[f.ADVICE_DEFINITIVE]
        assert (field.value, field.provenance.source) == ("havo", Source.HAND)


class TestTypingAnotherAdvice:
    def test_saving_the_tab_with_another_advice_clears_the_mark(
        self, teacher: FlaskClient, services: Services, seeded: Any, csrf_token: Csrf
    ) -> None:
        pupil_id = _pupil_with_advice(services, seeded)
        page = _advice_tab(teacher, pupil_id)
        response = teacher.post(
            f"/leerlingen/{pupil_id}/oki-doc?tab=advies",
            data={"csrf_token": csrf_token(page), "expected_version": _tab_version(page),
                  f.ADVICE_DEFINITIVE: "havo"},
        )  # fmt: skip
        assert response.status_code == 302
        after = teacher.get(response.headers["Location"]).get_data(as_text=True)
        assert "afgeleid uit code" not in after
        assert "Advies klopt" not in after
