"""Permission before input: the first line of every view that receives a form (decision 0036).

``authorize(Action.ADD_NOTE, Target.pupil(pupil_id))`` raises NotFound or Forbidden (404/403
through the error pages) before the view reads ``request.form``; the use case it then calls
checks the same rule again.
"""

from __future__ import annotations

from elk_domain.access import authorize as access
from elk_domain.access.authorize import Target
from elk_domain.kernel.permissions import Action
from elk_web.context import current_actor, services

__all__ = ["authorize"]


def authorize(action: Action, target: Target) -> None:
    """Refuse the request (404 or 403) unless the logged-in actor may take ``action``."""
    access.authorize(services().reader(), current_actor(), action, target)
