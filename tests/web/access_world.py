"""The access matrix's world: extra records, the state each row needs, and the browser.

A valid post changes the database, so each row first puts its target in the state its form
(``access_forms``) needs: an Oki-doc ready to be made Volledig, a pupil whose parent login may
be sent, and so on. The ``Browser`` is one principal's logged-in test client, reused row after
row (one login per principal, not per row, keeps the matrix fast); ``classify`` turns each
answer into the matrix's letter.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs
from flask import Flask
from tests.fixtures.oso_sim import KEY, LOCATION, NUMBER
from tests.web.builders import add_pupil, register_at
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services
from elk_adapters.oso.simulator.state import SimulatorState
from elk_domain.accounts.passwords import issue_link
from elk_domain.accounts.tokens import TokenPurpose
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import Actor, OrgKind, Role, User
from elk_domain.kernel.values import Address, PersonName, SchoolLocation
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.catalogue.samples import complete_fields
from elk_domain.okidoc.model import FieldValue, OkiStatus, Provenance, Source
from elk_domain.organisation.model import Period, School, Timeline
from elk_domain.oso.config import register_delivery_point
from elk_domain.parents.account import ParentAccount
from elk_domain.parents.login import token_digest
from elk_domain.parents.registration import (
    FirstChoiceOptions,
    PreferenceList,
    PriorityClaim,
    PriorityKind,
    Registration,
)
from elk_domain.pupils.model import ParentLoginStatus
from elk_domain.testing import FixedClock
from elk_domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from tests.web.conftest import CsrfHelper, Staff, StaffLoginHelper

PASSWORD = "correct horse battery staple"  # conftest's; test modules cannot import conftest
Args = Mapping[str, Any]
Form = dict[str, Any]
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # conftest's, so its login helper knows it
VO_ADMIN = "vobeheer@lyceum.test"  # the matrix's VO administrator, of the staff's VO school
#: Mijn OSO number and key of the school locations the simulator knows besides ``LOCATION``.
OSO_KEYS = {"78GH00": ("4712", "sleutel-78GH00"), "56EF00": ("4713", "sleutel-56EF00")}


@attrs.define
class World:
    """One principal's database (seeded per test) and what the rows' forms need from it."""

    staff: Staff
    services: Services
    clock: FixedClock
    oso: SimulatorState
    second_school_id: int  # a second PO school of the staff's board
    invite_token: str  # an unused set-password link
    parent_number: str  # the ELK number of the staff's pupil, whose parent has a password
    parent_token: str  # an unused set-password link of another pupil's parent
    other_vo_pupil_id: int  # in 8b, registered (with a claim) at another VO school of the board
    me: str | None = None  # the e-mail address of the principal whose column is tested
    serial: Iterator[int] = attrs.field(factory=lambda: itertools.count(1))

    def fresh(self) -> int:
        """A number not used before in this test: fresh names, e-mail addresses, files."""
        return next(self.serial)


def build_world(services: Services, staff: Staff, oso: SimulatorState) -> World:
    """A second PO school of the board, OSO delivery points for every PO school, an invite."""
    with services.uow() as uow:
        board = uow.schools.get(staff.school_id).board_id
        second = uow.schools.add(
            School(
                id=0, board_id=board, kind=OrgKind.PO, official_name="De Esdoorn",
                name="De Esdoorn", school_type="Basisschool", address=_address(),
                location=SchoolLocation.parse("78GH"),
            )
        )  # fmt: skip
        invited = uow.users.add(
            User(id=0, email="nieuw@regenboog.test", display_name="Nina Nieuw",
                 role=Role.END_USER, org_kind=OrgKind.PO, board_id=board,
                 school_id=staff.school_id)
        )  # fmt: skip
        token = issue_link(uow, services.clock, services.random, invited, TokenPurpose.INVITE)
        uow.users.add(
            User(id=0, email=VO_ADMIN, display_name="Vera VO-beheer", role=Role.VO_ADMIN,
                 org_kind=OrgKind.VO, board_id=board, school_id=staff.vo_school_id,
                 password_hash=services.hasher.hash(PASSWORD), totp_secret=TOTP_SECRET)
        )  # fmt: skip
        parent_number, parent_token = _parents(uow, services, staff)
        gymnasium = uow.schools.add(
            School(
                id=0, board_id=board, kind=OrgKind.VO, official_name="Het Gymnasium",
                name="Het Gymnasium", school_type="Gymnasium", address=_address(),
                location=SchoolLocation.parse("90KL"), offers_priority=True,
            )
        )  # fmt: skip
        uow.commit()
    dirk = add_pupil(services, staff.school_id, staff.other_group_id,
                     name=PersonName("Dirk", "Jansen"))  # fmt: skip
    claim = FirstChoiceOptions(priority_claim=PriorityClaim(PriorityKind.SIBLING, "Tim", "1b"))
    register_at(services, dirk, gymnasium.id, claim)
    for location, (number, key) in OSO_KEYS.items():
        oso.add_school(SchoolLocation.parse(location), number, key)
    for school_id in (staff.school_id, second.id, staff.other_school_id):
        number, key = oso_key_of(services, school_id)
        register_delivery_point(
            services.uow(), services.oso, services.clock, Actor.system(), school_id, number, key
        )
    clock = services.clock
    assert isinstance(clock, FixedClock)
    return World(staff, services, clock, oso, second.id, token, parent_number, parent_token, dirk)


def _parents(uow: UnitOfWork, services: Services, staff: Staff) -> tuple[str, str]:
    """An activated parent of the staff's pupil (the matrix's parent); a pending link for the
    parent of the other board's pupil (no row sends that one's login again, which would kill the
    link). Returns the first's ELK number and the link."""
    pupil = uow.pupils.get(staff.pupil_id)
    uow.pupils.update(attrs.evolve(pupil, parent_login=ParentLoginStatus.ACTIVATED))
    uow.parent_accounts.add(
        ParentAccount(id=0, pupil_id=pupil.id, email="ouder.anna@example.nl",
                      password_hash=services.hasher.hash(PASSWORD))
    )  # fmt: skip
    token = services.random.token()
    uow.parent_accounts.add(
        ParentAccount(id=0, pupil_id=staff.other_school_pupil_id, email="ouder.cor@example.nl",
                      token_digest=token_digest(token),
                      token_expires_at=services.clock.now() + dt.timedelta(days=30))
    )  # fmt: skip
    return str(pupil.elk_number), token


def _address() -> Address:
    return Address.create(
        street="Schoolstraat", house_number="2", postcode="1181 AC", city="Amstelveen"
    )


def oso_key_of(services: Services, school_id: int) -> tuple[str, str]:
    """The Mijn OSO number and key of the school's location in the simulator."""
    with services.uow() as uow:
        location = str(uow.schools.get(school_id).location)
    return (NUMBER, KEY) if location == str(LOCATION) else OSO_KEYS[location]


# --- Preparations: the state a row's valid form needs ------------------------------------


def _set_okidoc(w: World, pupil_id: int, status: OkiStatus, **values: object) -> None:
    """Every required field filled (plus ``values``), in ``status``."""
    at = w.clock.now()
    extra = {p: FieldValue(v, Provenance(Source.HAND, at, "test")) for p, v in values.items()}
    with w.services.uow() as uow:
        okidoc = uow.okidocs.for_pupil(pupil_id)
        fields = {**okidoc.fields, **complete_fields(at), **extra}
        uow.okidocs.update(attrs.evolve(okidoc, status=status, fields=fields))
        uow.commit()


def editable(w: World, a: Args) -> None:
    """The Oki-doc is Onvolledig (an earlier row may have made it Definitief)."""
    with w.services.uow() as uow:
        okidoc = uow.okidocs.for_pupil(a["pupil_id"])
        if okidoc.status is not OkiStatus.ONVOLLEDIG:
            uow.okidocs.update(attrs.evolve(okidoc, status=OkiStatus.ONVOLLEDIG))
            uow.commit()


def ready_to_complete(w: World, a: Args) -> None:
    """Onvolledig with every required field filled: "Volledig maken" succeeds."""
    _set_okidoc(w, a["pupil_id"], OkiStatus.ONVOLLEDIG)


def volledig(w: World, a: Args) -> None:
    """Volledig: the parents' inspection may be recorded."""
    _set_okidoc(w, a["pupil_id"], OkiStatus.VOLLEDIG)


def parent_login_due(w: World, a: Args) -> None:
    """Definitief with test result, advice and parent e-mail, in the parent-login period."""
    today = w.clock.now().date()
    _set_okidoc(
        w, a["pupil_id"], OkiStatus.DEFINITIEF,
        **{f.FINAL_TEST_OUTCOME: "havo", f.ADVICE_DEFINITIVE: "havo",
           f.INSPECTION_DATE: today, f.PARENTS_AGREE: True},
    )  # fmt: skip
    month = Period(today - dt.timedelta(days=10), today + dt.timedelta(days=10))
    with w.services.uow() as uow:
        pupil = uow.pupils.get(a["pupil_id"])
        uow.pupils.update(attrs.evolve(pupil, parent_login=ParentLoginStatus.NOT_SENT))
        uow.settings.save_timeline(Timeline(parent_login=month))
        uow.commit()


def inferred_advice(w: World, a: Args) -> None:
    """The definitive advice as a trusted OSO sync stores it: marked inferred from code 51."""
    oso = Provenance(Source.OSO, w.clock.now(), "LAS", inferred_from="51")
    with w.services.uow() as uow:
        okidoc = uow.okidocs.for_pupil(a["pupil_id"])
        fields = {**okidoc.fields, f.ADVICE_DEFINITIVE: FieldValue("havo/vwo", oso)}
        uow.okidocs.update(attrs.evolve(okidoc, fields=fields))
        uow.commit()


def registered_with_claim(w: World, _: Args) -> None:
    """The staff's own pupil registered at the VO school, claiming priority (once per test)."""
    with w.services.uow() as uow:
        found = uow.registrations.for_pupil(w.staff.pupil_id, "amstelland")
    if found is None:
        claim = FirstChoiceOptions(priority_claim=PriorityClaim(PriorityKind.SIBLING, "Tim", "1b"))
        register_at(w.services, w.staff.pupil_id, w.staff.vo_school_id, claim)


def registration_open(w: World, _: Args) -> Registration | None:
    """The matrix parent may register: a vmbo-k advice (two schools), the registration period
    open, two VO schools that offer vmbo-k, an activated login, an empty list (whatever earlier
    rows registered). Returns the stored registration, if any."""
    today = w.clock.now().date()
    month = Period(today - dt.timedelta(days=10), today + dt.timedelta(days=10))
    with w.services.uow() as uow:
        for school in uow.schools.list():
            if school.kind is OrgKind.VO and Level.VMBO_K not in school.levels:
                uow.schools.update(attrs.evolve(school, levels=frozenset(Level)))
        vo = [s for s in uow.schools.list() if s.kind is OrgKind.VO]
        if len(vo) < 2:
            uow.schools.add(attrs.evolve(vo[0], id=0, name="Het Tweede College",
                                         location=SchoolLocation.parse("91VO")))  # fmt: skip
        pupil = uow.pupils.get(w.staff.pupil_id)
        if pupil.parent_login in (ParentLoginStatus.NOT_SENT, ParentLoginStatus.SENT):
            uow.pupils.update(attrs.evolve(pupil, parent_login=ParentLoginStatus.ACTIVATED))
        uow.settings.save_timeline(Timeline(parent_login=month, registration=month))
        uow.commit()
    _set_okidoc(w, w.staff.pupil_id, OkiStatus.DEFINITIEF, **{f.ADVICE_DEFINITIVE: "vmbo-k"})
    with w.services.uow() as uow:
        found = uow.registrations.for_pupil(w.staff.pupil_id, "amstelland")
    if found is not None:  # an earlier row's registration: start again from an empty list
        _store_registration(w, found, PreferenceList(), None)
        with w.services.uow() as uow:
            found = uow.registrations.for_pupil(w.staff.pupil_id, "amstelland")
    return found


def vo_school_ids(w: World) -> list[int]:
    """The VO schools of the matrix world, by id."""
    with w.services.uow() as uow:
        return sorted(s.id for s in uow.schools.list() if s.kind is OrgKind.VO)


def list_complete(w: World, a: Args) -> None:
    """A list of two schools being worked on, ready for "Definitief maken"."""
    found = registration_open(w, a)
    chosen = PreferenceList(school_ids=tuple(vo_school_ids(w)[:2]))
    _store_registration(w, found, chosen, found.definitive if found else None)


def change_pending(w: World, a: Args) -> None:
    """A definitive list and a different one being worked on."""
    found = registration_open(w, a)
    first, second = vo_school_ids(w)[:2]
    definitive = PreferenceList(school_ids=(first, second))
    _store_registration(w, found, PreferenceList(school_ids=(second, first)), definitive)


def _store_registration(
    w: World, found: Registration | None, chosen: PreferenceList, definitive: PreferenceList | None
) -> None:
    with w.services.uow() as uow:
        if found is None:
            uow.registrations.add(
                Registration(id=0, pupil_id=w.staff.pupil_id, procedure="amstelland",
                             preferences=chosen, definitive=definitive,
                             updated_at=w.clock.now(), definitive_at=w.clock.now())
            )  # fmt: skip
        else:
            uow.registrations.update(
                attrs.evolve(found, preferences=chosen, definitive=definitive,
                             definitive_at=w.clock.now())
            )  # fmt: skip
        uow.commit()


def with_second_factor(w: World, _: Args) -> None:
    """The principal has an authenticator app linked (``TOTP_SECRET``), e.g. to switch it off."""
    if w.me is None:
        return
    with w.services.uow() as uow:
        user = uow.users.by_email(w.me)
        if user is not None and user.totp_secret is None:
            uow.users.update(attrs.evolve(user, totp_secret=TOTP_SECRET))
            uow.commit()


# --- The browser ------------------------------------------------------------------------


def classify(response: TestResponse, errors: list[str], *, lands_on_login: bool = False) -> str:
    """The letter for a response; anything that is not a letter names status and message."""
    status, location = response.status_code, response.headers.get("Location", "")
    to_login = 300 <= status < 400 and re.search(r"/inloggen(\?|$)", location) is not None
    if to_login and not (lands_on_login and "next=" not in location):
        return "L"
    if status in (403, 404):
        return {403: "F", 404: "N"}[status]
    if 200 <= status < 400 and not errors:
        return "A"
    return f"{status} ({'; '.join(errors) or _gist(response)})"


def _gist(response: TestResponse) -> str:
    """The message a refused form shows, for the failure report."""
    html = response.get_data(as_text=True)
    found = re.search(
        r'role="alert"[^>]*>(.*?)</div>|<ul class="violations">(.*?)</ul>|</h1>\s*<p>(.*?)</p>',
        html,
        re.S,
    )
    text = next((g for g in found.groups() if g), "") if found else ""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()[:160]


class Browser:
    """One principal's test client, logged in once and reused row after row."""

    def __init__(self, app: Flask, email: str | None, login: StaffLoginHelper,
                 csrf: CsrfHelper, *, parent_number: str | None = None) -> None:  # fmt: skip
        self.app, self.email, self.login, self.csrf = app, email, login, csrf
        self.parent_number = parent_number  # set: the principal is that child's parent
        self.start()

    def start(self) -> None:
        """A fresh client (logged in unless anonymous) and the CSRF token of its session."""
        self.client = self.app.test_client()
        if self.parent_number is not None:
            self.token = self.csrf(self.client.get("/ouders/inloggen"))
            response = self.client.post("/ouders/inloggen", data={
                "elk_nummer": self.parent_number, "wachtwoord": PASSWORD, "csrf_token": self.token,
            })  # fmt: skip
            assert response.headers.get("Location") == "/ouders/", "the parent could not log in"
            self.token = self.csrf(self.client.get("/ouders/"))
            return
        if self.email is not None:
            response = self.login(self.client, self.email)
            assert response.status_code == 302, f"logging in as {self.email} failed"
        page = self.client.get("/account/instellingen" if self.email else "/inloggen")
        self.token = self.csrf(page)

    def send(
        self,
        method: str,
        path: str,
        form: Form,
        *,
        session: Mapping[str, Any] | None = None,
        lands_on_login: bool = False,
    ) -> str:
        """Request ``path`` (posting ``form``) after putting ``session`` in the session; the
        letter for the answer (``lands_on_login``: success is the plain login page)."""
        if session:
            with self.client.session_transaction() as stored:
                stored.update(session)
        data = {k: (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v
                for k, v in form.items()}  # fmt: skip
        try:  # the app propagates exceptions in testing mode: report them with the row
            if method == "GET":
                response = self.client.get(path)
            else:
                response = self.client.post(path, data={**data, "csrf_token": self.token})
        except Exception as crash:
            return f"500 ({type(crash).__name__}: {str(crash)[:80]!r})"
        with self.client.session_transaction() as stored:
            errors = [message for kind, message in stored.pop("_flashes", []) if kind == "error"]
        return classify(response, errors, lands_on_login=lands_on_login)


def junk(form: Form) -> Form:
    """The same fields, each filled with nonsense (files: an empty one)."""
    return {
        name: (b"", "leeg.png") if isinstance(value, tuple) else "¿x\r\n'\"<" * 700
        for name, value in form.items()
    }
