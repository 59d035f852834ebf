"""The official OSO rules' messages and the withheld categories on the web (issue 21, items 3, 4).

The app runs on real SQLite with the real templates. The rule messages come the real way: the
app's ``ZeepOsoGateway`` fetches from the OSO simulator, whose ``breaks_rules`` fault serves a
dossier that passes the XSD but lacks the "Categorie uitlevering" block, and the parser runs
Edustandaard's rules over it (``elk_adapters.oso.dossiers.official_rules``).
The withheld categories are stored with the Oki-doc as a sync leaves them.
"""

from __future__ import annotations

import html
import io
import re

import attrs
import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from tests.fixtures.official_rules import CATEGORY_BLOCK_MISSING
from tests.fixtures.oso_sim import KEY, LOCATION, NUMBER, oso_simulator
from tests.web.builders import add_pupil

from elk_adapters.bootstrap import Services
from elk_adapters.oso.gateway import ZeepOsoGateway
from elk_adapters.oso.simulator.server import SimulatorServer
from elk_adapters.oso.simulator.state import FaultKind
from elk_domain.kernel.people import Actor
from elk_domain.kernel.values import Bsn
from elk_domain.okidoc import fields as f
from elk_domain.oso.config import register_delivery_point

__all__ = ["oso_simulator"]  # the fixture is used by name

#: Filled by hand; the parents withheld their own data and the LVS test results.
TYPED = {f.PUPIL_FIRST_NAME: "Noor", f.PUPIL_LAST_NAME: "Jansen", "leerling.straat": "Laan"}
WITHHELD = frozenset({"oudersverzorgers", "toetsresultaten"})


@pytest.fixture
def services(services: Services, oso_simulator: SimulatorServer) -> Services:
    """The web test services, with the app's OSO gateway pointed at the simulator."""
    gateway = ZeepOsoGateway(oso_simulator.endpoint, operation_timeout=3, retries=0)
    return attrs.evolve(services, oso=gateway)


def markup(response: object) -> str:
    """The page's HTML, whitespace collapsed."""
    body: str = response.get_data(as_text=True)  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", body)


def text(response: object) -> str:
    """The page as a reader sees it: no tags, entities decoded, whitespace collapsed."""
    inline = re.sub(r"</?(?:small|code|strong|a)\b[^>]*>", "", markup(response))
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def sync(client: FlaskClient, csrf_token, pupil_id: int, mode: str = "fill"):
    token = csrf_token(client.get("/oso/"))
    data = {"csrf_token": token, "mode": mode, "pupil_ids": [pupil_id]}
    return client.post("/oso/synchroniseren", data=data)


def register(services: Services, school_id: int) -> None:
    """The board contact registered the school's delivery point earlier."""
    register_delivery_point(
        services.uow(), services.oso, services.clock, Actor.system(), school_id, NUMBER, KEY
    )


def rule_breaking_pupil(services: Services, staff, sim: SimulatorServer) -> int:
    """A pupil of 8a whose LAS serves a dossier that breaks the official rules."""
    register(services, staff.school_id)
    bsn = sim.state.add_pupil(LOCATION)
    sim.state.set_fault(FaultKind.BREAKS_RULES, bsn=bsn)
    return add_pupil(services, staff.school_id, staff.group_id, bsn=Bsn.parse(bsn))


class TestOfficialMessagesAtSync:
    def test_the_sync_result_shows_the_official_message_per_pupil(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        pupil_id = rule_breaking_pupil(services, staff, oso_simulator)
        login(client, staff.colleague.email)
        response = sync(client, csrf_token, pupil_id)
        assert response.status_code == 200
        page = text(response)
        assert "Gesynchroniseerd: 1 · Herstel in het LAS nodig: 1" in page  # merged anyway
        assert (
            "Herstel dit in het LAS. Het dossier wijkt af van de officiële OSO-regels: "
            f"{CATEGORY_BLOCK_MISSING}"
        ) in page
        assert "De meldingen staan ook bij de OSO-notificaties van de school." in page
        with services.uow() as uow:
            assert uow.okidocs.for_pupil(pupil_id).is_filled(f.PUPIL_LAST_NAME)

    def test_the_school_finds_the_message_among_its_oso_notifications_once(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        pupil_id = rule_breaking_pupil(services, staff, oso_simulator)
        login(client, staff.colleague.email)
        sync(client, csrf_token, pupil_id)
        sync(client, csrf_token, pupil_id)  # the same dossier again: no second notification
        response = client.get("/oso/notificaties")
        assert markup(response).count("<td>Herstel in het LAS</td>") == 1
        page = text(response)
        assert (
            "Noor van Jansen: Het OSO-dossier wijkt af van de officiële regels van Edustandaard. "
            f"Herstel dit in het LAS en synchroniseer daarna opnieuw. Melding 1: "
            f"{CATEGORY_BLOCK_MISSING}"
        ) in page
        home = client.get("/").get_data(as_text=True)
        assert '<span class="notify__count">1</span>' in home

    def test_a_preview_shows_the_message_and_keeps_no_notification(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        pupil_id = rule_breaking_pupil(services, staff, oso_simulator)
        login(client, staff.colleague.email)
        preview = text(sync(client, csrf_token, pupil_id, mode="overwrite"))
        assert "Bevestigen en overschrijven" in preview
        assert CATEGORY_BLOCK_MISSING in preview
        assert "De meldingen staan ook bij de OSO-notificaties" not in preview
        assert "nog geen meldingen" in text(client.get("/oso/notificaties"))

    def test_the_transfer_result_shows_the_message_of_a_new_pupil(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        register(services, staff.school_id)
        bsn = oso_simulator.state.add_pupil(LOCATION)
        oso_simulator.state.set_fault(FaultKind.BREAKS_RULES, bsn=bsn)
        login(client, staff.colleague.email)
        token = csrf_token(client.get("/oso/aanvragen"))
        response = client.post(
            "/oso/aanvragen", data={"csrf_token": token, "school": staff.school_id, "bsns": bsn}
        )
        page = text(response)
        assert "Leerling aangemaakt" in page
        assert "Herstel dit in het LAS. Het dossier wijkt af van de officiële OSO-regels: " in page
        assert CATEGORY_BLOCK_MISSING in page


class TestWithheldFromTheLas:
    def test_a_category_the_parents_withheld_arrives_as_not_delivered(
        self, client: FlaskClient, login, staff, services, oso_simulator, csrf_token
    ) -> None:
        register(services, staff.school_id)
        bsn = oso_simulator.state.add_pupil(LOCATION, withheld=frozenset({"oudersverzorgers"}))
        pupil_id = add_pupil(services, staff.school_id, staff.group_id, bsn=Bsn.parse(bsn))
        login(client, staff.colleague.email)
        result = text(sync(client, csrf_token, pupil_id))
        assert "Niet uitgeleverd via OSO: Ouders/verzorgers" in result  # the change, named
        assert "Herstel in het LAS nodig" not in result  # an opt-out as the rules want it
        page = text(client.get(f"/leerlingen/{pupil_id}/oki-doc?tab=overzicht"))
        assert "'E-mailadres' (tabblad Leerling) is niet uitgeleverd via OSO" in page
        assert "Vul 'E-mailadres' in" not in page


@pytest.fixture
def withheld_pupil(services: Services, staff) -> int:
    """A pupil whose parents withheld their own data and the LVS tests from the OSO dossier."""
    return add_pupil(services, staff.school_id, staff.group_id, values=TYPED, withheld=WITHHELD)


class TestWithheldCategory:
    def test_the_oki_doc_says_not_delivered_instead_of_asking_for_it(
        self, client: FlaskClient, login, staff, withheld_pupil: int
    ) -> None:
        login(client, staff.colleague.email)
        response = client.get(f"/leerlingen/{withheld_pupil}/oki-doc?tab=leerling")
        assert (
            "Niet uitgeleverd via OSO: Ouders/verzorgers, Toetsresultaten. De ouders willen niet "
            "dat deze gegevens via OSO worden doorgegeven. De velden daarvan hoeft u niet in te "
            "vullen."
        ) in text(response)
        page = markup(response)
        # The parent's surname is not required; the pupil's still is.
        assert '<label for="veld-ouders-0-achternaam">Achternaam <span class="oso-badge">' in page
        assert '<label for="veld-leerling-achternaam">Achternaam <span aria-hidden="true"' in page
        assert 'aria-describedby="veld-ouders-0-achternaam-niet-uitgeleverd"' in page
        assert page.count('class="field__hint field__withheld"') == len(
            [s for s in f.fields_of(f.Tab.LEERLING) if s.category == "oudersverzorgers"]
        )
        tests = text(client.get(f"/leerlingen/{withheld_pupil}/oki-doc?tab=toetsresultaten"))
        assert "De toetsresultaten zijn niet uitgeleverd via OSO" in tests

    def test_the_missing_fields_list_says_not_delivered(
        self, client: FlaskClient, login, staff, withheld_pupil: int
    ) -> None:
        login(client, staff.colleague.email)
        page = html.unescape(
            markup(client.get(f"/leerlingen/{withheld_pupil}/oki-doc?tab=overzicht"))
        )
        missing, withheld = page.split("<h3>Niet uitgeleverd via OSO</h3>")
        assert "Vul 'Geboortedatum' in (tabblad Leerling)." in missing
        assert "Vul 'E-mailadres' in" not in missing
        assert (
            "'E-mailadres' (tabblad Leerling) is niet uitgeleverd via OSO: de ouders willen niet "
            "dat deze gegevens via OSO worden doorgegeven. U hoeft dit niet in te vullen."
        ) in withheld
        assert "Vul " not in withheld

    def test_without_an_opt_out_the_same_fields_are_asked_for(
        self, client: FlaskClient, login, staff, services: Services
    ) -> None:
        pupil_id = add_pupil(services, staff.school_id, staff.group_id, values=TYPED)
        login(client, staff.colleague.email)
        page = text(client.get(f"/leerlingen/{pupil_id}/oki-doc?tab=overzicht"))
        assert "Vul 'E-mailadres' in (tabblad Leerling)." in page
        assert "niet uitgeleverd via OSO" not in page

    def test_the_printed_oki_doc_says_not_delivered(
        self, client: FlaskClient, login, staff, withheld_pupil: int
    ) -> None:
        login(client, staff.colleague.email)
        response = client.get(f"/documenten/leerling/{withheld_pupil}/oki-doc.pdf")
        assert response.status_code == 200
        printed = " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages
        )
        assert "niet uitgeleverd via OSO" in re.sub(r"\s+", " ", printed)
