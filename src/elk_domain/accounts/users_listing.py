"""Reading staff users: the role choices, the users an actor manages and the form's options.

A school user gets an organisation type (po/vo) and one of the manual's two roles, "Beheerder"
or "Invoeren en accorderen"; for VO the latter is the VO user. Who may manage whom is the
permission policy's ``MANAGEABLE_ROLES``.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

import attrs

from elk_domain.accounts.ports import AccountsWork
from elk_domain.kernel.people import Actor, OrgKind, Role, User
from elk_domain.kernel.permissions import VO_ROLES, Action, Scope, allowed, require
from elk_domain.organisation.model import Board, School


class RoleChoice(enum.Enum):
    """The roles offered on the form; the first two are the manual's school roles."""

    BEHEERDER = "beheerder"
    INVOEREN = "invoeren_accorderen"
    BESTUUR = "bestuurscontact"
    FUNCTIONEEL = "functioneel_beheerder"

    @property
    def label(self) -> str:
        """Dutch label on the form: the name of the role it gives in a PO organisation."""
        return role_for(self, OrgKind.PO).label


def role_for(choice: RoleChoice, kind: OrgKind | None) -> Role:
    """The role a choice means for a po or vo organisation."""
    if choice is RoleChoice.BEHEERDER:
        return Role.VO_ADMIN if kind is OrgKind.VO else Role.SCHOOL_ADMIN
    if choice is RoleChoice.INVOEREN:
        return Role.VO_USER if kind is OrgKind.VO else Role.END_USER
    return Role.BOARD_CONTACT if choice is RoleChoice.BESTUUR else Role.FUNCTIONAL_ADMIN


def choice_of(role: Role) -> RoleChoice:
    """The form's choice for a stored role."""
    return {
        Role.SCHOOL_ADMIN: RoleChoice.BEHEERDER,
        Role.VO_ADMIN: RoleChoice.BEHEERDER,
        Role.BOARD_CONTACT: RoleChoice.BESTUUR,
        Role.FUNCTIONAL_ADMIN: RoleChoice.FUNCTIONEEL,
    }.get(role, RoleChoice.INVOEREN)


def role_choices(actor: Actor) -> list[RoleChoice]:
    """The choices this actor may give (a school administrator: only "Invoeren en accorderen")."""
    kind = OrgKind.VO if actor.role in VO_ROLES else OrgKind.PO
    return [c for c in RoleChoice if _may_assign(actor, role_for(c, kind))]


def _may_assign(actor: Actor, role: Role) -> bool:
    scope = Scope(school_id=actor.school_id, board_id=actor.board_id, user_role=role)
    return allowed(actor, Action.MANAGE_USERS, Scope.region() if actor.board_id is None else scope)


def own_scope(actor: Actor) -> Scope:
    """The users an actor manages: the region, or their own board or school."""
    if actor.role is Role.FUNCTIONAL_ADMIN:
        return Scope.region()
    return Scope(school_id=actor.school_id, board_id=actor.board_id)


def list_users(uow: AccountsWork, actor: Actor) -> Sequence[User]:
    """The users this actor manages: everyone, the board's or the school's users."""
    require(actor, Action.MANAGE_USERS, own_scope(actor))
    with uow:
        if actor.role is Role.FUNCTIONAL_ADMIN:
            found = uow.users.list()
        elif actor.role is Role.BOARD_CONTACT:
            found = uow.users.list(board_id=actor.board_id)
        else:
            found = uow.users.list(school_id=actor.school_id)
    return [u for u in found if allowed(actor, Action.MANAGE_USERS, Scope.for_user(u))]


def get_user(uow: AccountsWork, actor: Actor, user_id: int) -> User:
    """One user the actor manages (others: NotFound or Forbidden)."""
    with uow:
        return load_managed(uow, actor, user_id)


def load_managed(uow: AccountsWork, actor: Actor, user_id: int) -> User:
    """A user the actor manages, inside an open unit of work (others: NotFound or Forbidden)."""
    user = uow.users.get(user_id)
    require(actor, Action.MANAGE_USERS, Scope.for_user(user))
    return user


@attrs.frozen(kw_only=True)
class UserFormOptions:
    """What the user form offers this actor: roles, schools and (for board contacts) boards."""

    choices: Sequence[RoleChoice]
    schools: Sequence[School]
    boards: Sequence[Board]


def user_form_options(uow: AccountsWork, actor: Actor) -> UserFormOptions:
    """The roles the actor may give and the organisations within reach."""
    require(actor, Action.MANAGE_USERS, own_scope(actor))
    with uow:
        if actor.role is Role.FUNCTIONAL_ADMIN:
            schools, boards = uow.schools.list(), uow.boards.list()
        elif actor.role is Role.BOARD_CONTACT:
            schools, boards = uow.schools.list(board_id=actor.board_id), []
        else:
            schools = [uow.schools.get(actor.school_id)] if actor.school_id is not None else []
            boards = []
    return UserFormOptions(choices=role_choices(actor), schools=schools, boards=boards)
