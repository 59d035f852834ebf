"""The access matrix: every route × every role (and anonymous), on own and foreign records.

One table, ``ROWS``: per endpoint, method and target (own record, other group, other school in
the same board, other board) the expected outcome for each principal, as one letter each:

    A  allowed: the request reached the use case (2xx, a redirect that is not to the login
       page, or 409/422 because the empty test form is refused)
    F  403: the role may not do this
    N  404: the record is outside the principal's reach (its existence is not revealed)
    L  redirect to the login page (anonymous)

Principals, in column order: anonymous, functional administrator, board contact, school
administrator, teacher (contact person of group 8a only), colleague (end user without group),
VO user. A route that is registered but has no row fails ``test_every_route_has_a_row``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

if TYPE_CHECKING:
    from tests.web.conftest import CsrfHelper, Staff, StaffLoginHelper

PRINCIPALS = ("anon", "admin", "board", "school_admin", "teacher", "colleague", "vo")
IGNORED = {"static"}


@attrs.frozen
class Row:
    """One endpoint, method and target, with the expected letter per principal."""

    endpoint: str
    method: str
    target: str
    expected: str  # seven letters, in PRINCIPALS order
    args: Callable[[Staff], Mapping[str, Any]] = lambda _: {}
    form: Callable[[Staff], Mapping[str, Any]] = lambda _: {}  # posted besides the CSRF token

    @property
    def id(self) -> str:
        return f"{self.endpoint}-{self.method}{'-' + self.target if self.target else ''}"


def own_pupil(s: Staff) -> dict[str, Any]:
    return {"pupil_id": s.pupil_id}


def group_pupil(s: Staff) -> dict[str, Any]:
    return {"pupil_id": s.other_group_pupil_id}


def far_pupil(s: Staff) -> dict[str, Any]:
    return {"pupil_id": s.other_school_pupil_id}


def _pupil_rows(
    endpoint: str, method: str, own: str, group: str, far: str, **extra: Any
) -> list[Row]:
    def add(fn: Callable[[Staff], dict[str, Any]]) -> Callable[[Staff], dict[str, Any]]:
        return lambda s: {**fn(s), **extra}

    return [
        Row(endpoint, method, "eigen", own, add(own_pupil)),
        Row(endpoint, method, "andere-groep", group, add(group_pupil)),
        Row(endpoint, method, "andere-school", far, add(far_pupil)),
    ]


ROWS: list[Row] = [
    # Public pages
    Row("auth.login", "GET", "", "AAAAAAA"),
    Row("auth.login", "POST", "", "AAAAAAA"),
    Row("auth.logout", "POST", "", "LLLLLLL"),
    Row("account.forgot_password", "GET", "", "AAAAAAA"),
    Row("account.forgot_password", "POST", "", "AAAAAAA"),
    Row("account.set_password", "GET", "", "AAAAAAA", lambda _: {"token": "onbekend"}),
    Row("account.set_password", "POST", "", "AAAAAAA", lambda _: {"token": "onbekend"}),
    Row("account.code", "GET", "", "LLLLLLL"),
    Row("account.code", "POST", "", "LLLLLLL"),
    # Own account
    Row("main.home", "GET", "", "LAAAAAA"),
    Row("account.settings", "GET", "", "LAAAAAA"),
    Row("account.rename", "POST", "", "LAAAAAA"),
    Row("account.password", "POST", "", "LAAAAAA"),
    Row("account.enrol", "GET", "", "LAAAAAA"),
    Row("account.enrol", "POST", "", "LAAAAAA"),
    Row("account.disable_2fa", "POST", "", "LFFFAAA"),  # roles that must keep 2FA: 403
    # Region (functional administrator)
    Row("admin.outbox", "GET", "", "LAFFFFF"),
    Row("organisations.boards", "GET", "", "LAFFFFF"),
    Row("organisations.boards", "POST", "", "LAFFFFF"),
    Row("organisations.new_school", "GET", "", "LAFFFFF"),
    Row("organisations.new_school", "POST", "", "LAFFFFF"),
    Row("region.timeline", "GET", "", "LAFFFFF"),
    Row("region.timeline", "POST", "", "LAFFFFF"),
    Row("region.news", "GET", "", "LAFFFFF"),
    Row("region.news", "POST", "", "LAFFFFF"),
    # Schools
    Row("organisations.schools", "GET", "", "LAAAFFF"),
    *[
        Row("organisations.school", method, target, expected, args)
        for method in ("GET", "POST")
        for target, expected, args in (
            ("eigen", "LAAAFFN", lambda s: {"school_id": s.school_id}),
            ("andere-school", "LAANNNF", lambda s: {"school_id": s.vo_school_id}),
            ("ander-bestuur", "LANNNNN", lambda s: {"school_id": s.other_school_id}),
        )
    ],
    # Users
    Row("users.index", "GET", "", "LAAAFFF"),
    Row("users.new", "GET", "", "LAAAFFF"),
    Row("users.new", "POST", "", "LAAAFFF"),
    *[
        Row(endpoint, method, target, expected, args)
        for endpoint, method in (
            ("users.edit", "GET"),
            ("users.edit", "POST"),
            ("users.invite", "POST"),
            ("users.reset_2fa", "POST"),
        )
        for target, expected, args in (
            ("eigen-school", "LAAAFFN", lambda s: {"user_id": s.colleague.id}),
            ("andere-school", "LAANNNF", lambda s: {"user_id": s.vo_user.id}),
            ("ander-bestuur", "LANNNNN", lambda s: {"user_id": s.other_teacher.id}),
        )
    ],
    Row(
        "users.impersonate",
        "POST",
        "eigen-school",
        "LAAFFFN",
        lambda s: {"user_id": s.colleague.id},
    ),
    Row(
        "users.impersonate", "POST", "andere-school", "LAANNNF", lambda s: {"user_id": s.vo_user.id}
    ),
    Row(
        "users.impersonate",
        "POST",
        "ander-bestuur",
        "LANNNNN",
        lambda s: {"user_id": s.other_teacher.id},
    ),
    # Groups: administrators manage them; end users fill them (a contact person only their own)
    *[
        Row("groups.index", method, target, expected, args)
        for method, own in (("GET", "LAAAAAN"), ("POST", "LAAAFFN"))
        for target, expected, args in (
            ("eigen", own, lambda s: {"school": s.school_id}),
            ("ander-bestuur", "LANNNNN", lambda s: {"school": s.other_school_id}),
        )
    ],
    *[
        Row("groups.edit", method, target, expected, args)
        for method in ("GET", "POST")
        for target, expected, args in (
            ("eigen", "LAAAAAN", lambda s: {"group_id": s.group_id}),
            ("andere-groep", "LAAANAN", lambda s: {"group_id": s.other_group_id}),
            ("ander-bestuur", "LANNNNN", lambda s: {"group_id": s.other_school_group_id}),
        )
    ],
    *[
        Row("groups.edit", "POST", f"naam-{target}", expected, args, lambda _: {"naam": ""})
        for target, expected, args in (
            ("eigen", "LAAAFFN", lambda s: {"group_id": s.group_id}),
            ("andere-groep", "LAAANFN", lambda s: {"group_id": s.other_group_id}),
        )
    ],
    # Voorkeursinstellingen (school preferences)
    *[
        Row("preferences.index", method, target, expected, args)
        for method in ("GET", "POST")
        for target, expected, args in (
            ("eigen", "LAAAFFN", lambda s: {"school": s.school_id}),
            ("andere-school", "LAANNNF", lambda s: {"school": s.vo_school_id}),
            ("ander-bestuur", "LANNNNN", lambda s: {"school": s.other_school_id}),
        )
    ],
    # Audit log
    Row("audit.index", "GET", "", "LAAAFFF"),
    # OSO (issue 4)
    Row("oso.index", "GET", "", "LAAAAAF"),
    Row("oso.configure", "GET", "", "LAAFFFF"),
    Row("oso.notifications", "GET", "", "LAAAAAF"),
    Row("oso.notifications", "POST", "", "LAAAAAF"),
    Row(
        "oso.notifications",
        "POST",
        "ander-bestuur",
        "LANNNNN",
        lambda s: {"school": s.other_school_id},
    ),
    Row("oso.request_transfer", "GET", "", "LAAAAAF"),
    Row("oso.request_transfer", "POST", "", "LAAAAAF"),
    Row("oso.bulk_sync", "POST", "", "LAAAAAF"),
    *[
        Row("oso.bulk_sync", "POST", target, expected, form=pupils)
        for target, expected, pupils in (
            ("eigen", "LAAAAAN", lambda s: {"pupil_ids": [s.pupil_id]}),
            ("andere-groep", "LAAANAN", lambda s: {"pupil_ids": [s.other_group_pupil_id]}),
            ("andere-school", "LANNNNN", lambda s: {"pupil_ids": [s.other_school_pupil_id]}),
        )
    ],
    *[
        Row(endpoint, "POST", target, expected, args)
        for endpoint, letters in (
            ("oso.ping", ("LAAFFFN", "LAANNNF", "LANNNNN")),
            ("oso.register", ("LAAFFFN", "LAANNNF", "LANNNNN")),
        )
        for (target, args), expected in zip(
            (
                ("eigen", lambda s: {"school_id": s.school_id}),
                ("andere-school", lambda s: {"school_id": s.vo_school_id}),
                ("ander-bestuur", lambda s: {"school_id": s.other_school_id}),
            ),
            letters,
            strict=True,
        )
    ],
    # Pupils, Oki-docs, overviews and documents (issues 6 and 7)
    Row("pupils.index", "GET", "", "LAAAAAN"),
    Row("overviews.index", "GET", "", "LAAAAAF"),
    Row("overviews.csv", "GET", "", "LAAAAAF"),
    Row("finaltest.index", "GET", "", "LAAAAAN"),
    Row("documents.consent_form", "GET", "", "LAAAAAA"),
    *_pupil_rows("finaltest.save", "POST", "LFFAAAN", "LFFANAN", "LFNNNNN"),
    *_pupil_rows("documents.okidoc_pdf", "GET", "LAAAAAN", "LAAANAN", "LANNNNN"),
    *_pupil_rows("documents.registration_pdf", "GET", "LAAAAAN", "LAAANAN", "LANNNNN"),
    *_pupil_rows("pupils.okidoc", "GET", "LAAAAAN", "LAAANAN", "LANNNNN"),
    *_pupil_rows("pupils.save", "POST", "LFFAAAN", "LFFANAN", "LFNNNNN"),
    *_pupil_rows("pupils.complete", "POST", "LFFAAAN", "LFFANAN", "LFNNNNN"),
    *_pupil_rows("pupils.inspection", "POST", "LAAAAAN", "LAAANAN", "LANNNNN"),
    *_pupil_rows("pupils.upload", "POST", "LFFAAAN", "LFFANAN", "LFNNNNN"),
    *_pupil_rows("pupils.attachment", "GET", "LNNNNNN", "LNNNNNN", "LNNNNNN", sha256="0" * 64),
    *_pupil_rows("pupils.history", "GET", "LAAAAAN", "LAAANAN", "LANNNNN"),
    *_pupil_rows("pupils.notes", "GET", "LFFAAAN", "LFFANAN", "LFNNNNN"),
    *_pupil_rows("pupils.notes", "POST", "LFFAAAN", "LFFANAN", "LFNNNNN"),
    *_pupil_rows("pupils.reason", "GET", "LAAAAAN", "LAAANAN", "LANNNNN"),
    *_pupil_rows("pupils.reason", "POST", "LFFAAAN", "LFFANAN", "LFNNNNN"),
    *_pupil_rows("pupils.parent_login", "GET", "LFFAAAN", "LFFANAN", "LFNNNNN"),
    *_pupil_rows("pupils.parent_login", "POST", "LFFAAAN", "LFFANAN", "LFNNNNN"),
]


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


def classify(status: int, location: str) -> str:
    if status == 302 and "/inloggen" in location and "/inloggen/" not in location:
        return "L"
    if status in (403, 404):
        return {403: "F", 404: "N"}[status]
    if status < 400 or status in (409, 422, 429):
        return "A"
    return f"?{status}"


def principal_email(staff: Staff, principal: str) -> str | None:
    users = {
        "admin": staff.admin,
        "board": staff.board_contact,
        "school_admin": staff.school_admin,
        "teacher": staff.teacher,
        "colleague": staff.colleague,
        "vo": staff.vo_user,
    }
    user = users.get(principal)
    return None if user is None else user.email


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_access_matrix(
    app: Flask,
    staff: Staff,
    principal: str,
    login_staff: StaffLoginHelper,
    csrf_token: CsrfHelper,
) -> None:
    column = PRINCIPALS.index(principal)
    email = principal_email(staff, principal)
    wrong = []
    for row in ROWS:
        client = app.test_client()
        if email is not None:
            assert login_staff(client, email).status_code == 302
        with app.test_request_context():
            path = url_for(row.endpoint, **row.args(staff))
        got = _request(
            client, row.method, path, csrf_token, row.form(staff), logged_in=email is not None
        )
        if got != row.expected[column]:
            wrong.append(f"{row.id}: expected {row.expected[column]}, got {got}")
    assert not wrong, f"{principal}:\n" + "\n".join(wrong)


def _request(
    client: FlaskClient,
    method: str,
    path: str,
    csrf: CsrfHelper,
    form: Mapping[str, Any],
    *,
    logged_in: bool,
) -> str:
    if method == "GET":
        response = client.get(path)
    else:
        page = client.get("/account/instellingen" if logged_in else "/inloggen")
        response = client.post(path, data={**form, "csrf_token": csrf(page)})
    return classify(response.status_code, response.headers.get("Location", ""))
