"""Invoeren doorstroomtoets (R-DT-3, R-DT-4): a page of pupils entered and saved together."""

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
from elk_domain.okidoc.model import OkiDoc
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock

Csrf = Callable[[TestResponse], str]
Login = Callable[..., TestResponse]
pytestmark = pytest.mark.usefixtures("seeded")
PAGE = "/leerlingen/doorstroomtoets/"
WARNING = "Uitslag hoger dan advies: bijstellen of motiveren"
KEYS = ("toets", "datum", "uitslag", "advies", "motivatie", "ouders")


@pytest.fixture
def pupil_ids(services: Services, seeded: Any) -> list[int]:
    ids = []
    with services.uow() as uow:
        for first in ("Sem", "Lotte"):
            pupil = uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(uow.pupils.next_elk_number()),
                    school_id=seeded.school_id,
                    name=PersonName(first, "Visser"),
                    group_id=seeded.group_id,
                )
            )
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id))
            ids.append(pupil.id)
        uow.commit()
    return ids


@pytest.fixture
def teacher(client: FlaskClient, login: Login, seeded: Any) -> FlaskClient:
    login(client, seeded.teacher.email)
    return client


def form_of(page: str) -> dict[str, list[str]]:
    """What the page's form posts as it is shown (inputs' values and selected options)."""
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        fields.setdefault(name, []).append(value)
    for name in re.findall(r'<input id="[^"]+" name="([^"]+)"(?![^>]*value=)', page):
        fields.setdefault(name, []).append("")
    for name, body in re.findall(
        r'<select id="[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', page, re.S
    ):
        chosen = re.findall(r"<option selected>([^<]*)</option>", body)
        fields[name] = [chosen[-1] if chosen else ""]
    return fields


def post(client: FlaskClient, csrf_token: Csrf, **rows: dict[str, str]) -> TestResponse:
    """Load the page, change the named rows' fields (``{pupil_id: {key: value}}``), post."""
    page = client.get(PAGE).get_data(as_text=True)
    form = form_of(page)
    for pupil_id, values in rows.items():
        for key, value in values.items():
            form[f"r-{pupil_id}-{key}"] = [value]
    form["csrf_token"] = [csrf_token(client.get(PAGE))]
    return client.post(PAGE, data=form)


def stored(services: Services, pupil_id: int, path: str) -> str | None:
    with services.uow() as uow:
        return f.text_of(uow.okidocs.for_pupil(pupil_id).value(path))


class TestInvoerenDoorstroomtoets:
    def test_one_form_with_every_column_per_pupil(
        self, teacher: FlaskClient, pupil_ids: list[int]
    ) -> None:
        page = teacher.get(PAGE).get_data(as_text=True)
        assert "2 leerlingen gevonden." in page
        for pupil_id in pupil_ids:
            for n, key in enumerate(KEYS, start=1):
                assert re.search(rf'name="r-{pupil_id}-{key}"[^>]*data-kolom="{n}"', page)
        assert page.count('id="dt-invoer"') == 1
        assert 'src="/static/finaltest.js"' in page

    def test_saves_many_pupils_together(
        self, teacher: FlaskClient, csrf_token: Csrf, services: Services, pupil_ids: list[int]
    ) -> None:
        sem, lotte = pupil_ids
        full = {"toets": "Route 8", "datum": "2026-02-11", "uitslag": "havo", "advies": "havo"}
        response = post(
            teacher, csrf_token, **{str(sem): full, str(lotte): {**full, "advies": "vwo"}}
        )
        assert response.status_code == 302
        page = teacher.get(response.headers["Location"]).get_data(as_text=True)
        assert "Opgeslagen: 2 leerling(en) gewijzigd." in page
        assert stored(services, sem, f.FINAL_TEST_DATE) == "2026-02-11"
        assert stored(services, lotte, f.ADVICE_DEFINITIVE) == "vwo"
        assert stored(services, lotte, f.FINAL_TEST_NAME) == "Route 8"
        assert page.count("In orde") == 2

    def test_one_wrong_row_saves_nothing_and_keeps_every_typed_value(
        self, teacher: FlaskClient, csrf_token: Csrf, services: Services, pupil_ids: list[int]
    ) -> None:
        sem, lotte = pupil_ids
        response = post(
            teacher,
            csrf_token,
            **{
                str(sem): {"toets": "Route 8", "uitslag": "havo"},
                str(lotte): {"toets": "IEP", "datum": "2026-02-31", "motivatie": "Zie gesprek"},
            },
        )
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "Er is niets opgeslagen: 1 rij bevat een fout." in page
        assert f'id="r-{lotte}-datum-fout"' in page
        assert f'name="r-{lotte}-datum" value="2026-02-31"' in page
        assert f'name="r-{lotte}-motivatie" value="Zie gesprek"' in page
        assert f'name="r-{sem}-toets" value="Route 8"' in page
        assert stored(services, sem, f.FINAL_TEST_NAME) is None

    def test_a_row_saved_by_someone_else_meanwhile_is_refused_and_shown(
        self, teacher: FlaskClient, csrf_token: Csrf, services: Services, pupil_ids: list[int]
    ) -> None:
        sem, _lotte = pupil_ids
        page = teacher.get(PAGE).get_data(as_text=True)
        form = form_of(page)
        post(teacher, csrf_token, **{str(sem): {"uitslag": "vwo"}})  # a colleague, say
        form[f"r-{sem}-uitslag"] = ["havo"]
        form["csrf_token"] = [csrf_token(teacher.get(PAGE))]
        response = teacher.post(PAGE, data=form)
        assert response.status_code == 422
        again = response.get_data(as_text=True)
        assert "Nu opgeslagen: Uitslag doorstroomtoets: vwo" in again
        assert f'name="v-{sem}" value="2"' in again  # a second save goes through
        assert stored(services, sem, f.FINAL_TEST_OUTCOME) == "vwo"

    def test_outcome_above_advice_is_flagged_until_motivated_with_the_parents_date(
        self, teacher: FlaskClient, csrf_token: Csrf, services: Services, pupil_ids: list[int]
    ) -> None:
        sem, _lotte = pupil_ids
        response = post(teacher, csrf_token, **{str(sem): {"uitslag": "vwo", "advies": "havo"}})
        page = teacher.get(response.headers["Location"]).get_data(as_text=True)
        assert "Bij 1 leerling(en) is de uitslag hoger dan het advies" in page
        assert WARNING in page
        overview = teacher.get("/leerlingen/").get_data(as_text=True)
        assert "Doorstroomtoets hoger dan advies: bijstellen of motiveren" in overview
        post(teacher, csrf_token, **{str(sem): {"motivatie": "Besproken met ouders."}})
        assert WARNING in teacher.get(PAGE).get_data(as_text=True)
        post(teacher, csrf_token, **{str(sem): {"ouders": "2026-03-12"}})
        page = teacher.get(PAGE).get_data(as_text=True)
        assert WARNING not in page
        assert "Gemotiveerd" in page
        overview = teacher.get("/leerlingen/").get_data(as_text=True)
        assert "Doorstroomtoets hoger dan advies" not in overview

    def test_a_pupil_of_another_school_in_the_form_refuses_the_page(
        self, teacher: FlaskClient, csrf_token: Csrf, services: Services, seeded: Any
    ) -> None:
        with services.uow() as uow:
            other = next(s for s in uow.schools.list() if s.id != seeded.school_id)
            stranger = uow.pupils.add(
                Pupil(id=0, elk_number=ElkNumber(uow.pupils.next_elk_number()),
                      school_id=other.id, name=PersonName("Cor", "Elders"))
            )  # fmt: skip
            uow.okidocs.add(OkiDoc(id=0, pupil_id=stranger.id))
            uow.commit()
        token = csrf_token(teacher.get(PAGE))
        form = {"leerling": [str(stranger.id)], f"v-{stranger.id}": ["1"],
                f"r-{stranger.id}-uitslag": ["vwo"], "csrf_token": [token]}  # fmt: skip
        assert teacher.post(PAGE, data=form).status_code == 404
        assert stored(services, stranger.id, f.FINAL_TEST_OUTCOME) is None

    @pytest.mark.parametrize("number", ["2147483648", str(2**63), str(10**30), "-1", "x"])
    def test_a_pupil_id_no_record_can_have_is_not_found(
        self, teacher: FlaskClient, csrf_token: Csrf, number: str
    ) -> None:
        token = csrf_token(teacher.get(PAGE))
        form = {"leerling": number, f"v-{number}": "1", "csrf_token": token}
        assert teacher.post(PAGE, data=form).status_code == 404

    def test_vo_user_cannot_open_the_page(
        self, client: FlaskClient, login: Login, seeded: Any, clock: FixedClock
    ) -> None:
        del clock
        login(client, seeded.vo_user.email)
        assert client.get(PAGE).status_code in (403, 404)


def test_the_date_field_takes_iso_dates() -> None:
    assert f.text_of(f.parse_value(f.spec_for(f.FINAL_TEST_DATE), "2026-02-11")) == "2026-02-11"
    assert f.parse_value(f.spec_for(f.ADVICE_PARENTS_INVOLVED), "12-03-2026") == dt.date(
        2026, 3, 12
    )
