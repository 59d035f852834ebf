"""Invoeren doorstroomtoets (R-DT-3): enter result and advice by hand; the R-DT-4 warning."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services
from elk_domain.kernel.values import ElkNumber, PersonName
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiDoc
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock

Csrf = Callable[[TestResponse], str]
Login = Callable[..., TestResponse]
Logout = Callable[[FlaskClient], TestResponse]
pytestmark = pytest.mark.usefixtures("seeded")
PAGE = "/leerlingen/doorstroomtoets/"
WARNING = "Uitslag hoger dan advies: bijstellen of motiveren"


@pytest.fixture
def pupil_id(services: Services, seeded: Any) -> int:
    with services.uow() as uow:
        pupil = uow.pupils.add(
            Pupil(
                id=0,
                elk_number=ElkNumber(uow.pupils.next_elk_number()),
                school_id=seeded.school_id,
                name=PersonName("Sem", "Visser"),
                group_id=seeded.group_id,
            )
        )
        uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id))
        uow.commit()
    return pupil.id


@pytest.fixture
def teacher(client: FlaskClient, login: Login, seeded: Any) -> FlaskClient:
    login(client, seeded.teacher.email)
    return client


def _save(
    client: FlaskClient, csrf_token: Csrf, services: Services, pupil_id: int, **values: str
) -> str:
    """Submit the row's form like the page does; returns the list page it redirects to."""
    with services.uow() as uow:
        version = uow.okidocs.for_pupil(pupil_id).version
    form = {
        "expected_version": str(values.pop("version", version)),
        "csrf_token": csrf_token(client.get(PAGE)),
        "terug": PAGE,
        **values,
    }
    response = client.post(f"{PAGE}{pupil_id}", data=form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(PAGE)
    return client.get(PAGE).get_data(as_text=True)


class TestInvoerenDoorstroomtoets:
    def test_lists_the_pupils_with_empty_choices(self, teacher: FlaskClient, pupil_id: int) -> None:
        page = teacher.get(PAGE).get_data(as_text=True)
        assert "Visser, Sem" in page
        assert "1 leerling gevonden." in page
        assert f'name="{f.FINAL_TEST_OUTCOME}" form="dt-{pupil_id}"' in page

    def test_the_group_filter_keeps_the_chosen_group_and_search(
        self, teacher: FlaskClient, seeded: Any, pupil_id: int
    ) -> None:
        page = teacher.get(f"{PAGE}?groep={seeded.group_id}&zoek=Sem").get_data(as_text=True)
        assert f'<option value="{seeded.group_id}" selected>' in page
        assert 'name="zoek" type="search" value="Sem"' in page
        assert "1 leerling gevonden." in page
        unfiltered = teacher.get(PAGE).get_data(as_text=True)
        assert f'<option value="{seeded.group_id}">' in unfiltered

    def test_entering_result_and_advice_saves_both(
        self, teacher: FlaskClient, csrf_token: Csrf, services: Services, pupil_id: int
    ) -> None:
        page = _save(
            teacher,
            csrf_token,
            services,
            pupil_id,
            **{f.FINAL_TEST_OUTCOME: "havo", f.ADVICE_DEFINITIVE: "havo/vwo"},
        )
        assert "De doorstroomtoets en het definitief advies zijn opgeslagen." in page
        assert "<option selected>havo</option>" in page
        assert "<option selected>havo/vwo</option>" in page
        assert "In orde" in page
        assert WARNING not in page
        with services.uow() as uow:
            okidoc = uow.okidocs.for_pupil(pupil_id)
        assert okidoc.value(f.FINAL_TEST_OUTCOME) == "havo"
        assert okidoc.value(f.ADVICE_DEFINITIVE) == "havo/vwo"

    def test_outcome_above_advice_without_motivation_warns(
        self, teacher: FlaskClient, csrf_token: Csrf, services: Services, pupil_id: int
    ) -> None:
        page = _save(
            teacher,
            csrf_token,
            services,
            pupil_id,
            **{f.FINAL_TEST_OUTCOME: "vwo", f.ADVICE_DEFINITIVE: "havo"},
        )
        assert "De uitslag van de doorstroomtoets (vwo) is hoger dan het definitief advies" in page
        assert WARNING in page

    def test_a_motivation_lifts_the_warning(
        self, teacher: FlaskClient, csrf_token: Csrf, services: Services, pupil_id: int
    ) -> None:
        _save(
            teacher,
            csrf_token,
            services,
            pupil_id,
            **{f.FINAL_TEST_OUTCOME: "vwo", f.ADVICE_DEFINITIVE: "havo"},
        )
        page = _save(
            teacher,
            csrf_token,
            services,
            pupil_id,
            **{f.ADVICE_DEVIATION_MOTIVATION: "Besproken met ouders; havo past beter."},
        )
        assert WARNING not in page
        assert "Gemotiveerd" in page

    def test_stale_version_is_refused_and_nothing_saved(
        self, teacher: FlaskClient, csrf_token: Csrf, services: Services, pupil_id: int
    ) -> None:
        page = _save(
            teacher,
            csrf_token,
            services,
            pupil_id,
            version="0",
            **{f.FINAL_TEST_OUTCOME: "havo"},
        )
        assert 'class="flash flash--error"' in page
        with services.uow() as uow:
            assert uow.okidocs.for_pupil(pupil_id).value(f.FINAL_TEST_OUTCOME) is None

    def test_vo_user_cannot_open_the_page(
        self, client: FlaskClient, login: Login, seeded: Any, clock: FixedClock
    ) -> None:
        login(client, seeded.vo_user.email)
        assert client.get(PAGE).status_code in (403, 404)
