"""News on the home page: everyone reads it, the functional administrator writes it."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from elk_domain.errors import Rejected, Violation
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action, Scope, require
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.support import Subject, audit
from elk_domain.organisation.model import NewsItem
from elk_domain.organisation.ports import OrganisationWork


def latest_news(uow: OrganisationWork, *, limit: int = 5) -> Sequence[NewsItem]:
    """The newest items for the home page."""
    with uow:
        return uow.news.latest(limit)


@attrs.frozen
class AddNews:
    """A message for everyone's home page."""

    title: str
    body: str


def add_news(uow: OrganisationWork, clock: Clock, actor: Actor, command: AddNews) -> NewsItem:
    """Publish a news item now (functional administrator only)."""
    require(actor, Action.MANAGE_REGION, Scope.region())
    title, body = command.title.strip(), command.body.strip()
    problems = [
        Violation(path, f"Vul een {label} in.")
        for path, label, value in (("titel", "titel", title), ("tekst", "tekst", body))
        if not value
    ]
    if problems:
        raise Rejected("Het nieuwsbericht is niet compleet.", violations=problems)
    with uow:
        item = uow.news.add(
            NewsItem(id=0, title=title, body=body, published_at=clock.now(), author=actor.name)
        )
        audit(
            uow, clock, actor, "nieuws_toegevoegd", Subject(type="news", id=item.id), detail=title
        )
        uow.commit()
        return item
