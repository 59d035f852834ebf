"""The one access rule for a pupil (``pupils.access``): load a pupil after the permission check."""

from __future__ import annotations

import itertools

import attrs
import pytest

from elk_domain.kernel.people import Actor, Role
from elk_domain.kernel.permissions import Action, Decision, Scope, decide

ACTORS = [
    Actor(user_id=1, name="Fien", role=Role.FUNCTIONAL_ADMIN),
    Actor(user_id=2, name="Bas", role=Role.BOARD_CONTACT, board_id=1),
    Actor(user_id=3, name="Sara", role=Role.SCHOOL_ADMIN, board_id=1, school_id=10),
    Actor(user_id=4, name="Eva", role=Role.END_USER, board_id=1, school_id=10),
    Actor(user_id=5, name="Gijs", role=Role.END_USER, board_id=1, school_id=10,
          group_ids=frozenset({7})),
    Actor(user_id=6, name="Olga", role=Role.END_USER, board_id=2, school_id=20),
    Actor(user_id=7, name="Ouder", role=Role.PARENT, pupil_id=100),
    Actor(user_id=8, name="Vera", role=Role.VO_USER, board_id=3, school_id=30),
]  # fmt: skip
PUPILS = [
    Scope(school_id=10, board_id=1, pupil_id=100, group_id=7),
    Scope(school_id=10, board_id=1, pupil_id=101),
    Scope(school_id=20, board_id=2, pupil_id=200),
]


OTHERS = [a for a in ACTORS if a.role is not Role.VO_USER]
VO_USER = next(a for a in ACTORS if a.role is Role.VO_USER)


def _seen_by_vo_schools(scope: Scope) -> Scope:
    return attrs.evolve(scope, vo_school_ids=frozenset({10, 20, 30}))


@pytest.mark.parametrize(
    ("actor", "action", "scope"), list(itertools.product(OTHERS, Action, PUPILS))
)
def test_only_a_vo_user_is_decided_by_the_vo_schools_that_see_a_pupil(
    actor: Actor, action: Action, scope: Scope
) -> None:
    """Why ``load_pupil_with_school`` reads a pupil's registrations only for a VO user."""
    assert decide(actor, action, scope) == decide(actor, action, _seen_by_vo_schools(scope))


def test_a_vo_user_sees_a_pupil_through_a_registration() -> None:
    scope = PUPILS[0]
    assert decide(VO_USER, Action.VIEW_PUPIL, scope) is Decision.HIDDEN
    assert decide(VO_USER, Action.VIEW_PUPIL, _seen_by_vo_schools(scope)) is Decision.ALLOWED
