"""Gebruikers: the users a functional administrator, board contact or school administrator
manages; creating one mails the invite; "inloggen als" for board contacts (R-AUTH-2/3/7)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from elk_domain.access.authorize import Target
from elk_domain.accounts.impersonation import start_impersonation
from elk_domain.accounts.users import (
    CreateUser,
    RoleChoice,
    UpdateUser,
    choice_of,
    create_user,
    get_user,
    list_users,
    resend_invite,
    reset_second_factor,
    update_user,
    user_form_options,
)
from elk_domain.errors import Rejected
from elk_domain.kernel.people import OrgKind, User
from elk_domain.kernel.permissions import Action, Scope, allowed
from elk_web.account.flow import account_links
from elk_web.context import current_actor, services
from elk_web.numbers import whole_number
from elk_web.permission import authorize
from elk_web.session import login_required, start_impersonation_session
from elk_web.views import Page

bp = Blueprint("users", __name__, url_prefix="/beheer/gebruikers")


@bp.context_processor
def _permission_hints() -> dict[str, Callable[[str, User], bool]]:
    """``allowed_to("IMPERSONATE", user)``: show a button only when the server would allow it."""

    def allowed_to(action: str, user: User) -> bool:
        return allowed(current_actor(), Action[action], Scope.for_user(user))

    return {"allowed_to": allowed_to}


def _text(name: str, limit: int = 254) -> str:
    return request.form.get(name, "")[:limit]


def _number(name: str) -> int | None:
    return whole_number(request.form.get(name))


def _choice() -> RoleChoice:
    try:
        return RoleChoice(request.form.get("rol", ""))
    except ValueError:
        return RoleChoice.INVOEREN


def _kind() -> OrgKind | None:
    value = request.form.get("organisatie", "")
    return OrgKind(value) if value in {"po", "vo"} else None


@bp.get("/")
@login_required
def index() -> str:
    """The users in the actor's part of the region."""
    users = list_users(services().reader(), current_actor())
    return render_template("users/index.html", users=users)


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new() -> Page:
    """ "Gebruiker toevoegen": organisation type, role, school; the invite goes out on save."""
    s, actor = services(), current_actor()
    error = None
    if request.method == "POST":
        authorize(Action.MANAGE_USERS, Target.own())  # the new user's school: the use case
        command = CreateUser(
            email=_text("email"),
            display_name=_text("naam", 200),
            choice=_choice(),
            org_kind=_kind(),
            school_id=_number("school"),
            board_id=_number("bestuur"),
        )
        try:
            user = create_user(s.uow(), s.clock, s.random, actor, command, account_links())
        except Rejected as refused:
            error = refused
        else:
            flash(f"{user.display_name} is toegevoegd; de uitnodiging is verstuurd.", "success")
            return redirect(url_for("users.index"))
    options = user_form_options(s.uow(), actor)
    html = render_template("users/new.html", options=options, error=error, form=request.form)
    return (html, 422) if error else html


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit(user_id: int) -> Page:
    """Change name, role or whether the account is active."""
    s, actor = services(), current_actor()
    error = None
    if request.method == "POST":
        authorize(Action.MANAGE_USERS, Target.user(user_id))
        command = UpdateUser(
            user_id=user_id,
            version=_number("versie") or 0,
            display_name=_text("naam", 200),
            choice=_choice(),
            active=request.form.get("actief") == "1",
        )
        try:
            update_user(s.uow(), s.clock, actor, command)
        except Rejected as refused:
            error = refused
        else:
            flash("De gebruiker is opgeslagen.", "success")
            return redirect(url_for("users.index"))
    user = get_user(s.uow(), actor, user_id)
    options = user_form_options(s.uow(), actor)
    html = render_template(
        "users/edit.html", user=user, choice=choice_of(user.role), options=options, error=error
    )
    return (html, 422) if error else html


@bp.post("/<int:user_id>/uitnodiging")
@login_required
def invite(user_id: int) -> Response:
    """Send a new invite (the old link stops working)."""
    authorize(Action.MANAGE_USERS, Target.user(user_id))
    s = services()
    user = resend_invite(s.uow(), s.clock, s.random, current_actor(), user_id, account_links())
    flash(f"Er is een nieuwe uitnodiging verstuurd naar {user.email}.", "success")
    return redirect(url_for("users.edit", user_id=user_id))


@bp.post("/<int:user_id>/tweestapsverificatie")
@login_required
def reset_2fa(user_id: int) -> Response:
    """Switch the user's 2FA off; they link a new phone at their next login (and get a mail)."""
    authorize(Action.MANAGE_USERS, Target.user(user_id))
    s = services()
    reset_second_factor(s.uow(), s.clock, current_actor(), user_id, account_links())
    flash("De tweestapsverificatie van deze gebruiker is uitgezet.", "success")
    return redirect(url_for("users.edit", user_id=user_id))


@bp.post("/<int:user_id>/inloggen-als")
@login_required
def impersonate(user_id: int) -> Response:
    """ "Inloggen als": continue as this user, with a banner; log out to go back."""
    authorize(Action.IMPERSONATE, Target.user(user_id))
    started = start_impersonation(services().uow(), services().clock, current_actor(), user_id)
    start_impersonation_session(started)
    return redirect(url_for("main.home"))
