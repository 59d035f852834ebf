"""The VO school in the web app (issue 15): its accounts, its menu and its registrations list.

Real SQLite, the real SMTP capture for the invites. The VO administrator is invited like PO
staff, sets a password, links an authenticator app (2FA is required: they manage users) and
invites a VO user; VO staff see "Aanmeldingen" instead of the PO pupil overview.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import TYPE_CHECKING

import attrs
import pyotp
from flask.testing import FlaskClient
from tests.web.builders import add_pupil, other_vo_user, register_at
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import Role
from elk_domain.kernel.values import PersonName
from elk_domain.okidoc import fields
from elk_domain.okidoc.model import FieldValue, Provenance, Source
from elk_domain.organisation.model import Timeline
from elk_domain.parents.account import ParentAccount
from elk_domain.parents.registration import (
    FirstChoiceOptions,
    PreferenceList,
    PriorityClaim,
    PriorityKind,
)
from elk_domain.testing import FixedClock

if TYPE_CHECKING:
    from tests.web.conftest import (
        CsrfHelper,
        DeliveredMail,
        LoginHelper,
        LogoutHelper,
        Staff,
        StaffLoginHelper,
    )

NEW_PASSWORD = "een nieuw en lang wachtwoord"
_LINK = re.compile(r"http://\S+(/account/wachtwoord-instellen/\S+)")
_SECRET = re.compile(r'id="totp-secret">([A-Z2-7 ]+)<')
REGISTRATIONS = "/vo/aanmeldingen"


def _menu(page: str) -> list[str]:
    nav = page.split("<nav", 1)[1].split("</nav>", 1)[0]
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


def _invite(
    client: FlaskClient, csrf: CsrfHelper, name: str, email: str, role: str, school_id: int
) -> TestResponse:
    token = csrf(client.get("/beheer/gebruikers/nieuw"))
    data = {"naam": name, "email": email, "rol": role, "organisatie": "vo",
            "school": str(school_id), "csrf_token": token}  # fmt: skip
    return client.post("/beheer/gebruikers/nieuw", data=data)


def _accept(
    client: FlaskClient, csrf: CsrfHelper, delivered: DeliveredMail, email: str
) -> TestResponse:
    """Follow the invite in the mail the capture received, set the password, log in."""
    mail = delivered()[-1]
    assert mail.to == email
    match = _LINK.search(mail.body)
    assert match, mail.body
    token = csrf(client.get(match.group(1)))
    data = {"password": NEW_PASSWORD, "repeat": NEW_PASSWORD, "csrf_token": token}
    assert client.post(match.group(1), data=data).status_code == 302
    token = csrf(client.get("/inloggen"))
    data = {"email": email, "password": NEW_PASSWORD, "csrf_token": token}
    return client.post("/inloggen", data=data)


class TestVoAccounts:
    def test_a_vo_administrator_is_invited_links_2fa_and_invites_a_vo_user(
        self, client: FlaskClient, services: Services, staff: Staff, clock: FixedClock,
        login_staff: StaffLoginHelper, logout: LogoutHelper, csrf_token: CsrfHelper,
        delivered_mail: DeliveredMail,
    ) -> None:  # fmt: skip
        login_staff(client, staff.admin.email)
        created = _invite(client, csrf_token, "Vince Beheer", "beheer@lyceum.test", "beheerder",
                          staff.vo_school_id)  # fmt: skip
        assert created.status_code == 302
        logout(client)

        signed_in = _accept(client, csrf_token, delivered_mail, "beheer@lyceum.test")
        assert signed_in.headers["Location"] == "/account/tweestapsverificatie"
        found = _SECRET.search(client.get("/account/tweestapsverificatie").get_data(as_text=True))
        assert found, "no secret on the enrolment page"
        clock.advance(dt.timedelta(seconds=30))
        code = pyotp.TOTP(found.group(1).replace(" ", "")).at(clock.now())
        token = csrf_token(client.get("/account/tweestapsverificatie"))
        enrolled = client.post(
            "/account/tweestapsverificatie", data={"code": code, "csrf_token": token}
        )
        assert enrolled.status_code == 200  # the recovery codes

        home = client.get("/").get_data(as_text=True)
        assert _menu(home)[:1] == ["Aanmeldingen"]
        assert "Leerlingen" not in _menu(home)
        assert {"Gebruikers", "Scholen"} <= set(_menu(home))
        form = client.get("/beheer/gebruikers/nieuw").get_data(as_text=True)
        assert 'value="beheerder"' not in form  # only VO users below a VO administrator
        invited = _invite(client, csrf_token, "Dirk Decaan", "decaan@lyceum.test",
                          "invoeren_accorderen", staff.vo_school_id)  # fmt: skip
        assert invited.status_code == 302
        assert delivered_mail()[-1].to == "decaan@lyceum.test"
        with services.uow() as uow:
            roles = {u.email: u.role for u in uow.users.list(school_id=staff.vo_school_id)}
        assert roles["beheer@lyceum.test"] is Role.VO_ADMIN
        assert roles["decaan@lyceum.test"] is Role.VO_USER

    def test_a_vo_administrator_cannot_place_users_at_a_po_school(
        self, client: FlaskClient, services: Services, staff: Staff, login_staff: StaffLoginHelper,
        csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        vo_admin = _vo_admin(services, staff)
        login_staff(client, vo_admin)
        refused = _invite(client, csrf_token, "X", "x@regenboog.test", "invoeren_accorderen",
                          staff.school_id)  # fmt: skip
        assert refused.status_code == 404


def _vo_admin(services: Services, staff: Staff) -> str:
    """A VO administrator of the staff's VO school with the seeded 2FA secret; their e-mail."""
    with services.uow() as uow:
        user = uow.users.add(
            attrs.evolve(staff.vo_user, id=0, email="beheer@lyceum.test", role=Role.VO_ADMIN,
                         totp_secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        )  # fmt: skip
        uow.commit()
    return user.email


class TestVoMenu:
    def test_the_vo_user_s_menu_leads_to_the_registrations_not_to_a_404(
        self, client: FlaskClient, staff: Staff, login: LoginHelper
    ) -> None:
        login(client, staff.vo_user.email)
        menu = _menu(client.get("/").get_data(as_text=True))
        assert "Aanmeldingen" in menu
        assert "Leerlingen" not in menu
        assert client.get(REGISTRATIONS).status_code == 200

    def test_po_staff_have_no_registrations_menu_and_may_not_open_it(
        self, client: FlaskClient, staff: Staff, login_staff: StaffLoginHelper,
        logout: LogoutHelper,
    ) -> None:  # fmt: skip
        for email in (staff.teacher.email, staff.school_admin.email):
            login_staff(client, email)
            assert "Aanmeldingen" not in _menu(client.get("/").get_data(as_text=True))
            assert client.get(REGISTRATIONS).status_code == 403
            logout(client)


def _registered(services: Services, staff: Staff) -> dict[str, int]:
    """Anna (havo/vwo) and a pupil named like a formula (havo) registered at Het Lyceum; Bas
    registered nowhere."""
    with services.uow() as uow:
        school = uow.schools.get(staff.vo_school_id)
        levels = frozenset({Level.HAVO, Level.VWO})
        uow.schools.update(attrs.evolve(school, levels=levels, capacity={Level.HAVO: 1}))
        uow.commit()
    anna = staff.pupil_id
    with services.uow() as uow:
        okidoc = uow.okidocs.for_pupil(anna)
        value = FieldValue("havo/vwo", Provenance(Source.HAND, FixedClock().now(), "test"))
        uow.okidocs.update(attrs.evolve(okidoc, fields={fields.ADVICE_DEFINITIVE: value}))
        uow.commit()
    formula = add_pupil(services, staff.school_id, staff.group_id,
                        name=PersonName("=HYPERLINK(1)", "Zwart"),
                        values={fields.ADVICE_DEFINITIVE: "havo"})  # fmt: skip
    register_at(services, anna, staff.vo_school_id)
    register_at(services, formula, staff.vo_school_id)
    return {"anna": anna, "formula": formula}


class TestRegistrationsList:
    def test_the_vo_user_sees_the_registered_pupils_with_counts_per_level(
        self, client: FlaskClient, services: Services, staff: Staff, login: LoginHelper
    ) -> None:
        ids = _registered(services, staff)
        login(client, staff.vo_user.email)
        page = client.get(REGISTRATIONS).get_data(as_text=True)
        assert "Jansen, Anna" in page
        assert "Zwart, =HYPERLINK(1)" in page
        assert "Jansen, Bas" not in page  # not registered here
        assert f"/leerlingen/{ids['anna']}/oki-doc" in page
        assert re.search(r"havo</th><td>1</td><td>1</td>", page)
        assert re.search(r"vwo</th><td>1</td><td>niet ingesteld</td>", page)
        assert client.get(f"/leerlingen/{ids['anna']}/oki-doc").status_code == 200
        assert client.get(f"/leerlingen/{staff.other_group_pupil_id}/oki-doc").status_code == 404

    def test_filters_and_search(
        self, client: FlaskClient, services: Services, staff: Staff, login: LoginHelper
    ) -> None:
        _registered(services, staff)
        login(client, staff.vo_user.email)
        vwo = client.get(REGISTRATIONS, query_string={"niveau": "vwo"}).get_data(as_text=True)
        assert "Jansen, Anna" in vwo
        assert "Zwart" not in vwo
        found = client.get(REGISTRATIONS, query_string={"zoek": "zwart"}).get_data(as_text=True)
        assert "Zwart" in found
        assert "Jansen, Anna" not in found
        junk = client.get(REGISTRATIONS, query_string={"niveau": "x", "voorrang": "y"})
        assert junk.status_code == 200
        assert "Jansen, Anna" in junk.get_data(as_text=True)

    def test_the_csv_is_formula_safe_and_keeps_the_filter(
        self, client: FlaskClient, services: Services, staff: Staff, login: LoginHelper
    ) -> None:
        _registered(services, staff)
        login(client, staff.vo_user.email)
        response = client.get("/vo/aanmeldingen.csv")
        assert response.mimetype == "text/csv"
        text = response.get_data(as_text=True).removeprefix("\ufeff")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert rows[0][:4] == ["ELK-nummer", "Achternaam", "Tussenvoegsel", "Voornaam"]
        assert [row[3] for row in rows[1:]] == ["Anna", "'=HYPERLINK(1)"]
        only = client.get("/vo/aanmeldingen.csv", query_string={"zoek": "anna"})
        assert len(only.get_data(as_text=True).splitlines()) == 2

    def test_another_vo_school_sees_none_of_them(
        self, client: FlaskClient, services: Services, staff: Staff, login: LoginHelper
    ) -> None:
        ids = _registered(services, staff)
        other = other_vo_user(services, staff.board_id)
        login(client, other.email)
        page = client.get(REGISTRATIONS).get_data(as_text=True)
        assert "Jansen" not in page
        assert "Zwart" not in page
        assert client.get(f"/leerlingen/{ids['anna']}/oki-doc").status_code == 404


class TestSchoolOptions:
    def test_the_functional_admin_sets_the_first_choice_options(
        self, client: FlaskClient, services: Services, staff: Staff,
        login_staff: StaffLoginHelper, csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        login_staff(client, staff.admin.email)
        url = f"/beheer/scholen/{staff.vo_school_id}"
        page = client.get(url)
        assert 'name="voorrang"' in page.get_data(as_text=True)
        with services.uow() as uow:
            school = uow.schools.get(staff.vo_school_id)
        form = {
            "board_id": str(school.board_id), "kind": "vo", "versie": str(school.version),
            "official_name": school.official_name, "name": school.name,
            "school_type": school.school_type, "street": school.address.street,
            "house_number": school.address.house_number, "postcode": school.address.postcode,
            "city": school.address.city, "brin": school.location.brin,
            "vestiging": school.location.vestiging, "niveau_HAVO": "1", "capaciteit_HAVO": "90",
            "voorrang": "1", "csrf_token": csrf_token(page),
        }  # fmt: skip
        assert client.post(url, data=form).status_code == 302
        with services.uow() as uow:
            saved = uow.schools.get(staff.vo_school_id)
        assert (saved.offers_priority, saved.offers_equivalent_level) == (True, False)
        assert saved.capacity == {Level.HAVO: 90}


class TestDossierAfterRegistration:
    def test_every_vo_view_is_in_the_primary_school_s_history(
        self, client: FlaskClient, services: Services, staff: Staff, login: LoginHelper,
        login_staff: StaffLoginHelper, logout: LogoutHelper,
    ) -> None:  # fmt: skip
        anna = _registered(services, staff)["anna"]
        login(client, staff.vo_user.email)
        assert client.get(f"/leerlingen/{anna}/oki-doc?tab=advies").status_code == 200
        assert client.get(f"/documenten/leerling/{anna}/oki-doc.pdf").status_code == 200
        assert client.get(f"/leerlingen/{staff.other_group_pupil_id}/oki-doc").status_code == 404
        logout(client)

        login_staff(client, staff.teacher.email)
        assert client.get(f"/leerlingen/{anna}/oki-doc").status_code == 200  # not logged
        page = client.get(f"/leerlingen/{anna}/oki-doc/geschiedenis").get_data(as_text=True)
        assert page.count("Bekeken door VO") == 2
        assert "Oki-doc, tab Advies (Het Lyceum)" in page
        assert "Oki-doc PDF (Het Lyceum)" in page
        with services.uow() as uow:
            hidden = uow.okidocs.for_pupil(staff.other_group_pupil_id).id
            assert uow.audit.for_subject("okidoc", hidden) == []


class TestPriorityJudgement:
    def test_the_vo_user_grants_a_claim_and_the_parent_gets_the_mail(
        self, client: FlaskClient, services: Services, staff: Staff, login: LoginHelper,
        csrf_token: CsrfHelper, delivered_mail: DeliveredMail,
    ) -> None:  # fmt: skip
        claim = FirstChoiceOptions(priority_claim=PriorityClaim(PriorityKind.SIBLING, "Tim", "1b"))
        register_at(services, staff.pupil_id, staff.vo_school_id, claim)
        with services.uow() as uow:
            uow.parent_accounts.add(
                ParentAccount(id=0, pupil_id=staff.pupil_id, email="ouder@example.nl")
            )
            uow.commit()
        login(client, staff.vo_user.email)
        page = client.get(REGISTRATIONS)
        assert "Te beoordelen: broer/zus Tim (1b)" in page.get_data(as_text=True)
        url = f"/vo/aanmeldingen/{staff.pupil_id}/voorrang"
        refused = client.post(url, data={"besluit": "misschien", "csrf_token": csrf_token(page)})
        assert refused.status_code == 422
        done = client.post(url, data={"besluit": "gehonoreerd", "csrf_token": csrf_token(page)})
        assert done.status_code == 302
        assert "Gehonoreerd: broer/zus Tim" in client.get(REGISTRATIONS).get_data(as_text=True)
        mail = delivered_mail()[-1]
        assert (mail.to, mail.subject) == ("ouder@example.nl", "Beoordeling voorrang")
        assert "Deze voorrang is door de VO-school gehonoreerd." in mail.body

    def test_only_the_school_the_pupil_registered_at_may_judge(
        self, client: FlaskClient, services: Services, staff: Staff, login: LoginHelper,
        login_staff: StaffLoginHelper, logout: LogoutHelper, csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        claim = FirstChoiceOptions(priority_claim=PriorityClaim(PriorityKind.STAFF_CHILD, "Ria"))
        register_at(services, staff.pupil_id, staff.vo_school_id, claim)
        url = f"/vo/aanmeldingen/{staff.pupil_id}/voorrang"
        other = other_vo_user(services, staff.board_id)
        for email, status in ((other.email, 404), (staff.teacher.email, 403)):
            login_staff(client, email)
            token = csrf_token(client.get("/"))
            answer = client.post(url, data={"besluit": "gehonoreerd", "csrf_token": token})
            assert answer.status_code == status, email
            logout(client)
        with services.uow() as uow:
            registration = uow.registrations.for_pupil(staff.pupil_id, "amstelland")
        assert registration is not None
        assert registration.priority_granted is None


class TestTheDossierRuleBothWays:
    def test_before_registration_404_after_200_audited_after_re_registering_elsewhere_404(
        self, client: FlaskClient, services: Services, staff: Staff, login: LoginHelper
    ) -> None:
        anna, okidoc = staff.pupil_id, f"/leerlingen/{staff.pupil_id}/oki-doc"
        login(client, staff.vo_user.email)
        assert client.get(okidoc).status_code == 404
        register_at(services, anna, staff.vo_school_id)
        assert client.get(okidoc).status_code == 200
        other = other_vo_user(services, staff.board_id)
        with services.uow() as uow:
            audited = uow.audit.for_subject("okidoc", uow.okidocs.for_pupil(anna).id)
            assert [entry.action for entry in audited] == ["okidoc.vo_inzage"]
            registration = uow.registrations.for_pupil(anna, "amstelland")
            assert registration is not None
            elsewhere = attrs.evolve(
                registration, preferences=PreferenceList(school_ids=(other.school_id or 0,))
            )
            uow.registrations.update(elsewhere)
            uow.commit()
        assert client.get(okidoc).status_code == 404
        assert "Jansen, Anna" not in client.get(REGISTRATIONS).get_data(as_text=True)


class TestNotesSharedWithVo:
    def test_the_vo_user_reads_only_notes_shared_with_vo_and_the_reading_is_audited(
        self, client: FlaskClient, services: Services, staff: Staff, login: LoginHelper,
        login_staff: StaffLoginHelper, logout: LogoutHelper, csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        anna = staff.pupil_id
        notes = f"/leerlingen/{anna}/notities"
        login_staff(client, staff.teacher.email)
        for text, visibility in (("Alleen voor ons", "eigen_organisatie"),
                                 ("Goed om te weten voor het VO", "ook_vo")):  # fmt: skip
            token = csrf_token(client.get(notes))
            data = {"tekst": text, "zichtbaarheid": visibility, "csrf_token": token}
            assert client.post(notes, data=data).status_code == 302
        logout(client)
        register_at(services, anna, staff.vo_school_id)

        login(client, staff.vo_user.email)
        page = client.get(notes).get_data(as_text=True)
        assert "Goed om te weten voor het VO" in page
        assert "Alleen voor ons" not in page
        logout(client)
        login_staff(client, staff.teacher.email)
        history = client.get(f"/leerlingen/{anna}/oki-doc/geschiedenis").get_data(as_text=True)
        assert "Notities (Het Lyceum)" in history


class TestCapacity:
    def test_the_vo_administrator_sets_capacity_until_the_deadline(
        self, client: FlaskClient, services: Services, staff: Staff,
        login_staff: StaffLoginHelper, csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        login_staff(client, _vo_admin(services, staff))
        url = f"/beheer/scholen/{staff.vo_school_id}"

        def post(seats: str) -> TestResponse:
            page = client.get(url)
            with services.uow() as uow:
                school = uow.schools.get(staff.vo_school_id)
            form = {
                "board_id": str(school.board_id), "kind": "vo", "versie": str(school.version),
                "official_name": school.official_name, "name": school.name,
                "school_type": school.school_type, "street": school.address.street,
                "house_number": school.address.house_number,
                "postcode": school.address.postcode, "city": school.address.city,
                "brin": school.location.brin, "vestiging": school.location.vestiging,
                "niveau_HAVO": "1", "capaciteit_HAVO": seats, "gelijkwaardig": "1",
                "csrf_token": csrf_token(page),
            }  # fmt: skip
            return client.post(url, data=form)

        def deadline(days: int) -> None:
            with services.uow() as uow:
                day = services.clock.now().date() + dt.timedelta(days=days)
                uow.settings.save_timeline(Timeline(capacity_deadline=day))
                uow.commit()

        deadline(1)
        assert post("120").status_code == 302
        deadline(-1)
        refused = post("150")
        assert refused.status_code == 422
        assert "De capaciteit staat vast sinds" in refused.get_data(as_text=True)
        with services.uow() as uow:
            assert uow.schools.get(staff.vo_school_id).capacity == {Level.HAVO: 120}


class TestTafelmiddagVo:
    def test_the_vo_user_ticks_it_and_the_primary_school_sees_the_tick(
        self, client: FlaskClient, services: Services, staff: Staff, login: LoginHelper,
        login_staff: StaffLoginHelper, logout: LogoutHelper, csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        anna = _registered(services, staff)["anna"]
        tick = '<span class="tick" aria-hidden="true">✓</span>'
        login_staff(client, staff.teacher.email)
        overview = client.get("/leerlingen/", query_string={"zoek": "Anna"})
        ticks_before = overview.get_data(as_text=True).count(tick)
        logout(client)
        login(client, staff.vo_user.email)
        url = f"/vo/aanmeldingen/{anna}/tafelmiddag"
        token = csrf_token(client.get(REGISTRATIONS))
        assert client.post(url, data={"tafelmiddag": "?", "csrf_token": token}).status_code == 422
        assert client.post(url, data={"tafelmiddag": "ja", "csrf_token": token}).status_code == 302
        assert "Tafelmiddag VO Anna Jansen wissen" in client.get(REGISTRATIONS).get_data(
            as_text=True
        )
        logout(client)
        login_staff(client, staff.teacher.email)
        with services.uow() as uow:
            assert uow.okidocs.for_pupil(anna).value(fields.TAFELMIDDAG_VO) is True
        history = client.get(f"/leerlingen/{anna}/oki-doc/geschiedenis").get_data(as_text=True)
        assert "Tafelmiddag VO aangegeven" in history
        overview = client.get("/leerlingen/", query_string={"zoek": "Anna"})
        assert overview.get_data(as_text=True).count(tick) == ticks_before + 1


class TestRegionOverview:
    def test_elk_beheer_sees_registrations_per_vo_school_against_capacity(
        self, client: FlaskClient, services: Services, staff: Staff,
        login_staff: StaffLoginHelper, logout: LogoutHelper,
    ) -> None:  # fmt: skip
        _registered(services, staff)
        login_staff(client, staff.admin.email)
        home = client.get("/").get_data(as_text=True)
        assert "Aanmeldingen VO" in _menu(home)
        page = client.get("/vo/regio").get_data(as_text=True)
        assert re.search(r"havo</th><td>1</td><td>1</td>", page)
        assert re.search(r"vwo</th><td>1</td><td>niet ingesteld</td>", page)
        assert "(overaanmelding)" not in page
        logout(client)
        login_staff(client, staff.teacher.email)
        assert "Aanmeldingen VO" not in _menu(client.get("/").get_data(as_text=True))
        assert client.get("/vo/regio").status_code == 404
