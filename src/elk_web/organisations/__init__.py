"""Besturen and Scholen: the region's boards and schools (R-AUTH-1/2/3, R-SCH-1)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from elk_domain.access.authorize import Target
from elk_domain.errors import Rejected
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.permissions import Action
from elk_domain.organisation.schools import (
    AddBoard,
    SchoolForm,
    add_board,
    add_school,
    get_school,
    list_boards,
    list_schools,
    update_school,
)
from elk_web.context import current_actor, services
from elk_web.numbers import whole_number, whole_number_or
from elk_web.permission import authorize
from elk_web.session import login_required
from elk_web.views import Page

bp = Blueprint("organisations", __name__, url_prefix="/beheer")

_TEXT_FIELDS = ("official_name", "name", "school_type", "street", "house_number", "postcode",
                "city", "brin", "vestiging", "director", "elk_contact")  # fmt: skip


def _text(name: str) -> str:
    return request.form.get(name, "")[:200]


@bp.route("/besturen", methods=["GET", "POST"])
@login_required
def boards() -> Page:
    """All boards, with a form to add one (functional administrator)."""
    s, actor = services(), current_actor()
    error = None
    if request.method == "POST":
        authorize(Action.MANAGE_REGION, Target.region())
        command = AddBoard(_text("naam"), _text("contact_naam"), _text("contact_email"))
        try:
            board = add_board(s.uow(), s.clock, actor, command)
        except Rejected as refused:
            error = refused
        else:
            flash(f"Bestuur {board.name} is toegevoegd.", "success")
            return redirect(url_for("organisations.boards"))
    html = render_template(
        "organisations/boards.html", boards=list_boards(s.uow(), actor), error=error
    )
    return (html, 422) if error else html


@bp.get("/scholen")
@login_required
def schools() -> str:
    """The schools whose data the actor keeps up to date."""
    found = list_schools(services().reader(), current_actor())
    return render_template("organisations/schools.html", schools=found)


def school_form(form: MultiDict[str, str], *, board_id: int, version: int = 1) -> SchoolForm:
    """The posted school form; unknown levels and non-numbers are ignored; an unticked option
    is off."""
    levels = frozenset(lv for lv in Level if form.get(f"niveau_{lv.name}") == "1")
    seats = {lv: _signed(form.get(f"capaciteit_{lv.name}", "0")) for lv in levels}
    board = form.get("board_id", "")
    return SchoolForm(
        board_id=whole_number_or(board, board_id),
        kind=OrgKind.VO if form.get("kind") == "vo" else OrgKind.PO,
        levels=levels,
        capacity={lv: n for lv, n in seats.items() if n is not None},
        offers_priority=form.get("voorrang") == "1",
        offers_equivalent_level=form.get("gelijkwaardig") == "1",
        version=version,
        **{name: form.get(name, "")[:200] for name in _TEXT_FIELDS},
    )


def _signed(text: str) -> int | None:
    """A whole number that may be negative (the use case names a negative capacity)."""
    number = whole_number(text.removeprefix("-"))
    return -number if number is not None and text.startswith("-") else number


@bp.route("/scholen/nieuw", methods=["GET", "POST"])
@login_required
def new_school() -> Page:
    """Add a school; the form names every missing field (functional administrator)."""
    s, actor = services(), current_actor()
    error = None
    if request.method == "POST":
        authorize(Action.MANAGE_REGION, Target.region())
        try:
            school = add_school(s.uow(), s.clock, actor, school_form(request.form, board_id=0))
        except Rejected as refused:
            error = refused
        else:
            flash(f"{school.name} is toegevoegd.", "success")
            return redirect(url_for("organisations.schools"))
    boards = list_boards(s.uow(), actor)
    html = render_template(
        "organisations/school.html", school=None, form=request.form, boards=boards,
        levels=list(Level), error=error,
    )  # fmt: skip
    return (html, 422) if error else html


@bp.route("/scholen/<int:school_id>", methods=["GET", "POST"])
@login_required
def school(school_id: int) -> Page:
    """Edit a school's data (board contact, school administrator, functional administrator)."""
    s, actor = services(), current_actor()
    error = None
    if request.method == "POST":
        authorize(Action.EDIT_SCHOOL, Target.school(school_id))
        version = whole_number_or(request.form.get("versie"), 0)
        form = school_form(request.form, board_id=0, version=version)
        try:
            update_school(s.uow(), s.clock, actor, school_id, form)
        except Rejected as refused:
            error = refused
        else:
            flash("De schoolgegevens zijn opgeslagen.", "success")
            return redirect(url_for("organisations.school", school_id=school_id))
    found = get_school(s.uow(), actor, school_id)
    html = render_template(
        "organisations/school.html", school=found, form=request.form if error else None,
        boards=None, levels=list(Level), error=error,
    )  # fmt: skip
    return (html, 422) if error else html
