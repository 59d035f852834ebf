"""The OSO pages against the simulator: Configureren, Aanvragen overdracht, Notificaties, bulk sync.

The app's gateway is a real ``ZeepOsoGateway`` talking to the simulator over loopback HTTP.
"""

from __future__ import annotations

import io
import re
import time

import attrs
import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from tests.fixtures.oso_sim import KEY, LOCATION, NUMBER, add_pupil_with_advice, oso_simulator
from tests.web.conftest import log_out

from elk_adapters.bootstrap import Services
from elk_adapters.oso.gateway import ZeepOsoGateway
from elk_adapters.oso.simulator.server import SimulatorServer
from elk_adapters.oso.simulator.state import ALL, FaultKind
from elk_domain.kernel.people import Actor
from elk_domain.kernel.values import Bsn
from elk_domain.okidoc import fields as f
from elk_domain.oso.config import register_delivery_point
from elk_domain.oso.dossiers.merge import MergeMode
from elk_domain.oso.import_dossier import MergeOptions

__all__ = ["oso_simulator"]  # the fixture is used by name

LATENCY = 0.25  # seconds the simulator waits before each answer
CALLS_PER_SYNC = 3  # open the transfer, fetch the document, sign off
CALLS_PER_TRANSFER = 1 + CALLS_PER_SYNC  # request the transfer first
FILL = MergeOptions(mode=MergeMode.FILL)


@pytest.fixture
def services(services: Services, oso_simulator: SimulatorServer) -> Services:
    """The web test services, with the app's OSO gateway pointed at the simulator."""
    gateway = ZeepOsoGateway(oso_simulator.endpoint, operation_timeout=3, retries=0)
    return attrs.evolve(services, oso=gateway)


def register(services: Services, school_id: int) -> None:
    """The board contact registered the school's delivery point earlier."""
    register_delivery_point(
        services.uow(), services.oso, services.clock, Actor.system(), school_id, NUMBER, KEY
    )


def text(response: object) -> str:
    body: str = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", body)


def post(client: FlaskClient, page: str, url: str, csrf_token, **data: object):
    token = csrf_token(client.get(page))
    return client.post(url, data={"csrf_token": token, **data})


class TestAccess:
    @pytest.mark.parametrize(
        "url", ["/oso/", "/oso/configureren", "/oso/aanvragen", "/oso/notificaties"]
    )
    def test_anonymous_visitors_go_to_the_login_page(self, client: FlaskClient, url: str) -> None:
        response = client.get(url)
        assert response.status_code == 302
        assert "/inloggen" in response.headers["Location"]

    def test_the_menu_links_to_oso(self, client: FlaskClient, login, seeded) -> None:
        login(client, seeded.teacher.email)
        assert 'href="/oso/"' in client.get("/").get_data(as_text=True)

    def test_a_teacher_of_another_school_gets_not_found(
        self, client: FlaskClient, login, staff, csrf_token
    ) -> None:
        login(client, staff.other_teacher.email)
        assert client.get(f"/oso/aanvragen?school={staff.school_id}").status_code == 404
        assert client.get(f"/oso/notificaties?school={staff.school_id}").status_code == 404
        assert client.get(f"/oso/?school={staff.school_id}").status_code == 404
        response = post(
            client, "/oso/", "/oso/synchroniseren", csrf_token,
            mode="fill", pupil_ids=[staff.pupil_id],
        )  # fmt: skip
        assert response.status_code == 404
        response = post(
            client, "/oso/", "/oso/aanvragen", csrf_token, school=staff.school_id, bsns="123456782"
        )
        assert response.status_code == 404

    def test_a_teacher_may_not_configure(
        self, client: FlaskClient, login, staff, csrf_token
    ) -> None:
        login(client, staff.colleague.email)
        assert client.get("/oso/configureren").status_code == 403
        response = post(
            client, "/oso/", f"/oso/configureren/{staff.school_id}/registreren", csrf_token,
            nummer=NUMBER, sleutel=KEY,
        )  # fmt: skip
        assert response.status_code == 403

    def test_the_configure_link_shows_only_to_who_may_configure(
        self, client: FlaskClient, login, login_staff, staff
    ) -> None:
        link = 'href="/oso/configureren"'
        login_staff(client, staff.board_contact.email)
        assert link in text(client.get("/oso/"))
        assert client.get("/oso/configureren").status_code == 200
        log_out(client)
        login(client, staff.colleague.email)
        page = client.get("/oso/")
        assert page.status_code == 200
        assert link not in text(page)  # the page it would lead to answers 403 (test above)

    def test_a_vo_user_has_no_oso(self, client: FlaskClient, login, seeded) -> None:
        login(client, seeded.vo_user.email)
        assert client.get("/oso/").status_code in (403, 404)


class TestConfigure:
    def test_board_contact_registers_and_pings(
        self, client: FlaskClient, login_staff, staff, csrf_token
    ) -> None:
        login_staff(client, staff.board_contact.email)
        page = text(client.get("/oso/configureren"))
        assert "De Regenboog" in page
        assert "Het Lyceum" not in page  # VO schools have no delivery point
        assert "OSO: <strong>nee</strong>" in page
        url = f"/oso/configureren/{staff.school_id}/registreren"
        refused = post(client, "/oso/configureren", url, csrf_token, nummer=NUMBER, sleutel="fout")
        assert refused.status_code == 422
        assert "Controleer of het aanleverpuntnummer en de sleutel" in text(refused)
        assert str(LOCATION) in text(refused)
        done = post(client, "/oso/configureren", url, csrf_token, nummer=NUMBER, sleutel=KEY)
        assert done.status_code == 302
        page = text(client.get("/oso/configureren"))
        assert "is geregistreerd" in page
        assert "OSO: <strong>ja</strong>" in page
        assert "Mag overdracht aanvragen: <strong>ja</strong>" in page
        pinged = post(
            client, "/oso/configureren", f"/oso/configureren/{staff.school_id}/ping", csrf_token
        )
        assert pinged.status_code == 302
        assert "Verbinding met OSO in orde" in text(client.get("/oso/configureren"))

    def test_empty_number_is_named(
        self, client: FlaskClient, login_staff, staff, csrf_token
    ) -> None:
        login_staff(client, staff.board_contact.email)
        url = f"/oso/configureren/{staff.school_id}/registreren"
        refused = post(client, "/oso/configureren", url, csrf_token, nummer="", sleutel="")
        assert refused.status_code == 422
        assert "Vul het aanleverpuntnummer uit Mijn OSO in." in text(refused)

    def test_switched_off_point_shows_and_refuses_requests(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        register(services, staff.school_id)
        oso_simulator.state.switch_off(LOCATION)
        login(client, staff.colleague.email)
        post(client, "/oso/notificaties", "/oso/notificaties", csrf_token, school=staff.school_id)
        page = text(client.get("/oso/notificaties"))
        assert "Aanleverpunt uitgeschakeld" in page
        form = text(client.get("/oso/aanvragen"))
        assert "uitgeschakeld" in form
        refused = post(
            client, "/oso/aanvragen", "/oso/aanvragen", csrf_token,
            school=staff.school_id, bsns="123456782",
        )  # fmt: skip
        assert refused.status_code == 422
        assert "Mag overdracht aanvragen" in text(refused)


class TestRequestTransfer:
    def test_pasted_list_creates_pupils_and_names_the_junk(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        register(services, staff.school_id)
        first = oso_simulator.state.add_pupil(LOCATION)
        second = oso_simulator.state.add_pupil(LOCATION)
        missing = oso_simulator.state.add_pupil(LOCATION, ready=False)
        login(client, staff.colleague.email)
        form = text(client.get("/oso/aanvragen"))
        assert 'value="12AB00" readonly' in form
        pasted = f"{first}\n{second}, {first}\nrommel\n123456789\n{missing}"
        result = post(
            client, "/oso/aanvragen", "/oso/aanvragen", csrf_token,
            school=staff.school_id, bsns=pasted,
        )  # fmt: skip
        assert result.status_code == 200
        page = text(result)
        assert page.count("Leerling aangemaakt") >= 2
        assert "Geen dossier klaar" in page
        assert "rommel" in page
        assert "123456789" in page  # named: fails the elfproef
        assert f"******{first[-3:]}" in page
        assert first not in page  # BSNs are masked
        assert "Dubbel in de lijst" in page
        with services.uow() as uow:
            created = {p.bsn.value for p in uow.pupils.list(staff.school_id) if p.bsn}
        assert {first, second} <= created
        assert missing not in created

    def test_the_pasted_pupils_are_fetched_at_the_same_time(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        """The web's batches run on the batch engine, several pupils at once (decision 0040)."""
        register(services, staff.school_id)
        bsns = [oso_simulator.state.add_pupil(LOCATION) for _ in range(4)]
        oso_simulator.state.set_fault(FaultKind.LATENCY, bsn=ALL, seconds=LATENCY)
        login(client, staff.colleague.email)
        started = time.perf_counter()
        result = post(
            client, "/oso/aanvragen", "/oso/aanvragen", csrf_token,
            school=staff.school_id, bsns="\n".join(bsns),
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        assert text(result).count("Leerling aangemaakt;") == len(bsns)
        one_at_a_time = len(bsns) * CALLS_PER_TRANSFER * LATENCY
        assert elapsed < one_at_a_time / 2, f"{elapsed:.2f} s: one pupil at a time"

    def test_nothing_pasted_is_refused_on_the_form(
        self, client: FlaskClient, login, staff, services, csrf_token
    ) -> None:
        register(services, staff.school_id)
        login(client, staff.colleague.email)
        refused = post(
            client, "/oso/aanvragen", "/oso/aanvragen", csrf_token, school=staff.school_id, bsns=""
        )
        assert refused.status_code == 422
        assert "minstens één BSN" in text(refused)


def _pupil_with_dossier(services: Services, sim: SimulatorServer, school_id: int) -> int:
    bsn = sim.state.add_pupil(LOCATION)
    from elk_domain.oso.transfer import request_transfers

    report = request_transfers(services.oso_ports, Actor.system(), school_id, bsn, FILL)
    pupil_id = report.items[0].pupil_id
    assert pupil_id is not None
    return pupil_id


class TestBulkSync:
    def test_fill_reports_per_pupil(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        register(services, staff.school_id)
        synced = _pupil_with_dossier(services, oso_simulator, staff.school_id)
        login(client, staff.colleague.email)
        response = post(
            client, "/oso/", "/oso/synchroniseren", csrf_token,
            mode="fill", pupil_ids=[synced, staff.pupil_id], school=staff.school_id,
        )  # fmt: skip
        assert response.status_code == 200
        page = text(response)
        assert "OKI-docs synchroniseren: resultaat" in page
        assert "Gesynchroniseerd" in page
        assert "Geen wijzigingen." in page
        assert "geen BSN" in page  # the seeded pupil has none: rejected with the reason

    def test_the_pupils_overview_form_drives_the_bulk_sync(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        register(services, staff.school_id)
        synced = _pupil_with_dossier(services, oso_simulator, staff.school_id)
        login(client, staff.colleague.email)
        overview = client.get("/leerlingen/")
        page = overview.get_data(as_text=True)
        assert 'action="/oso/synchroniseren"' in page
        assert f'name="pupil_ids" value="{synced}"' in page
        for mode in ("fill", "overwrite", "final_test"):
            assert f'<option value="{mode}"' in page
        response = client.post(
            "/oso/synchroniseren",
            data={"csrf_token": csrf_token(overview), "mode": "fill", "alle": "1",
                  "school": staff.school_id},
        )  # fmt: skip
        assert response.status_code == 200
        result = text(response)
        assert "Gesynchroniseerd" in result  # the pupil with a dossier, found via "alle"
        assert "geen BSN" in result  # and the seeded pupil without one, also matched

    def test_overwrite_previews_first_and_saves_after_confirming(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        register(services, staff.school_id)
        pupil_id = _pupil_with_dossier(services, oso_simulator, staff.school_id)
        with services.uow() as uow:
            doc = uow.okidocs.for_pupil(pupil_id)
            bsn = uow.pupils.get(pupil_id).bsn
        assert bsn is not None
        oso_simulator.state.new_version(LOCATION, bsn.value, oso_simulator.state.today)
        login(client, staff.colleague.email)
        preview = post(
            client, "/oso/", "/oso/synchroniseren", csrf_token,
            mode="overwrite", pupil_ids=[pupil_id],
        )  # fmt: skip
        assert preview.status_code == 200
        assert "Bevestigen en overschrijven" in text(preview)
        assert "Er is nog niets opgeslagen" in text(preview)
        with services.uow() as uow:
            assert uow.okidocs.for_pupil(pupil_id) == doc
        token = csrf_token(preview)
        done = client.post(
            "/oso/synchroniseren",
            data={"csrf_token": token, "mode": "overwrite", "bevestigd": "1",
                  "pupil_ids": [pupil_id]},
        )  # fmt: skip
        assert "met overschrijven: resultaat" in text(done)
        with services.uow() as uow:
            assert uow.okidocs.for_pupil(pupil_id).version > doc.version

    def test_final_test_only(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        register(services, staff.school_id)
        pupil_id = _pupil_with_dossier(services, oso_simulator, staff.school_id)
        login(client, staff.colleague.email)
        response = post(
            client, "/oso/", "/oso/synchroniseren", csrf_token,
            mode="final_test", pupil_ids=[pupil_id],
        )  # fmt: skip
        assert "Doorstroomtoets / definitief advies synchroniseren: resultaat" in text(response)

    def test_the_selected_pupils_are_synced_at_the_same_time(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        register(services, staff.school_id)
        pupil_ids = [_pupil_with_dossier(services, oso_simulator, staff.school_id) for _ in "abcd"]
        oso_simulator.state.set_fault(FaultKind.LATENCY, bsn=ALL, seconds=LATENCY)
        login(client, staff.colleague.email)
        started = time.perf_counter()
        response = post(
            client, "/oso/", "/oso/synchroniseren", csrf_token, mode="fill", pupil_ids=pupil_ids
        )
        elapsed = time.perf_counter() - started
        assert text(response).count("Geen wijzigingen.") == len(pupil_ids)
        one_at_a_time = len(pupil_ids) * CALLS_PER_SYNC * LATENCY
        assert elapsed < one_at_a_time / 2, f"{elapsed:.2f} s: one pupil at a time"

    def test_unknown_mode_and_empty_selection_are_refused(
        self, client: FlaskClient, login, staff, csrf_token
    ) -> None:
        login(client, staff.colleague.email)
        bad = post(
            client, "/oso/", "/oso/synchroniseren", csrf_token, mode="x", pupil_ids=[staff.pupil_id]
        )
        assert bad.status_code == 422
        empty = post(client, "/oso/", "/oso/synchroniseren", csrf_token, mode="fill")
        assert empty.status_code == 422
        assert "Selecteer eerst" in text(empty)


class TestNotifications:
    def test_fetching_lists_the_new_messages(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        register(services, staff.school_id)
        _pupil_with_dossier(services, oso_simulator, staff.school_id)
        login(client, staff.colleague.email)
        assert "nog geen meldingen" in text(client.get("/oso/notificaties"))
        fetched = post(
            client, "/oso/notificaties", "/oso/notificaties", csrf_token, school=staff.school_id
        )
        assert fetched.status_code == 302
        page = text(client.get(fetched.headers["Location"]))
        assert "nieuwe melding(en) opgehaald" in page
        assert "Dossier klaar" in page

    def test_oso_down_is_a_message_not_a_crash(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        from elk_adapters.oso.simulator.state import FaultKind

        register(services, staff.school_id)
        oso_simulator.state.set_fault(FaultKind.HTTP_500)
        login(client, staff.colleague.email)
        fetched = post(
            client, "/oso/notificaties", "/oso/notificaties", csrf_token, school=staff.school_id
        )
        assert "Ophalen mislukt" in text(client.get(fetched.headers["Location"]))


def _pupil_id(services: Services, school_id: int, bsn: str) -> int:
    with services.uow() as uow:
        pupil = uow.pupils.by_bsn(school_id, Bsn(bsn))
    assert pupil is not None
    return pupil.id


MARKER = "(OSO, afgeleid uit code 51 — controleer)"


class TestInferredAdvice:
    """ELK_OSO_TRUST_INFERRED_ADVICE=1: the advice code is taken over, marked for checking."""

    @pytest.fixture
    def services(self, services: Services) -> Services:
        settings = attrs.evolve(services.settings, oso_trust_inferred_advice=True)
        return attrs.evolve(services, settings=settings)

    def test_a_transfer_fills_the_advice_and_the_editor_and_pdf_mark_it(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        register(services, staff.school_id)
        bsn = add_pupil_with_advice(oso_simulator.state, "51")
        login(client, staff.colleague.email)
        result = post(
            client, "/oso/aanvragen", "/oso/aanvragen", csrf_token,
            school=staff.school_id, bsns=bsn,
        )  # fmt: skip
        assert result.status_code == 200
        assert "Definitief advies havo/vwo is afgeleid uit OSO-adviescode 51" in text(result)
        assert "Vul het advies met de hand in" not in text(result)
        pupil_id = _pupil_id(services, staff.school_id, bsn)
        editor = text(client.get(f"/leerlingen/{pupil_id}/oki-doc?tab=advies"))
        assert MARKER in editor
        assert editor.count("afgeleid uit code") == 1  # beside the definitive advice only
        assert '<option value="havo/vwo" selected>' in editor
        pdf = client.get(f"/documenten/leerling/{pupil_id}/oki-doc.pdf")
        printed = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
        assert "afgeleid uit code 51" in re.sub(r"\s+", " ", printed)

    def test_the_bulk_sync_takes_a_new_code_and_reports_it_to_check(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        register(services, staff.school_id)
        bsn = add_pupil_with_advice(oso_simulator.state, "52")  # no inference: stays empty
        pupil_id = _pupil_with_dossier_of(services, staff.school_id, bsn)
        with services.uow() as uow:
            assert uow.okidocs.for_pupil(pupil_id).value(f.ADVICE_DEFINITIVE) is None
        data = oso_simulator.state.dossiers[(LOCATION, bsn)]
        oso_simulator.state.put_dossier(attrs.evolve(data, advice="41"))
        login(client, staff.colleague.email)
        response = post(
            client, "/oso/", "/oso/synchroniseren", csrf_token, mode="fill", pupil_ids=[pupil_id]
        )
        assert "afgeleid uit OSO-adviescode 41" in text(response)
        editor = text(client.get(f"/leerlingen/{pupil_id}/oki-doc?tab=advies"))
        assert "(OSO, afgeleid uit code 41 — controleer)" in editor

    def test_a_code_without_inference_still_asks_for_manual_entry(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        register(services, staff.school_id)
        bsn = add_pupil_with_advice(oso_simulator.state, "61")
        login(client, staff.colleague.email)
        result = post(
            client, "/oso/aanvragen", "/oso/aanvragen", csrf_token,
            school=staff.school_id, bsns=bsn,
        )  # fmt: skip
        assert "OSO-adviescode &#39;61&#39; kan niet zeker worden vertaald" in text(result)
        pupil_id = _pupil_id(services, staff.school_id, bsn)
        assert "afgeleid uit code" not in text(
            client.get(f"/leerlingen/{pupil_id}/oki-doc?tab=advies")
        )


def _pupil_with_dossier_of(services: Services, school_id: int, bsn: str) -> int:
    from elk_domain.oso.transfer import request_transfers

    report = request_transfers(services.oso_ports, Actor.system(), school_id, bsn, FILL)
    assert report.items[0].pupil_id is not None
    return report.items[0].pupil_id


class TestUntrustedAdvice:
    def test_without_the_setting_the_advice_stays_empty_and_is_asked_for(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        assert not services.settings.oso_trust_inferred_advice  # the default
        register(services, staff.school_id)
        bsn = add_pupil_with_advice(oso_simulator.state, "51")
        login(client, staff.colleague.email)
        result = post(
            client, "/oso/aanvragen", "/oso/aanvragen", csrf_token,
            school=staff.school_id, bsns=bsn,
        )  # fmt: skip
        assert "OSO-adviescode &#39;51&#39; kan niet zeker worden vertaald" in text(result)
        assert "Vul het advies met de hand in" in text(result)
        pupil_id = _pupil_id(services, staff.school_id, bsn)
        with services.uow() as uow:
            assert uow.okidocs.for_pupil(pupil_id).value(f.ADVICE_DEFINITIVE) is None
        assert "afgeleid uit code" not in text(
            client.get(f"/leerlingen/{pupil_id}/oki-doc?tab=advies")
        )
