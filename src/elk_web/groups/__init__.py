"""Groepen: a school administrator creates groups, fills them with pupils and links contact
persons, who then see only those pupils (R-GRP-1, R-AUTH-4). End users of the school may fill
groups too (a contact person only their own): their form has only the pupils."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from elk_domain.access.authorize import Target
from elk_domain.errors import Rejected
from elk_domain.kernel.permissions import Action, Scope, allowed
from elk_domain.pupils.groups import (
    CreateGroup,
    FillGroup,
    UpdateGroup,
    create_group,
    fill_group,
    group_form,
    list_groups,
    update_group,
)
from elk_web.context import chosen_or_own_school_id, current_actor, services
from elk_web.numbers import whole_numbers
from elk_web.permission import authorize
from elk_web.session import login_required
from elk_web.views import Page

bp = Blueprint("groups", __name__, url_prefix="/beheer/groepen")


def _ids(name: str) -> frozenset[int]:
    return whole_numbers(request.form.getlist(name))


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> Page:
    """The school's groups, with a form to add one."""
    s, actor = services(), current_actor()
    school_id = chosen_or_own_school_id()
    error = None
    if request.method == "POST":
        authorize(Action.MANAGE_GROUPS, Target.school(school_id))
        command = CreateGroup(school_id, request.form.get("naam", "")[:100])
        try:
            group = create_group(s.uow(), s.clock, actor, command)
        except Rejected as refused:
            error = refused
        else:
            flash(f"Groep {group.name} is aangemaakt.", "success")
            return redirect(url_for("groups.edit", group_id=group.id))
    school, groups = list_groups(s.uow(), actor, school_id)
    may_manage = allowed(actor, Action.MANAGE_GROUPS, Scope.for_school(school))
    html = render_template(
        "groups/index.html", school=school, groups=groups, error=error, may_manage=may_manage
    )
    return (html, 422) if error else html


@bp.route("/<int:group_id>", methods=["GET", "POST"])
@login_required
def edit(group_id: int) -> Page:
    """Rename the group, choose its pupils and its contact persons (end users: the pupils)."""
    s, actor = services(), current_actor()
    error = None
    if request.method == "POST":
        managing = "naam" in request.form  # the administrator's form; end users only fill
        authorize(Action.MANAGE_GROUPS if managing else Action.FILL_GROUPS, Target.group(group_id))
        try:
            _save(group_id)
        except Rejected as refused:
            error = refused
        else:
            flash("De groep is opgeslagen.", "success")
            return redirect(url_for("groups.edit", group_id=group_id))
    form = group_form(s.uow(), actor, group_id)
    html = render_template("groups/edit.html", form=form, error=error)
    return (html, 422) if error else html


def _save(group_id: int) -> None:
    """The administrator's form names the group; the end user's form lists only pupils."""
    s, actor = services(), current_actor()
    if "naam" in request.form:
        command = UpdateGroup(
            group_id=group_id,
            name=request.form.get("naam", "")[:100],
            pupil_ids=_ids("leerling"),
            contact_user_ids=_ids("contactpersoon"),
        )
        update_group(s.uow(), s.clock, actor, command)
    else:
        filled = FillGroup(group_id=group_id, pupil_ids=_ids("leerling"), shown=_ids("getoond"))
        fill_group(s.uow(), s.clock, actor, filled)
