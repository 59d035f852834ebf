"""The VO school's registrations in the web app (issue 15 items 2, 3, 4 and 6): the list, its
filters and CSV, the dossier after registration (audited), judging a priority claim (the parent's
mail through the real SMTP capture) and Tafelmiddag VO.
"""

from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING

import attrs
from flask.testing import FlaskClient
from tests.web.builders import other_vo_user, register_at
from tests.web.vo_world import (
    REGISTRATIONS,
    register_two_at_the_vo_school,
)

from elk_adapters.bootstrap import Services
from elk_domain.okidoc import fields
from elk_domain.parents.account import ParentAccount
from elk_domain.parents.registration import (
    FirstChoiceOptions,
    PreferenceList,
    PriorityClaim,
    PriorityKind,
)

if TYPE_CHECKING:
    from tests.web.conftest import (
        CsrfHelper,
        DeliveredMail,
        LoginHelper,
        LogoutHelper,
        Staff,
        StaffLoginHelper,
    )


class TestRegistrationsList:
    def test_the_vo_user_sees_the_registered_pupils_with_counts_per_level(
        self, client: FlaskClient, services: Services, staff: Staff, login: LoginHelper
    ) -> None:
        ids = register_two_at_the_vo_school(services, staff)
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
        register_two_at_the_vo_school(services, staff)
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
        register_two_at_the_vo_school(services, staff)
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
        ids = register_two_at_the_vo_school(services, staff)
        other = other_vo_user(services, staff.board_id)
        login(client, other.email)
        page = client.get(REGISTRATIONS).get_data(as_text=True)
        assert "Jansen" not in page
        assert "Zwart" not in page
        assert client.get(f"/leerlingen/{ids['anna']}/oki-doc").status_code == 404


class TestAChangeInProgress:
    def test_the_list_marks_it_without_showing_the_draft(
        self, client: FlaskClient, services: Services, staff: Staff, login: LoginHelper
    ) -> None:
        anna = register_two_at_the_vo_school(services, staff)["anna"]
        other = other_vo_user(services, staff.board_id)
        with services.uow() as uow:
            registration = uow.registrations.for_pupil(anna, "amstelland")
            assert registration is not None
            draft = PreferenceList(school_ids=(other.school_id or 0,))
            uow.registrations.update(attrs.evolve(registration, preferences=draft))
            uow.commit()
        login(client, staff.vo_user.email)
        page = client.get(REGISTRATIONS).get_data(as_text=True)
        assert page.count("wijziging in bewerking") == 1
        assert "Het Gymnasium" not in page
        assert client.get(f"/leerlingen/{anna}/oki-doc").status_code == 200  # a draft moves nothing


class TestDossierAfterRegistration:
    def test_every_vo_view_is_in_the_primary_school_s_history(
        self, client: FlaskClient, services: Services, staff: Staff, login: LoginHelper,
        login_staff: StaffLoginHelper, logout: LogoutHelper,
    ) -> None:  # fmt: skip
        anna = register_two_at_the_vo_school(services, staff)["anna"]
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

    def test_a_refusal_needs_a_reason_which_the_list_the_mail_and_the_po_overview_show(
        self, client: FlaskClient, services: Services, staff: Staff, login: LoginHelper,
        csrf_token: CsrfHelper, delivered_mail: DeliveredMail, logout: LogoutHelper,
        login_staff: StaffLoginHelper,
    ) -> None:  # fmt: skip
        claim = FirstChoiceOptions(priority_claim=PriorityClaim(PriorityKind.STAFF_CHILD, "Ria"))
        register_at(services, staff.pupil_id, staff.vo_school_id, claim)
        with services.uow() as uow:
            uow.parent_accounts.add(
                ParentAccount(id=0, pupil_id=staff.pupil_id, email="ouder@example.nl")
            )
            uow.commit()
        login(client, staff.vo_user.email)
        page = client.get(REGISTRATIONS)
        assert 'id="reden-' in page.get_data(as_text=True)
        url = f"/vo/aanmeldingen/{staff.pupil_id}/voorrang"
        form = {"besluit": "niet_gehonoreerd", "csrf_token": csrf_token(page)}
        bare = client.post(url, data={**form, "reden": "  "})
        assert bare.status_code == 422
        assert "Geef een reden op" in bare.get_data(as_text=True)
        reason = "Ria werkt hier <niet>\nmeer"
        assert client.post(url, data={**form, "reden": reason}).status_code == 302
        listed = client.get(REGISTRATIONS).get_data(as_text=True)
        assert "Niet gehonoreerd: kind van medewerker Ria" in listed
        assert "Reden: Ria werkt hier &lt;niet&gt; meer" in listed
        mail = delivered_mail()[-1]
        assert "Deze voorrang is niet gehonoreerd." in mail.body
        assert "Toelichting van de VO-school: Ria werkt hier <niet> meer" in mail.body
        logout(client)
        login_staff(client, staff.teacher.email)
        overview = client.get("/leerlingen/", query_string={"zoek": "Anna"}).get_data(as_text=True)
        assert "voorrang niet gehonoreerd: Ria werkt hier &lt;niet&gt; meer" in overview

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
        self, client: FlaskClient, services: Services, staff: Staff, login: LoginHelper,
        logout: LogoutHelper,
    ) -> None:  # fmt: skip
        anna, okidoc = staff.pupil_id, f"/leerlingen/{staff.pupil_id}/oki-doc"
        login(client, staff.vo_user.email)
        assert client.get(okidoc).status_code == 404
        register_at(services, anna, staff.vo_school_id)
        assert client.get(okidoc).status_code == 200
        other = other_vo_user(services, staff.board_id)
        with services.uow() as uow:
            audited = uow.audit.for_subject("okidoc", uow.okidocs.for_pupil(anna).id)
            assert [entry.action for entry in audited] == ["okidoc.vo_inzage"]

        def parent_lists(definitive: bool) -> None:
            with services.uow() as uow:
                registration = uow.registrations.for_pupil(anna, "amstelland")
                assert registration is not None
                new_list = PreferenceList(school_ids=(other.school_id or 0, staff.vo_school_id))
                kept = new_list if definitive else registration.definitive
                changed = attrs.evolve(registration, preferences=new_list, definitive=kept)
                uow.registrations.update(changed)
                uow.commit()

        parent_lists(definitive=False)  # a draft with another first choice moves nothing
        assert client.get(okidoc).status_code == 200
        logout(client)
        login(client, other.email)
        assert client.get(okidoc).status_code == 404
        parent_lists(definitive=True)  # the new definitive list: access moves with it
        assert client.get(okidoc).status_code == 200
        logout(client)
        login(client, staff.vo_user.email)
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


class TestTafelmiddagVo:
    def test_the_vo_user_ticks_it_and_the_primary_school_sees_the_tick(
        self, client: FlaskClient, services: Services, staff: Staff, login: LoginHelper,
        login_staff: StaffLoginHelper, logout: LogoutHelper, csrf_token: CsrfHelper,
    ) -> None:  # fmt: skip
        anna = register_two_at_the_vo_school(services, staff)["anna"]
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
