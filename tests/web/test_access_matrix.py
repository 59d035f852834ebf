"""The access matrix: every route × every role (and anonymous), on own and foreign records.

One table, ``ROWS``: per endpoint, method and target (own record, other group, other school in
the same board, other board) the expected outcome for each principal, as one letter each:

    A  allowed: 2xx, or a redirect that is not to the login page and carries no error message
    F  403: the role may not do this
    N  404: the record is outside the principal's reach (its existence is not revealed)
    L  redirect to the login page (anonymous; or no login in progress for the 2FA step)

Anything else (422, 409, 429, 400, 500, a redirect with an error message) fails the test:
every POST sends a *valid* form (``access_forms``), one the use case accepts from a principal
who may take the action, so a refusal of the input can no longer pass for "allowed". A row
whose success ends on the login page (log out, set a password) says so with
``lands_on_login``. Each principal whose letter is F, N or L also posts an empty form and a
form of junk first: the answer must be the same, because permission is checked before the
input is read (docs/decisions/0036).

Principals, in column order: anonymous, functional administrator, board contact, school
administrator, teacher (contact person of group 8a only), colleague (end user without group),
VO user and VO administrator (both of Het Lyceum, the board's VO school), and the parent of the
teacher's pupil (logged in with the child's ELK number; a parent's pages name no child, so
"another child's page" does not exist: the child is the session's).
A route that is registered but has no row fails ``test_every_route_has_a_row``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from flask import Flask, url_for
from tests.fixtures.oso_sim import oso_simulator
from tests.web import access_forms as w
from tests.web import access_world as state
from tests.web.access_world import TOTP_SECRET, Args, Browser, Form, World, build_world, junk

from elk_adapters.bootstrap import Services
from elk_adapters.oso.gateway import ZeepOsoGateway
from elk_adapters.oso.simulator.server import SimulatorServer
from elk_web.account.flow import ENROL_SECRET

if TYPE_CHECKING:
    from tests.web.conftest import CsrfHelper, Staff, StaffLoginHelper

__all__ = ["oso_simulator"]  # the fixture is used by name

PRINCIPALS = (
    "anon", "admin", "board", "school_admin", "teacher", "colleague", "vo", "vo_admin", "parent",
)  # fmt: skip
IGNORED = {"static"}


@attrs.frozen(kw_only=True)
class Row:
    """One endpoint, method and target, with the expected letter per principal."""

    endpoint: str
    method: str
    target: str = ""
    expected: str  # one letter per principal, in PRINCIPALS order
    args: Callable[[World], Args] = lambda _: {}
    form: Callable[[World, Args], Form] = w.nothing  # posted besides the CSRF token
    prepare: Callable[[World, Args], None] | None = None  # the state the valid form needs
    # put in the session first (a function: made for the principal, e.g. an uploaded file)
    session: Mapping[str, Any] | Callable[[World], Mapping[str, Any]] = attrs.field(factory=dict)
    keep: tuple[str, ...] = ()  # form fields that name the target: kept in the invalid forms
    restart: bool = False  # the row replaces the session: log in again afterwards
    lands_on_login: bool = False  # success is a redirect to the login page (without next=)

    @property
    def id(self) -> str:
        return f"{self.endpoint}-{self.method}{'-' + self.target if self.target else ''}"


def r(endpoint: str, method: str, expected: str, target: str = "", **extra: Any) -> Row:
    return Row(endpoint=endpoint, method=method, expected=expected, target=target, **extra)


def _pupils(endpoint: str, method: str, own: str, group: str, far: str, **extra: Any) -> list[Row]:
    more = extra.pop("url_args", {})  # besides the pupil id
    targets = (
        ("eigen", own, lambda s: s.pupil_id),
        ("andere-groep", group, lambda s: s.other_group_pupil_id),
        ("andere-school", far, lambda s: s.other_school_pupil_id),
    )
    return [
        r(endpoint, method, letters, target,
          args=lambda x, pick=pick: {"pupil_id": pick(x.staff), **more}, **extra)
        for target, letters, pick in targets
    ]  # fmt: skip


def _other_vo_school(endpoint: str, method: str, letters: str, **extra: Any) -> Row:
    """A row on the pupil registered at another VO school of the board (in group 8b)."""
    more = extra.pop("url_args", {})
    return r(endpoint, method, letters, "andere-vo-school",
             args=lambda x: {"pupil_id": x.other_vo_pupil_id, **more}, **extra)  # fmt: skip


def _three(
    endpoint: str, method: str, key: str, targets: tuple[tuple[str, str, Any], ...], **extra: Any
) -> list[Row]:
    """Rows on three targets named by ``key`` (``pick(world)`` gives the id)."""
    return [
        r(endpoint, method, letters, target,
          args=lambda x, pick=pick: {key: pick(x)}, **extra)
        for target, letters, pick in targets
    ]  # fmt: skip


PUPIL_WORK = ("LFFAAANNF", "LFFANANNF", "LFNNNNNNF")  # EDIT_OKIDOC, FINALIZE_OKIDOC, ADD_NOTE, ...
PUPIL_VIEW = ("LAAAAANNF", "LAAANANNF", "LANNNNNNF")
SCHOOLS = (  # own PO school, VO school of the board, PO school of another board
    ("eigen", "LAAAFFNNF", lambda x: x.staff.school_id),
    ("andere-school", "LAANNNFAF", lambda x: x.staff.vo_school_id),
    ("ander-bestuur", "LANNNNNNF", lambda x: x.staff.other_school_id),
)
PO_SCHOOLS = (  # preferences and OSO exist for PO schools only: the second one is PO too
    ("eigen", "LAAAFFNNF", lambda x: x.staff.school_id),
    ("andere-school", "LAANNNNNF", lambda x: x.second_school_id),
    ("ander-bestuur", "LANNNNNNF", lambda x: x.staff.other_school_id),
)
USERS = (
    ("eigen-school", "LAAAFFNNF", lambda x: x.staff.colleague.id),
    ("andere-school", "LAANNNFAF", lambda x: x.staff.vo_user.id),
    ("ander-bestuur", "LANNNNNNF", lambda x: x.staff.other_teacher.id),
)
GROUPS = (
    ("eigen", "LAAAAANNF", lambda x: x.staff.group_id),
    ("andere-groep", "LAAANANNF", lambda x: x.staff.other_group_id),
    ("ander-bestuur", "LANNNNNNF", lambda x: x.staff.other_school_group_id),
)
TOKEN = {"args": lambda x: {"token": x.invite_token}}
PARENT_TOKEN = {"args": lambda x: {"token": x.parent_token}}

# fmt: off
ROWS: list[Row] = [
    # Public pages
    r("auth.login", "GET", "AAAAAAAAF"),
    r("auth.login", "POST", "AAAAAAAAF", form=w.login_form, restart=True),
    r("auth.logout", "POST", "AAAAAAAAF", restart=True, lands_on_login=True),
    r("account.forgot_password", "GET", "AAAAAAAAF"),
    r("account.forgot_password", "POST", "AAAAAAAAF",
      form=lambda x, _: {"email": x.staff.teacher.email}),
    r("account.set_password", "GET", "AAAAAAAAF", **TOKEN),
    r("account.set_password", "POST", "AAAAAAAAF", **TOKEN, lands_on_login=True, restart=True,
      form=w.fixed(password="een nieuw wachtwoord", repeat="een nieuw wachtwoord")),
    r("account.code", "GET", "LLLLLLLLF"),
    r("account.code", "POST", "LLLLLLLLF", form=w.fixed(code="123456")),
    # Own account
    r("main.home", "GET", "LAAAAAAAF"),
    r("account.settings", "GET", "LAAAAAAAF"),
    r("account.rename", "POST", "LAAAAAAAF", form=w.fixed(name="Mijn Nieuwe Naam")),
    r("account.password", "POST", "LAAAAAAAF", form=w.own_password, restart=True),
    r("account.enrol", "GET", "LAAAAAAAF"),
    r("account.enrol", "POST", "LAAAAAAAF", form=w.enrol_code, restart=True,
      session={ENROL_SECRET: TOTP_SECRET}),
    r("account.disable_2fa", "POST", "LFFFAAAFF", form=w.second_factor, restart=True,
      prepare=state.with_second_factor),  # roles that must keep 2FA: 403
    # Region (functional administrator)
    r("admin.outbox", "GET", "LAFFFFFFF"),
    r("organisations.boards", "GET", "LAFFFFFFF"),
    r("organisations.boards", "POST", "LAFFFFFFF", form=w.new_board),
    r("organisations.new_school", "GET", "LAFFFFFFF"),
    r("organisations.new_school", "POST", "LAFFFFFFF", form=w.new_school),
    r("region.timeline", "GET", "LAFFFFFFF"),
    r("region.timeline", "POST", "LAFFFFFFF", form=w.timeline),
    r("region.news", "GET", "LAFFFFFFF"),
    r("region.news", "POST", "LAFFFFFFF", form=w.news),
    # Schools
    r("organisations.schools", "GET", "LAAAFFFAF"),
    *_three("organisations.school", "GET", "school_id", SCHOOLS),
    *_three("organisations.school", "POST", "school_id", SCHOOLS, form=w.edit_school),
    # Users
    r("users.index", "GET", "LAAAFFFAF"),
    r("users.new", "GET", "LAAAFFFAF"),
    r("users.new", "POST", "LAAAFFFAF", form=w.new_user),
    *_three("users.edit", "GET", "user_id", USERS),
    *_three("users.edit", "POST", "user_id", USERS, form=w.edit_user),
    *_three("users.invite", "POST", "user_id", USERS),
    *_three("users.reset_2fa", "POST", "user_id", USERS),
    *_three("users.impersonate", "POST", "user_id",
            tuple((t, {"eigen-school": "LAAFFFNNF", "andere-school": "LAANNNFFF"}.get(t, e), p)
                  for t, e, p in USERS),
            restart=True),
    # Groups: administrators manage them; end users fill them (a contact person only their own)
    r("groups.index", "GET", "LAAAAANNF", "eigen", args=lambda x: {"school": x.staff.school_id}),
    r("groups.index", "POST", "LAAAFFNNF", "eigen", args=lambda x: {"school": x.staff.school_id},
      form=w.new_group),
    *[
        r("groups.index", method, "LANNNNNNF", "ander-bestuur", form=w.new_group,
          args=lambda x: {"school": x.staff.other_school_id})
        for method in ("GET", "POST")
    ],
    *_three("groups.edit", "GET", "group_id", GROUPS),
    *_three("groups.edit", "POST", "group_id", GROUPS, form=w.fill_group),
    *_three("groups.edit", "POST", "group_id", (
        ("naam-eigen", "LAAAFFNNF", lambda x: x.staff.group_id),
        ("naam-andere-groep", "LAAANFNNF", lambda x: x.staff.other_group_id),
    ), form=w.manage_group, keep=("naam",)),
    # Voorkeursinstellingen (school preferences)
    *_three("preferences.index", "GET", "school", PO_SCHOOLS),
    *_three("preferences.index", "POST", "school", PO_SCHOOLS, form=w.preferences),
    # Audit log
    r("audit.index", "GET", "LAAAFFFFF"),
    # OSO (issue 4)
    r("oso.index", "GET", "LAAAAAFFF"),
    r("oso.configure", "GET", "LAAFFFFFF"),
    r("oso.notifications", "GET", "LAAAAAFFF"),
    r("oso.notifications", "POST", "LAAAAAFFF"),
    r("oso.notifications", "POST", "LANNNNNNF", "ander-bestuur", keep=("school",),
      form=lambda x, _: {"school": x.staff.other_school_id}),
    r("oso.request_transfer", "GET", "LAAAAAFFF"),
    r("oso.request_transfer", "POST", "LAAAAANNF", "eigen", form=w.bsn_list, keep=("school",)),
    r("oso.bulk_sync", "POST", "LAAAAANNF", "alle-eigen", keep=("school", "alle"),
      form=lambda x, _: {"mode": "fill", "alle": "1", "school": x.staff.school_id}),
    *[
        r("oso.bulk_sync", "POST", letters, target, keep=("pupil_ids",),
          form=lambda x, _, pick=pick: {"mode": "fill", "pupil_ids": [pick(x.staff)]})
        for target, letters, pick in (
            ("eigen", "LAAAAANNF", lambda s: s.pupil_id),
            ("andere-groep", "LAAANANNF", lambda s: s.other_group_pupil_id),
            ("andere-school", "LANNNNNNF", lambda s: s.other_school_pupil_id),
        )
    ],
    *_three("oso.ping", "POST", "school_id",
            tuple((t, "LAAFFFNNF" if t == "eigen" else e, p) for t, e, p in PO_SCHOOLS)),
    *_three("oso.register", "POST", "school_id",
            tuple((t, "LAAFFFNNF" if t == "eigen" else e, p) for t, e, p in PO_SCHOOLS),
            form=w.oso_key),
    # Pupils, Oki-docs, overviews and documents (issues 6 and 7)
    r("pupils.index", "GET", "LAAAAANNF"),
    r("overviews.index", "GET", "LAAAAAFFF"),
    r("overviews.csv", "GET", "LAAAAAFFF"),
    # The VO school's registrations (issue 15): its own staff only (a VO school's list is always
    # the actor's own; another VO school's users are in tests/web/test_vo.py); the region's
    # overviews for ELK beheer and the board contact
    r("vo.registrations", "GET", "LFFFFFAAF"),
    r("vo.registrations_export", "GET", "LFFFFFAAF"),
    r("vo.region", "GET", "LAANNNNNF"),
    r("vo.unregistered", "GET", "LAANNNNNF"),
    # The published placement (issue 16): the VO school's lists, the parent's explanation
    r("vo.placement", "GET", "LFFFFFAAF"),
    r("parents.placement", "GET", "LFFFFFFFA"),
    r("parents.placement_pdf", "GET", "LFFFFFFFN"),  # nothing published in the matrix's world
    r("finaltest.index", "GET", "LAAAAANNF"),
    # Importing the provider's file: staff of the own school only (the administrator: the CLI)
    r("finaltest.import_form", "GET", "LNFAAAFFF"),
    r("finaltest.upload", "POST", "LNFAAAFFF", form=w.result_file),
    r("finaltest.import_file", "POST", "LNFAAAFFF", session=w.staged_results),
    r("documents.consent_form", "GET", "LAAAAAAAF"),
    *[
        r("finaltest.save_all", "POST", letters, target, keep=("leerling",),
          form=lambda x, _, pick=pick: w.final_test(x, pick(x.staff)))
        for target, letters, pick in (
            ("eigen", PUPIL_WORK[0], lambda s: s.pupil_id),
            ("andere-groep", PUPIL_WORK[1], lambda s: s.other_group_pupil_id),
            ("andere-school", PUPIL_WORK[2], lambda s: s.other_school_pupil_id),
        )
    ],
    *_pupils("documents.okidoc_pdf", "GET", *PUPIL_VIEW),
    *_pupils("documents.registration_pdf", "GET", *PUPIL_VIEW),
    *_pupils("pupils.okidoc", "GET", *PUPIL_VIEW),
    *_pupils("pupils.save", "POST", *PUPIL_WORK, form=w.okidoc_tab, prepare=state.editable,
             url_args={"tab": "advies"}),
    *_pupils("pupils.complete", "POST", *PUPIL_WORK, form=w.okidoc_version,
             prepare=state.ready_to_complete),
    *_pupils("pupils.inspection", "POST", *PUPIL_WORK, form=w.inspection, prepare=state.volledig),
    *_pupils("pupils.upload", "POST", *PUPIL_WORK, form=w.attachment, prepare=state.editable),
    *_pupils("pupils.confirm_advice", "POST", *PUPIL_WORK, form=w.okidoc_version,
             prepare=state.inferred_advice),
    *_pupils("pupils.attachment", "GET", "LNNNNNNNF", "LNNNNNNNF", "LNNNNNNNF",
             url_args={"sha256": "0" * 64}),
    *_pupils("pupils.history", "GET", *PUPIL_VIEW),
    *_pupils("pupils.notes", "GET", *PUPIL_WORK),
    *_pupils("pupils.notes", "POST", *PUPIL_WORK, form=w.note),
    *_pupils("pupils.reason", "GET", *PUPIL_VIEW),
    *_pupils("pupils.reason", "POST", *PUPIL_WORK, form=w.reason),
    *_pupils("pupils.parent_login", "GET", *PUPIL_WORK),
    *_pupils("pupils.parent_login", "POST", *PUPIL_WORK, form=w.parent_login,
             prepare=state.parent_login_due),
    # The parents' portal (issue 14): public pages, and the parent's own pages. A parent's
    # session reaches nothing else (the F in the last column of every row above).
    r("parents.login", "GET", "AAAAAAAAA"),
    r("parents.login", "POST", "AAAAAAAAA", form=w.parent_sign_in, restart=True),
    r("parents.logout", "POST", "AAAAAAAAA", restart=True, lands_on_login=True),
    r("parents.forgot_password", "GET", "AAAAAAAAA"),
    r("parents.forgot_password", "POST", "AAAAAAAAA",
      form=lambda x, _: {"elk_nummer": x.parent_number}),
    r("parents.set_password", "GET", "AAAAAAAAA", **PARENT_TOKEN),
    r("parents.set_password", "POST", "AAAAAAAAA", **PARENT_TOKEN, lands_on_login=True,
      restart=True, form=w.fixed(wachtwoord="een nieuw wachtwoord",
                                 herhaling="een nieuw wachtwoord")),
    r("parents.choose_language", "POST", "AAAAAAAAA", form=w.fixed(taal="en", next="/ouders/")),
    r("parents.home", "GET", "LFFFFFFFA"),
    r("parents.data", "GET", "LFFFFFFFA"),
    r("parents.data", "POST", "LFFFFFFFA", form=w.fixed(bericht="Het adres klopt niet.")),
    # Last: the VO school judges the priority claim of the pupil registered there (issue 15);
    # registering the own pupil at the VO school would change the VO user's rows above.
    *_pupils("vo.judge", "POST", "LFFFFFAAF", "LFFFNFNNF", "LFNNNNNNF",
             form=w.fixed(besluit="gehonoreerd"), prepare=state.registered_with_claim),
    *_pupils("vo.tafelmiddag", "POST", "LFFFFFAAF", "LFFFNFNNF", "LFNNNNNNF",
             form=w.fixed(tafelmiddag="ja"), prepare=state.registered_with_claim),
    # A pupil registered at another VO school: the dossier and the VO school's actions stay
    # hidden from this VO school's staff (404), as for a pupil registered nowhere
    _other_vo_school("pupils.okidoc", "GET", PUPIL_VIEW[1]),
    _other_vo_school("documents.okidoc_pdf", "GET", PUPIL_VIEW[1]),
    _other_vo_school("pupils.history", "GET", PUPIL_VIEW[1]),
    _other_vo_school("pupils.notes", "GET", PUPIL_WORK[1]),
    _other_vo_school("vo.judge", "POST", "LFFFNFNNF", form=w.fixed(besluit="gehonoreerd")),
    _other_vo_school("vo.tafelmiddag", "POST", "LFFFNFNNF", form=w.fixed(tafelmiddag="ja")),
    # The parent registers the child (issue 14, item 3); after the VO rows, since a definitive
    # list changes who sees the pupil. The pages name no child: the session's child is used.
    r("parents.register", "GET", "LFFFFFFFA", prepare=state.registration_open),
    r("parents.register", "POST", "LFFFFFFFA", prepare=state.registration_open,
      form=lambda x, _: {"actie": f"toevoegen:{state.vo_school_ids(x)[0]}"}),
    r("parents.check", "GET", "LFFFFFFFA", prepare=state.list_complete),
    r("parents.definitive", "POST", "LFFFFFFFA", prepare=state.list_complete),
    r("parents.registration", "GET", "LFFFFFFFA", prepare=state.change_pending),
    r("parents.registration_pdf", "GET", "LFFFFFFFA", prepare=state.change_pending),
    r("parents.discard", "POST", "LFFFFFFFA", prepare=state.change_pending),
]
# fmt: on


def endpoints_in_table() -> set[str]:
    return {row.endpoint for row in ROWS}


def test_every_route_has_a_row(app: Flask) -> None:
    registered = {rule.endpoint for rule in app.url_map.iter_rules()} - IGNORED
    missing = sorted(registered - endpoints_in_table())
    assert not missing, f"routes without a row in the access matrix: {missing}"
    stale = sorted(endpoints_in_table() - registered)
    assert not stale, f"rows for routes that no longer exist: {stale}"


def test_every_row_has_a_letter_per_principal() -> None:
    for row in ROWS:
        assert len(row.expected) == len(PRINCIPALS), row.id
        assert set(row.expected) <= set("AFNL"), row.id
    assert len({row.id for row in ROWS}) == len(ROWS), "two rows with the same id"


def principal_email(staff: Staff, principal: str) -> str | None:
    users = {
        "admin": staff.admin,
        "board": staff.board_contact,
        "school_admin": staff.school_admin,
        "teacher": staff.teacher,
        "colleague": staff.colleague,
        "vo": staff.vo_user,
    }
    if principal == "vo_admin":
        return state.VO_ADMIN
    user = users.get(principal)
    return None if user is None else user.email


@pytest.fixture
def services(services: Services, oso_simulator: SimulatorServer) -> Services:
    """The web test services, with the app's OSO gateway pointed at the simulator."""
    gateway = ZeepOsoGateway(oso_simulator.endpoint, operation_timeout=3, retries=0)
    return attrs.evolve(services, oso=gateway)


@pytest.fixture
def world(services: Services, staff: Staff, oso_simulator: SimulatorServer) -> World:
    return build_world(services, staff, oso_simulator.state)


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_access_matrix(
    app: Flask, world: World, principal: str, login_staff: StaffLoginHelper, csrf_token: CsrfHelper
) -> None:
    column = PRINCIPALS.index(principal)
    world.me = principal_email(world.staff, principal)
    parent = world.parent_number if principal == "parent" else None
    browser = Browser(app, world.me, login_staff, csrf_token, parent_number=parent)
    wrong = []
    for row in ROWS:
        expected = row.expected[column]
        with app.test_request_context():
            args = row.args(world)
            path = url_for(row.endpoint, **args)
        if row.prepare is not None:
            row.prepare(world, args)
        session = row.session(world) if callable(row.session) else row.session
        if row.method == "POST" and expected in "FNL":  # the form must not matter
            valid = row.form(world, args)
            kept = {name: valid[name] for name in row.keep}
            for name, form in (("leeg", kept), ("onzin", {**junk(valid), **kept})):
                got = browser.send(row.method, path, form, session=session)
                if got != expected:
                    wrong.append(f"{row.id} [{name}]: expected {expected}, got {got}")
        got = browser.send(
            row.method,
            path,
            row.form(world, args),
            session=session,
            lands_on_login=row.lands_on_login,
        )
        if got != expected:
            wrong.append(f"{row.id}: expected {expected}, got {got}")
        if row.restart:
            browser.start()
    assert not wrong, f"{principal}:\n" + "\n".join(wrong)
