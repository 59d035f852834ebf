"""What the home page shows besides the news: the OSO notifications indicator (R-OSO-7)."""

from __future__ import annotations

from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action, Scope, allowed
from elk_domain.overview.ports import OverviewWork


def notification_count(uow: OverviewWork, actor: Actor) -> int | None:
    """How many OSO notifications the actor's school has; None when there is nothing to show.

    Only for staff of a school who work with OSO (others have no notifications of their own);
    costs one COUNT query, and none at all for everyone else.
    """
    if actor.school_id is None:
        return None
    own = Scope(school_id=actor.school_id, board_id=actor.board_id)
    if not allowed(actor, Action.SYNC_OSO, own):
        return None
    with uow:
        return uow.oso_notifications.count_for_school(actor.school_id)
