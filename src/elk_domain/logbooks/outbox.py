"""The page "Verzonden e-mail": the functional administrator reads the demo's captured mail."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action, Scope, require

M = TypeVar("M")


def list_sent_mail(actor: Actor, read_outbox: Callable[[], Sequence[M]]) -> Sequence[M]:
    """The captured messages, newest first; only for whoever may view the outbox."""
    require(actor, Action.VIEW_OUTBOX, Scope.region())
    return read_outbox()
