"""The official OSO rules' messages and the withheld categories on the web (issue 21, items 3, 4).

The app runs on real SQLite with the real templates; its OSO gateway is the in-memory LAS of
``elk_domain.testing``, which hands over a dossier exactly as the parser would: one that passed
the XSD, with the official business rules' messages and the categories the parents withheld.
(``test_oso_pages`` runs the same sync against the OSO simulator over HTTP.)
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import attrs
import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from tests.web.builders import add_pupil

from elk_adapters.bootstrap import Services
from elk_domain.kernel.people import Actor
from elk_domain.kernel.values import Bsn, SchoolLocation
from elk_domain.okidoc import fields as f
from elk_domain.oso.config import register_delivery_point
from elk_domain.oso.dossier import OsoDossier, RuleMessage
from elk_domain.testing import InMemoryOsoGateway

LOCATION = SchoolLocation.parse("12AB00")  # the seeded PO school, De Regenboog
NUMBER, KEY = "4711", "sleutel-12AB00"
BSN = Bsn.parse("123456782")
NEW_BSN = Bsn.parse("111222333")
PARENTS = frozenset({"oudersverzorgers"})
CATEGORIES_MISSING = RuleMessage(
    rule="OVb.MD03",
    severity="fout",
    location="/dossier/metadata",
    text='Een binnen-brin dossier moet het blok "Categorie uitlevering" bevatten.',
)


def dossier(bsn: Bsn = BSN, **changes: object) -> OsoDossier:
    """What the parser makes of the LAS's dossier: pupil and one parent, one rule message."""
    base = OsoDossier(
        sender=LOCATION,
        sender_name="De Regenboog",
        bsn=bsn,
        dossier_date=dt.datetime(2025, 3, 9, tzinfo=dt.UTC),
        fields={
            f.PUPIL_FIRST_NAME: "Noor",
            f.PUPIL_LAST_NAME: "Jansen",
            "ouders.0.achternaam": "Jansen",
            "ouders.0.email": "ouder@example.org",
        },
        rule_messages=(CATEGORIES_MISSING,),
    )
    return attrs.evolve(base, **changes)  # type: ignore[misc]


@pytest.fixture
def las() -> InMemoryOsoGateway:
    gateway = InMemoryOsoGateway()
    gateway.create_delivery_point(LOCATION, NUMBER, KEY)
    return gateway


@pytest.fixture
def services(services: Services, las: InMemoryOsoGateway) -> Services:
    """The web test services with the in-memory LAS as the app's OSO gateway."""
    return attrs.evolve(services, oso=las)


def markup(response: object) -> str:
    """The page's HTML, whitespace collapsed."""
    body: str = response.get_data(as_text=True)  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", body)


def text(response: object) -> str:
    """The page as a reader sees it: no tags, entities decoded, whitespace collapsed."""
    inline = re.sub(r"</?(?:small|code|strong|a)\b[^>]*>", "", markup(response))
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def sync(client: FlaskClient, csrf_token, pupil_id: int, mode: str = "fill", **extra: object):
    token = csrf_token(client.get("/oso/"))
    data = {"csrf_token": token, "mode": mode, "pupil_ids": [pupil_id], **extra}
    return client.post("/oso/synchroniseren", data=data)


@pytest.fixture
def pupil_id(services: Services, staff, las: InMemoryOsoGateway) -> int:
    """A pupil of group 8a with a BSN whose dossier breaks a rule and withholds the parents."""
    las.put_dossier(dossier(withheld=PARENTS))
    return add_pupil(services, staff.school_id, staff.group_id, bsn=BSN)


class TestOfficialMessagesAtSync:
    def test_the_sync_result_shows_the_official_message_per_pupil(
        self, client: FlaskClient, login, staff, pupil_id: int, csrf_token
    ) -> None:
        login(client, staff.colleague.email)
        response = sync(client, csrf_token, pupil_id)
        assert response.status_code == 200
        page = text(response)
        assert "Gesynchroniseerd: 1 · Herstel in het LAS nodig: 1" in page
        assert (
            "Herstel dit in het LAS. Het dossier wijkt af van de officiële OSO-regels: "
            'Een binnen-brin dossier moet het blok "Categorie uitlevering" bevatten. '
            "(regel OVb.MD03; plaats /dossier/metadata)"
        ) in page
        assert "De meldingen staan ook bij de OSO-notificaties van de school." in page

    def test_the_school_finds_the_message_among_its_oso_notifications(
        self, client: FlaskClient, login, staff, pupil_id: int, csrf_token
    ) -> None:
        login(client, staff.colleague.email)
        sync(client, csrf_token, pupil_id)
        sync(client, csrf_token, pupil_id)  # the same dossier again: no second notification
        page = text(client.get("/oso/notificaties"))
        assert markup(client.get("/oso/notificaties")).count("<td>Herstel in het LAS</td>") == 1
        assert (
            "Noor van Jansen: Het OSO-dossier wijkt af van de officiële regels van Edustandaard. "
            "Herstel dit in het LAS en synchroniseer daarna opnieuw. Melding 1: Een binnen-brin "
            'dossier moet het blok "Categorie uitlevering" bevatten. (regel OVb.MD03; plaats '
            "/dossier/metadata)"
        ) in page
        assert "******782" in page
        home = client.get("/").get_data(as_text=True)
        assert '<span class="notify__count">1</span>' in home

    def test_a_preview_shows_the_message_and_keeps_no_notification(
        self, client: FlaskClient, login, staff, pupil_id: int, csrf_token
    ) -> None:
        login(client, staff.colleague.email)
        preview = text(sync(client, csrf_token, pupil_id, mode="overwrite"))
        assert "Bevestigen en overschrijven" in preview
        assert CATEGORIES_MISSING.text in preview
        assert "De meldingen staan ook bij de OSO-notificaties" not in preview
        assert "nog geen meldingen" in text(client.get("/oso/notificaties"))

    def test_the_transfer_result_shows_the_message_of_a_new_pupil(
        self,
        client: FlaskClient,
        login,
        staff,
        services: Services,
        las: InMemoryOsoGateway,
        csrf_token,
    ) -> None:
        register_delivery_point(
            services.uow(), las, services.clock, Actor.system(), staff.school_id, NUMBER, KEY
        )
        las.put_dossier(dossier(NEW_BSN))
        login(client, staff.colleague.email)
        token = csrf_token(client.get("/oso/aanvragen"))
        response = client.post(
            "/oso/aanvragen",
            data={"csrf_token": token, "school": staff.school_id, "bsns": str(NEW_BSN)},
        )
        page = text(response)
        assert "Leerling aangemaakt" in page
        assert CATEGORIES_MISSING.text in page
        assert "Herstel dit in het LAS." in page


class TestWithheldCategory:
    def test_the_oki_doc_says_not_delivered_instead_of_asking_for_it(
        self, client: FlaskClient, login, staff, services: Services, pupil_id: int, csrf_token
    ) -> None:
        login(client, staff.colleague.email)
        sync(client, csrf_token, pupil_id)
        with services.uow() as uow:
            doc = uow.okidocs.for_pupil(pupil_id)
        assert doc.withheld == PARENTS
        assert doc.value("ouders.0.email") is None  # sent against the opt-out: not taken
        response = client.get(f"/leerlingen/{pupil_id}/oki-doc?tab=leerling")
        page = markup(response)
        assert "Niet uitgeleverd via OSO: Ouders/verzorgers." in text(response)
        assert (
            '<label for="veld-ouders-0-achternaam">Achternaam <span class="oso-badge">' in page
        )  # no required mark
        assert '<label for="veld-leerling-achternaam">Achternaam <span aria-hidden="true"' in page
        assert 'aria-describedby="veld-ouders-0-achternaam-niet-uitgeleverd"' in page
        assert page.count("U hoeft dit niet in te vullen.") >= 8  # every required parent field

    def test_the_missing_fields_list_says_not_delivered(
        self, client: FlaskClient, login, staff, pupil_id: int, csrf_token
    ) -> None:
        login(client, staff.colleague.email)
        sync(client, csrf_token, pupil_id)
        page = markup(client.get(f"/leerlingen/{pupil_id}/oki-doc?tab=overzicht"))
        missing, withheld = html.unescape(page).split("<h3>Niet uitgeleverd via OSO</h3>")
        assert "Vul 'Geboortedatum' in (tabblad Leerling)." in missing
        assert "Vul 'E-mailadres' in" not in missing
        assert (
            "'E-mailadres' (tabblad Leerling) is niet uitgeleverd via OSO: de ouders willen niet "
            "dat deze gegevens via OSO worden doorgegeven. U hoeft dit niet in te vullen."
        ) in withheld

    def test_the_printed_oki_doc_says_not_delivered(
        self, client: FlaskClient, login, staff, pupil_id: int, csrf_token
    ) -> None:
        login(client, staff.colleague.email)
        sync(client, csrf_token, pupil_id)
        response = client.get(f"/documenten/leerling/{pupil_id}/oki-doc.pdf")
        assert response.status_code == 200
        printed = " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages
        )
        assert "niet uitgeleverd via OSO" in re.sub(r"\s+", " ", printed)
