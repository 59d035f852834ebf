"""Managing staff users: create (the invite goes out), change role or name, disable (R-AUTH-7).

A school user gets an organisation type (po/vo) and one of the manual's two roles, "Beheerder"
or "Invoeren en accorderen"; for VO the latter is the VO user. Who may create whom is the
permission policy's ``MANAGEABLE_ROLES``. A role change or disabling ends the user's sessions.
Reading users and the role choices live in ``users_listing``; their names are re-exported here.
"""

from __future__ import annotations

import attrs

from elk_domain.accounts.passwords import AccountLinks, invite_mail, issue_link
from elk_domain.accounts.ports import AccountsWork
from elk_domain.accounts.second_factor import Change, second_factor_notice
from elk_domain.accounts.signin import user_subject
from elk_domain.accounts.tokens import TokenPurpose
from elk_domain.accounts.users_listing import (
    RoleChoice,
    UserFormOptions,
    choice_of,
    get_user,
    list_users,
    load_managed,
    own_scope,
    role_choices,
    role_for,
    user_form_options,
)
from elk_domain.errors import Rejected, Violation
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.mail_queue import queue_mail
from elk_domain.kernel.people import Actor, OrgKind, Role, User
from elk_domain.kernel.permissions import Action, Scope, require
from elk_domain.kernel.ports import Clock, RandomSource
from elk_domain.kernel.support import audit
from elk_domain.kernel.values import Email

__all__ = [
    "CreateUser",
    "RoleChoice",
    "UpdateUser",
    "UserFormOptions",
    "choice_of",
    "create_user",
    "get_user",
    "list_users",
    "resend_invite",
    "reset_second_factor",
    "role_choices",
    "role_for",
    "update_user",
    "user_form_options",
]


@attrs.frozen(kw_only=True)
class CreateUser:
    """The form "Gebruiker toevoegen"."""

    email: str
    display_name: str
    choice: RoleChoice
    org_kind: OrgKind | None = None
    school_id: int | None = None
    board_id: int | None = None


def create_user(
    uow: AccountsWork,
    clock: Clock,
    random: RandomSource,
    actor: Actor,
    command: CreateUser,
    links: AccountLinks,
) -> User:
    """Store the user and queue the invite (a link to set a password) in the same transaction."""
    with uow:
        user = _new_user(uow, actor, command)
        stored = uow.users.add(user)
        token = issue_link(uow, clock, random, stored, TokenPurpose.INVITE)
        audit(
            uow,
            clock,
            actor,
            "gebruiker_aangemaakt",
            user_subject(stored),
            detail=stored.role.label,
        )
        queue_mail(uow, clock, invite_mail(stored, token, links))
        uow.commit()
        return stored


def _new_user(uow: AccountsWork, actor: Actor, command: CreateUser) -> User:
    """The user to store: who may be placed where is checked before name and e-mail."""
    require(actor, Action.MANAGE_USERS, own_scope(actor))
    problems: list[Violation] = []
    user = _placed(uow, command, problems)
    if user is not None:
        require(actor, Action.MANAGE_USERS, Scope.for_user(user))
    email = _email(command.email, problems)
    name = " ".join(command.display_name.split())
    if not name:
        problems.append(Violation("naam", "Vul de naam van de gebruiker in."))
    if email and uow.users.by_email(email) is not None:
        problems.append(Violation("email", "Er is al een gebruiker met dit e-mailadres."))
    if problems or user is None:
        raise Rejected("De gebruiker is niet toegevoegd.", violations=problems)
    return attrs.evolve(user, email=email, display_name=name)


def _email(text: str, problems: list[Violation]) -> str:
    try:
        return str(Email.parse(text))
    except Rejected as error:
        problems.append(Violation("email", error.message))
        return ""


def _placed(uow: AccountsWork, command: CreateUser, problems: list[Violation]) -> User | None:
    """The user's role and organisation, before e-mail and name are filled in."""
    role = role_for(command.choice, command.org_kind)
    blank = User(id=0, email="", display_name="", role=role)
    if role is Role.FUNCTIONAL_ADMIN:
        return blank
    if role is Role.BOARD_CONTACT:
        if command.board_id is None:
            problems.append(Violation("bestuur", "Kies het bestuur."))
            return None
        board = uow.boards.get(command.board_id)
        return attrs.evolve(blank, board_id=board.id, org_kind=OrgKind.PO)
    if command.org_kind is None or command.school_id is None:
        problems.append(Violation("school", "Kies het type organisatie (po of vo) en de school."))
        return None
    school = uow.schools.get(command.school_id)
    if school.kind is not command.org_kind:
        message = f"{school.name} is geen {command.org_kind.value}-school."
        problems.append(Violation("organisatie", message))
    return attrs.evolve(blank, org_kind=school.kind, board_id=school.board_id, school_id=school.id)


@attrs.frozen(kw_only=True)
class UpdateUser:
    """The edit form: name, role choice and whether the account is active."""

    user_id: int
    version: int
    display_name: str
    choice: RoleChoice
    active: bool


def update_user(uow: AccountsWork, clock: Clock, actor: Actor, command: UpdateUser) -> User:
    """Save changes; a new role or disabling ends the user's sessions at once."""
    with uow:
        user = load_managed(uow, actor, command.user_id)
        name = " ".join(command.display_name.split())
        if not name:
            problem = Violation("naam", "Vul de naam van de gebruiker in.")
            raise Rejected("De gebruiker is niet opgeslagen.", violations=[problem])
        role = role_for(command.choice, user.org_kind)
        changed = attrs.evolve(
            user, version=command.version, display_name=name, role=role, active=command.active
        )
        require(actor, Action.MANAGE_USERS, Scope.for_user(changed))
        changes = _changes(user, changed)
        if not changes:
            return user
        if role is not user.role or not command.active:
            changed = attrs.evolve(changed, session_version=user.session_version + 1)
        stored = uow.users.update(changed)
        audit(uow, clock, actor, "gebruiker_gewijzigd", user_subject(user), *changes)
        uow.commit()
        return stored


def _changes(old: User, new: User) -> list[FieldChange]:
    pairs = (
        ("naam", old.display_name, new.display_name),
        ("rol", old.role.label, new.role.label),
        ("actief", _yes_no(old.active), _yes_no(new.active)),
    )
    return [FieldChange(path, a, b) for path, a, b in pairs if a != b]


def _yes_no(value: bool) -> str:
    return "ja" if value else "nee"


def resend_invite(
    uow: AccountsWork,
    clock: Clock,
    random: RandomSource,
    actor: Actor,
    user_id: int,
    links: AccountLinks,
) -> User:
    """A new invite link (older links stop working), e.g. when the first one expired."""
    with uow:
        user = load_managed(uow, actor, user_id)
        if not user.active:
            raise Rejected("Deze gebruiker is uitgeschakeld; schakel hem eerst weer in.")
        token = issue_link(uow, clock, random, user, TokenPurpose.INVITE)
        audit(uow, clock, actor, "uitnodiging_opnieuw_verstuurd", user_subject(user))
        queue_mail(uow, clock, invite_mail(user, token, links))
        uow.commit()
        return user


def reset_second_factor(
    uow: AccountsWork, clock: Clock, actor: Actor, user_id: int, links: AccountLinks
) -> User:
    """Switch off the user's 2FA (phone lost, codes gone); they set it up again at next login.

    Their sessions end and they get a notice by mail.
    """
    with uow:
        user = load_managed(uow, actor, user_id)
        stored = uow.users.update(
            attrs.evolve(
                user,
                totp_secret=None,
                totp_last_step=None,
                recovery_codes=frozenset(),
                session_version=user.session_version + 1,
            )
        )
        audit(uow, clock, actor, "tweestapsverificatie_gereset", user_subject(user))
        queue_mail(uow, clock, second_factor_notice(stored, Change.RESET, links))
        uow.commit()
        return stored
