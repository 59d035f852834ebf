"""Importing the provider's result file on the school's page (R-DT-2), SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from flask.testing import FlaskClient
from tests.web.conftest import make_services
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services, bootstrap
from elk_adapters.persistence.database import (
    SqlAlchemyUnitOfWork,
    make_engine,
    migrate,
    write_lock_for,
)
from elk_adapters.settings import Settings
from elk_domain.finaltest.result_import import ALREADY_IMPORTED
from elk_domain.finaltest.upload import GONE, NO_SCHOOL
from elk_domain.kernel.values import ElkNumber, PersonName
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.catalogue.samples import complete_fields
from elk_domain.okidoc.model import FieldValue, OkiDoc, OkiStatus, Provenance, Source
from elk_domain.parents.eligibility import Reason
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock
from elk_web.finaltest.imports import UPLOAD

Csrf = Callable[[TestResponse], str]
Login = Callable[..., TestResponse]
PAGE = "/leerlingen/doorstroomtoets/importeren"
HEADER = "BRIN;Voornaam;Tussenvoegsel;Achternaam;Geboortedatum;Toets;Afnamedatum;Uitslag;Score taal"
ROWS = (
    "12AB00;Sem;;Visser;04-05-2013;Route 8;11-02-2026;havo;231",
    "12AB00;J.;van der;Berg;17-09-2013;Route 8;11-02-2026;vwo;245",
    "12AB00;Fatima;;Yilmaz;01-01-2014;Route 8;11-02-2026;vmbo-kb;190",
)


def result_zip(*rows: str) -> bytes:
    """A provider's ZIP with one semicolon CSV."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        entry = zipfile.ZipInfo("uitslagen/route8.csv", date_time=(2026, 3, 14, 9, 0, 0))
        archive.writestr(entry, "\n".join((HEADER, *rows)).encode(), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def services(
    request: pytest.FixtureRequest, settings: Settings, clock: FixedClock, migrated_schema: Path
) -> Iterator[Services]:
    """The web services on SQLite (the suite's) or on a fresh migrated PostgreSQL database."""
    if request.param == "sqlite":
        yield make_services(settings, clock, migrated_schema)
        return
    url: str = request.getfixturevalue("postgres_url")
    migrate(url)
    engine = make_engine(url)
    lock = write_lock_for(engine)
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    yield bootstrap(
        attrs.evolve(settings, database_url=url),
        clock=clock,
        uow=lambda: SqlAlchemyUnitOfWork(engine, write_lock=lock),
        read_uow=lambda: SqlAlchemyUnitOfWork(engine, read_only=True),
    )
    engine.dispose()


@pytest.fixture
def pupils(services: Services, seeded: Any) -> dict[str, int]:
    """Sem Visser, and the twins Jan and Johan van der Berg, all of group 8a."""
    people = {
        "Sem": ("Visser", "", dt.date(2013, 5, 4)),
        "Jan": ("Berg", "van der", dt.date(2013, 9, 17)),
        "Johan": ("Berg", "van der", dt.date(2013, 9, 17)),
    }
    ids = {}
    with services.uow() as uow:
        for first, (last, tv, born) in people.items():
            pupil = uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(uow.pupils.next_elk_number()),
                    school_id=seeded.school_id,
                    name=PersonName(first, last, tv),
                    group_id=seeded.group_id,
                    birth_date=born,
                )
            )
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id))
            ids[first] = pupil.id
        uow.commit()
    return ids


@pytest.fixture
def teacher(client: FlaskClient, login: Login, seeded: Any) -> FlaskClient:
    login(client, seeded.teacher.email)
    return client


def upload(
    client: FlaskClient, csrf_token: Csrf, data: bytes, name: str = "uitslag.zip"
) -> TestResponse:
    token = csrf_token(client.get(PAGE))
    return client.post(
        PAGE,
        data={"csrf_token": token, "bestand": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def import_with(client: FlaskClient, csrf_token: Csrf, **choices: str) -> TestResponse:
    token = csrf_token(client.get(PAGE))
    return client.post(f"{PAGE}/inlezen", data={"csrf_token": token, **choices})


def outcome(services: Services, pupil_id: int) -> str | None:
    with services.uow() as uow:
        return f.text_of(uow.okidocs.for_pupil(pupil_id).value(f.FINAL_TEST_OUTCOME))


class TestUploadAndPreview:
    def test_shows_every_line_with_its_verdict_reason_and_candidates(
        self, teacher: FlaskClient, csrf_token: Csrf, pupils: dict[str, int], services: Services
    ) -> None:
        response = upload(teacher, csrf_token, result_zip(*ROWS))
        assert response.status_code == 302
        page = teacher.get(PAGE).get_data(as_text=True)
        assert "Voorbeeld: uitslag.zip" in page
        assert "Gekoppeld op geboortedatum en naam." in page
        assert "Het bestand noemt alleen voorletters: kies de leerling." in page
        assert "Geen leerling van de school met deze naam en geboortedatum." in page
        assert f'name="regel-2" value="{pupils["Jan"]}"' in page
        assert f'name="regel-2" value="{pupils["Johan"]}"' in page
        assert "taal: 231" in page  # the scores are shown
        assert outcome(services, pupils["Sem"]) is None  # nothing stored yet

    def test_the_session_holds_a_reference_not_the_file(
        self, teacher: FlaskClient, csrf_token: Csrf, pupils: dict[str, int], services: Services
    ) -> None:
        data = result_zip(*ROWS)
        upload(teacher, csrf_token, data)
        with teacher.session_transaction() as session:
            kept = dict(session[UPLOAD])
        assert set(kept) == {"key", "school_id", "user_id", "filename"}
        assert services.files.get(kept["key"]) == data

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"geen zip", "geen (leesbaar) ZIP-bestand"),
            (result_zip().replace(b"route8.csv", b"../x/a.csv"), "ongeldige naam"),
        ],
    )
    def test_a_hostile_file_is_refused_with_a_message_and_not_kept(
        self,
        teacher: FlaskClient,
        csrf_token: Csrf,
        pupils: dict[str, int],
        services: Services,
        data: bytes,
        message: str,
    ) -> None:
        response = upload(teacher, csrf_token, data)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
        with teacher.session_transaction() as session:
            assert UPLOAD not in session


class TestImport:
    def test_imports_the_certain_and_the_chosen_line_in_one_go(
        self, teacher: FlaskClient, csrf_token: Csrf, pupils: dict[str, int], services: Services
    ) -> None:
        upload(teacher, csrf_token, result_zip(*ROWS))
        response = import_with(teacher, csrf_token, **{"regel-2": str(pupils["Johan"])})
        assert response.status_code == 302
        page = teacher.get(response.headers["Location"]).get_data(as_text=True)
        assert "2 resultaten ingelezen, 0 waren al bijgewerkt." in page
        assert "1 regel niet ingelezen" in page
        assert (outcome(services, pupils["Sem"]), outcome(services, pupils["Johan"])) == (
            "havo",
            "vwo",
        )
        assert outcome(services, pupils["Jan"]) is None
        with teacher.session_transaction() as session:
            assert UPLOAD not in session

    def test_the_same_file_twice_changes_nothing_and_says_so(
        self, teacher: FlaskClient, csrf_token: Csrf, pupils: dict[str, int]
    ) -> None:
        upload(teacher, csrf_token, result_zip(ROWS[0]))
        import_with(teacher, csrf_token)
        upload(teacher, csrf_token, result_zip(ROWS[0]))
        response = import_with(teacher, csrf_token)
        assert ALREADY_IMPORTED in teacher.get(response.headers["Location"]).get_data(as_text=True)

    def test_a_forged_pupil_id_is_refused_and_nothing_saved(
        self,
        teacher: FlaskClient,
        csrf_token: Csrf,
        pupils: dict[str, int],
        services: Services,
        staff: Any,
    ) -> None:
        upload(teacher, csrf_token, result_zip(*ROWS))
        for forged in (str(staff.other_school_pupil_id), str(pupils["Sem"]), "x", "-1"):
            response = import_with(teacher, csrf_token, **{"regel-2": forged})
            assert response.status_code == 422
            assert "kies een van de voorgestelde leerlingen" in response.get_data(as_text=True)
        assert outcome(services, pupils["Sem"]) is None
        assert outcome(services, staff.other_school_pupil_id) is None

    def test_without_an_upload_it_asks_for_one(
        self, teacher: FlaskClient, csrf_token: Csrf, pupils: dict[str, int]
    ) -> None:
        response = import_with(teacher, csrf_token)
        assert response.status_code == 422
        assert "Upload eerst het bestand" in response.get_data(as_text=True)

    def test_a_file_removed_meanwhile_asks_for_a_new_upload(
        self, teacher: FlaskClient, csrf_token: Csrf, pupils: dict[str, int], services: Services
    ) -> None:
        upload(teacher, csrf_token, result_zip(*ROWS))
        with teacher.session_transaction() as session:
            services.files.delete(session[UPLOAD]["key"])
        assert GONE in teacher.get(PAGE).get_data(as_text=True)


class TestWhoMay:
    def test_the_functional_administrator_is_sent_to_the_cli(
        self, client: FlaskClient, login: Login, seeded: Any
    ) -> None:
        login(client, seeded.admin.email)
        response = client.get(PAGE)
        assert response.status_code == 404
        assert NO_SCHOOL.split(".")[0] in response.get_data(as_text=True)

    def test_a_vo_user_may_not(self, client: FlaskClient, login: Login, seeded: Any) -> None:
        login(client, seeded.vo_user.email)
        assert client.get(PAGE).status_code == 403


class TestRaiseOrMotivate:
    """R-DT-4: an outcome above the advice blocks Definitief and the parent login until the
    advice is raised, or kept with a motivation and the parents' date."""

    @pytest.fixture
    def volledig(self, services: Services, pupils: dict[str, int], clock: FixedClock) -> int:
        """Sem's Oki-doc: Volledig, test outcome vwo, definitive advice havo."""
        pupil_id = pupils["Sem"]
        with services.uow() as uow:
            okidoc = uow.okidocs.for_pupil(pupil_id)
            fields = complete_fields(clock.now())
            hand = Provenance(Source.HAND, clock.now(), "juf")
            fields[f.FINAL_TEST_OUTCOME] = FieldValue("vwo", hand)
            fields[f.ADVICE_DEFINITIVE] = FieldValue("havo", hand)
            uow.okidocs.update(attrs.evolve(okidoc, fields=fields, status=OkiStatus.VOLLEDIG))
            uow.commit()
        return pupil_id

    def _inspect(self, client: FlaskClient, csrf_token: Csrf, pupil_id: int) -> TestResponse:
        page = client.get(f"/leerlingen/{pupil_id}/oki-doc?tab=overzicht")
        version = re.search(r'name="expected_version" value="(\d+)"', page.get_data(as_text=True))
        assert version is not None
        return client.post(
            f"/leerlingen/{pupil_id}/oki-doc/inzage",
            data={"csrf_token": csrf_token(page), "expected_version": version.group(1),
                  "inzage_datum": "2025-03-10", "akkoord": "ja"},
        )  # fmt: skip

    def test_definitief_is_refused_until_motivated_with_the_parents_date(
        self,
        teacher: FlaskClient,
        csrf_token: Csrf,
        services: Services,
        volledig: int,
    ) -> None:
        page = teacher.get(f"/leerlingen/{volledig}/oki-doc?tab=overzicht").get_data(as_text=True)
        assert "Het Oki-doc kan nog niet definitief worden" in page
        assert 'disabled aria-describedby="heroverweging"' in page
        refused = self._inspect(teacher, csrf_token, volledig)
        assert refused.status_code == 422
        assert "(vwo) is hoger dan het schooladvies (havo)" in refused.get_data(as_text=True)
        with services.uow() as uow:
            assert uow.okidocs.for_pupil(volledig).status is OkiStatus.VOLLEDIG
        with services.uow() as uow:
            version = uow.okidocs.for_pupil(volledig).version
        token = csrf_token(teacher.get("/leerlingen/doorstroomtoets/"))
        teacher.post("/leerlingen/doorstroomtoets/", data={
            "csrf_token": token, "leerling": str(volledig), f"v-{volledig}": str(version),
            f"r-{volledig}-uitslag": "vwo", f"r-{volledig}-advies": "havo",
            f"r-{volledig}-motivatie": "Besproken met de ouders: havo past beter.",
            f"r-{volledig}-ouders": "2025-03-09",
        })  # fmt: skip
        assert self._inspect(teacher, csrf_token, volledig).status_code == 302
        with services.uow() as uow:
            assert uow.okidocs.for_pupil(volledig).status is OkiStatus.DEFINITIEF

    def test_the_parent_login_button_says_why(
        self, teacher: FlaskClient, services: Services, volledig: int, clock: FixedClock
    ) -> None:
        with services.uow() as uow:
            okidoc = uow.okidocs.for_pupil(volledig)
            uow.okidocs.update(attrs.evolve(okidoc, status=OkiStatus.DEFINITIEF))
            uow.commit()
        page = teacher.get(f"/leerlingen/{volledig}/ouderinlog").get_data(as_text=True)
        assert Reason.ADVICE_NOT_RECONSIDERED.message in page
