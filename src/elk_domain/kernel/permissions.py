"""The one policy of who may do what to which pupil, school or region (R-AUTH-1..6).

Two questions, in this order: may the actor *see* the thing (its scope is within reach)?
If not, the thing is HIDDEN (404: the actor need not learn it exists). If so, may the
actor's role do this action? If not, FORBIDDEN (403). See docs/decisions/0003.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from elk_domain.errors import Forbidden, NotFound
from elk_domain.kernel.people import Actor, Role, User
from elk_domain.kernel.targets import GroupLike, PupilLike, SchoolLike


class Action(enum.Enum):
    """Everything the policy decides on; the value completes "U heeft geen toestemming om …"."""

    VIEW_PUPIL = "leerlinggegevens te bekijken"
    EDIT_OKIDOC = "het Oki-doc te bewerken"
    FINALIZE_OKIDOC = "het Oki-doc volledig of definitief te maken"
    REOPEN_OKIDOC = "een definitief Oki-doc te heropenen"
    SYNC_OSO = "gegevens via OSO op te halen"
    IMPORT_FINAL_TEST = "doorstroomtoetsresultaten te importeren"
    CONFIGURE_OSO = "OSO-aanleverpunten in te stellen"
    SEND_PARENT_LOGIN = "de ouderinlog te versturen"
    SET_REASON_NOT_PLACED = "een reden niet plaatsen vast te leggen"
    ADD_NOTE = "een notitie toe te voegen"
    VIEW_NOTES = "notities te bekijken"
    MANAGE_GROUPS = "groepen te beheren"
    FILL_GROUPS = "leerlingen aan groepen toe te voegen of eruit te halen"
    SET_PREFERENCES = "de voorkeursinstellingen van de school te wijzigen"
    MANAGE_USERS = "gebruikers te beheren"
    EDIT_SCHOOL = "schoolgegevens te wijzigen"
    MANAGE_REGION = "besturen, scholen, tijdpad en nieuws te beheren"
    VIEW_AUDIT = "de logboeken te bekijken"
    IMPERSONATE = "als een andere gebruiker in te loggen"
    VIEW_OUTBOX = "verstuurde e-mails te bekijken"
    REGISTER = "uw kind aan te melden"
    REQUEST_CORRECTION = "een correctie van de gegevens van uw kind te vragen"
    JUDGE_PRIORITY = "een voorrangsclaim te beoordelen"
    MARK_TAFELMIDDAG_VO = "Tafelmiddag VO aan te vinken"
    VIEW_OVERVIEWS = "overzichten te bekijken"
    VIEW_REGISTRATIONS = "de aanmeldingen bij de VO-school te bekijken"
    VIEW_REGION_REGISTRATIONS = "de aanmeldingen per VO-school te bekijken"
    RUN_PLACEMENT = "de plaatsing en loting uit te voeren en te publiceren"


class Decision(enum.Enum):
    """ALLOWED; FORBIDDEN (may see it, may not do this: 403); HIDDEN (may not see it: 404)."""

    ALLOWED = "allowed"
    FORBIDDEN = "forbidden"
    HIDDEN = "hidden"


_PUPIL_WORK = frozenset(
    {
        Action.VIEW_PUPIL,
        Action.EDIT_OKIDOC,
        Action.FINALIZE_OKIDOC,
        Action.SYNC_OSO,
        Action.IMPORT_FINAL_TEST,
        Action.SEND_PARENT_LOGIN,
        Action.SET_REASON_NOT_PLACED,
        Action.ADD_NOTE,
        Action.VIEW_NOTES,
        Action.VIEW_OVERVIEWS,
    }
)

_ADMINISTRATION = frozenset(
    {
        Action.REOPEN_OKIDOC,
        Action.MANAGE_GROUPS,
        Action.FILL_GROUPS,
        Action.MANAGE_USERS,
        Action.EDIT_SCHOOL,
        Action.SET_PREFERENCES,
        Action.VIEW_AUDIT,
    }
)

_VO_WORK = frozenset(
    {
        Action.VIEW_PUPIL,
        Action.VIEW_NOTES,
        Action.JUDGE_PRIORITY,
        Action.MARK_TAFELMIDDAG_VO,
        Action.VIEW_REGISTRATIONS,
    }
)

ROLE_ACTIONS: Mapping[Role, frozenset[Action]] = {
    Role.FUNCTIONAL_ADMIN: frozenset(
        {
            Action.VIEW_PUPIL,
            Action.REOPEN_OKIDOC,
            Action.SYNC_OSO,
            Action.IMPORT_FINAL_TEST,
            Action.CONFIGURE_OSO,
            Action.MANAGE_GROUPS,
            Action.FILL_GROUPS,
            Action.MANAGE_USERS,
            Action.EDIT_SCHOOL,
            Action.SET_PREFERENCES,
            Action.MANAGE_REGION,
            Action.VIEW_AUDIT,
            Action.IMPERSONATE,
            Action.VIEW_OUTBOX,
            Action.VIEW_OVERVIEWS,
            Action.VIEW_REGION_REGISTRATIONS,
            Action.RUN_PLACEMENT,
        }
    ),
    Role.BOARD_CONTACT: _ADMINISTRATION
    | {
        Action.VIEW_PUPIL,
        Action.SYNC_OSO,
        Action.CONFIGURE_OSO,
        Action.IMPERSONATE,
        Action.VIEW_OVERVIEWS,
        Action.VIEW_REGION_REGISTRATIONS,
    },
    Role.SCHOOL_ADMIN: _PUPIL_WORK | _ADMINISTRATION,
    Role.END_USER: _PUPIL_WORK | {Action.FILL_GROUPS},  # the manual: end users fill groups too
    Role.VO_USER: _VO_WORK,
    Role.VO_ADMIN: _VO_WORK | {Action.MANAGE_USERS, Action.EDIT_SCHOOL},
    Role.PARENT: frozenset({Action.VIEW_PUPIL, Action.REGISTER, Action.REQUEST_CORRECTION}),
}
"""Role → the actions it may take on anything within its reach."""

_STAFF = frozenset({Role.SCHOOL_ADMIN, Role.END_USER, Role.VO_USER, Role.VO_ADMIN})

VO_ROLES: frozenset[Role] = frozenset({Role.VO_USER, Role.VO_ADMIN})
"""The roles of a VO school's staff: they reach a pupil only through a registration (R-AAN-4)."""

MANAGEABLE_ROLES: Mapping[Role, frozenset[Role]] = {
    Role.FUNCTIONAL_ADMIN: _STAFF | {Role.FUNCTIONAL_ADMIN, Role.BOARD_CONTACT},
    Role.BOARD_CONTACT: _STAFF,
    Role.SCHOOL_ADMIN: frozenset({Role.END_USER, Role.VO_USER}),
    Role.VO_ADMIN: frozenset({Role.VO_USER}),
}
"""Role → the roles of the users it may create, change and (for impersonation) act as."""

SECOND_FACTOR_ROLES: frozenset[Role] = frozenset(
    {role for role, actions in ROLE_ACTIONS.items() if Action.IMPERSONATE in actions}
    | {role for role, managed in MANAGEABLE_ROLES.items() if managed}
)
"""Roles that must use 2FA: whoever may log in as others or manage their accounts (0033).

Derived from the two tables above, so a role that gains either power needs 2FA at once.
"""

_NEEDS_SECOND_FACTOR = frozenset({Action.IMPERSONATE, Action.MANAGE_USERS})


def second_factor_required(role: Role) -> bool:
    """Whether users of ``role`` must log in with a second factor (and enrol before anything)."""
    return role in SECOND_FACTOR_ROLES


@attrs.frozen(kw_only=True)
class Scope:
    """What an action is about: a pupil, a school, a user, or the whole region."""

    school_id: int | None = None
    board_id: int | None = None
    group_id: int | None = None
    pupil_id: int | None = None
    vo_school_ids: frozenset[int] = frozenset()  # VO schools that see the pupil (R-AAN-4)
    user_role: Role | None = None  # the target user's role, for MANAGE_USERS and IMPERSONATE

    @classmethod
    def for_pupil(
        cls, pupil: PupilLike, school: SchoolLike, *, vo_school_ids: frozenset[int] = frozenset()
    ) -> Scope:
        """A pupil of ``school``, seen by the VO schools in ``vo_school_ids``."""
        return cls(
            school_id=school.id,
            board_id=school.board_id,
            group_id=pupil.group_id,
            pupil_id=pupil.id,
            vo_school_ids=vo_school_ids,
        )

    @classmethod
    def for_school(cls, school: SchoolLike) -> Scope:
        """A school and everything it owns (groups, users, settings)."""
        return cls(school_id=school.id, board_id=school.board_id)

    @classmethod
    def for_group(cls, group: GroupLike, school: SchoolLike) -> Scope:
        """A group of ``school``: a contact person reaches only their own groups (R-AUTH-4)."""
        return cls(school_id=school.id, board_id=school.board_id, group_id=group.id)

    @classmethod
    def for_board(cls, board_id: int) -> Scope:
        """A board as a whole (overviews, the board's users)."""
        return cls(board_id=board_id)

    @classmethod
    def for_user(cls, user: User) -> Scope:
        """A staff user, e.g. to change them or to log in as them."""
        return cls(school_id=user.school_id, board_id=user.board_id, user_role=user.role)

    @classmethod
    def region(cls) -> Scope:
        """The whole region: boards, periods, news, placement."""
        return cls()

    @property
    def is_region(self) -> bool:
        """True when the scope names no board, school or pupil."""
        return self.board_id is None and self.school_id is None and self.pupil_id is None


def _reaches(actor: Actor, scope: Scope) -> bool:
    role = actor.role
    if role is Role.FUNCTIONAL_ADMIN:
        return True
    if scope.is_region:
        return False
    if role is Role.BOARD_CONTACT:
        return actor.board_id is not None and scope.board_id == actor.board_id
    if role is Role.PARENT:
        return scope.pupil_id is not None and scope.pupil_id == actor.pupil_id
    if actor.school_id is None:
        return False
    if role in VO_ROLES:
        if scope.pupil_id is not None:
            return actor.school_id in scope.vo_school_ids
        return scope.school_id == actor.school_id
    if scope.school_id != actor.school_id:
        return False
    # R-AUTH-4: a contact person of some groups sees only those groups and their pupils.
    about_group = scope.pupil_id is not None or scope.group_id is not None
    limited = role is Role.END_USER and actor.group_ids and about_group
    return not limited or scope.group_id in actor.group_ids


def _role_fits(actor: Actor, action: Action, scope: Scope) -> bool:
    if action not in ROLE_ACTIONS[actor.role]:
        return False
    if action is Action.IMPERSONATE and actor.impersonator_id is not None:
        return False  # no chains: go back by logging out (R-AUTH-2)
    if action in _NEEDS_SECOND_FACTOR and not actor.second_factor:
        return False  # a password alone must not open other people's accounts (0033)
    if action in (Action.IMPERSONATE, Action.MANAGE_USERS) and scope.user_role is not None:
        return scope.user_role in MANAGEABLE_ROLES.get(actor.role, frozenset())
    return True


def decide(actor: Actor, action: Action, scope: Scope) -> Decision:
    """Whether ``actor`` may take ``action`` on ``scope``, and if not, whether to hide it."""
    if not _reaches(actor, scope):
        return Decision.FORBIDDEN if scope.is_region else Decision.HIDDEN
    return Decision.ALLOWED if _role_fits(actor, action, scope) else Decision.FORBIDDEN


def allowed(actor: Actor, action: Action, scope: Scope) -> bool:
    """Shorthand for templates and menus: may the actor do this?"""
    return decide(actor, action, scope) is Decision.ALLOWED


def require(actor: Actor, action: Action, scope: Scope) -> None:
    """Raise NotFound when the thing is hidden from the actor, Forbidden when the role may not."""
    decision = decide(actor, action, scope)
    if decision is Decision.HIDDEN:
        raise NotFound("De gevraagde gegevens zijn niet gevonden.")
    if decision is Decision.FORBIDDEN:
        raise Forbidden(f"U heeft geen toestemming om {action.value}.")
