"""The main menu: the manual's three buttons plus the administrator's pages, per role."""

from __future__ import annotations

import attrs
from flask import current_app, request

from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import VO_ROLES, Action, Scope, allowed
from elk_web.urls import fixed_url


@attrs.frozen
class MenuEntry:
    """One menu item; ``url`` is None while its page is not built yet ("binnenkort")."""

    label: str
    url: str | None
    current: bool = False


# (label, endpoint, action): shown to whoever may take the action in their own organisation.
_MENU = (
    ("Leerlingen", "pupils.index", Action.VIEW_PUPIL),
    ("Aanmeldingen", "vo.registrations", Action.VIEW_REGISTRATIONS),
    ("Plaatsing", "vo.placement", Action.VIEW_REGISTRATIONS),
    ("OSO", "oso.index", Action.SYNC_OSO),
    ("Overzichten", "overviews.index", Action.VIEW_OVERVIEWS),
    ("Aanmeldingen VO", "vo.region", Action.VIEW_REGION_REGISTRATIONS),
    ("Verzonden e-mail", "admin.outbox", Action.VIEW_OUTBOX),
    # Settings pages of the manual's "instellingen" icon (issue 5)
    ("Gebruikers", "users.index", Action.MANAGE_USERS),
    ("Groepen", "groups.index", Action.FILL_GROUPS),
    ("Voorkeursinstellingen", "preferences.index", Action.SET_PREFERENCES),
    ("Scholen", "organisations.schools", Action.EDIT_SCHOOL),
    ("Besturen", "organisations.boards", Action.MANAGE_REGION),
    ("Tijdpad", "region.timeline", Action.MANAGE_REGION),
    ("Nieuws", "region.news", Action.MANAGE_REGION),
    ("Logboek", "audit.index", Action.VIEW_AUDIT),
)


def may(actor: Actor | None, action_name: str) -> bool:
    """Whether the actor may take the action (by name) in their own organisation, for templates.

    Templates ask this instead of naming roles, so the one policy decides what a page offers.
    """
    if actor is None:
        return False
    own = Scope(school_id=actor.school_id, board_id=actor.board_id)
    return allowed(actor, Action[action_name], own)


# A VO school's staff reach a pupil only through a registration: their list is "Aanmeldingen",
# not the PO school's pupil overview (which has no VO school to show).
_NOT_FOR_VO = frozenset({"pupils.index"})


def menu_for(actor: Actor) -> list[MenuEntry]:
    """The entries this actor may use; pages that do not exist yet are listed without a link."""
    own = Scope(school_id=actor.school_id, board_id=actor.board_id)
    entries = []
    for label, endpoint, action in _MENU:
        if not allowed(actor, action, own):
            continue
        if actor.role in VO_ROLES and endpoint in _NOT_FOR_VO:
            continue
        built = endpoint in current_app.view_functions
        entries.append(
            MenuEntry(
                label,
                fixed_url(endpoint) if built else None,
                current=request.endpoint == endpoint,
            )
        )
    return entries


_MENU_CACHE = "elk_menu_cache"


def cached_menu(actor: Actor) -> list[MenuEntry]:
    """``menu_for(actor)``, remembered per actor, page and mount point (it is a pure function
    of those and of the app's routes): the menu is on every page."""
    cache: dict[tuple[Actor, str | None, str], list[MenuEntry]] = current_app.extensions.setdefault(
        _MENU_CACHE, {}
    )
    key = (actor, request.endpoint, request.script_root)
    menu = cache.get(key)
    if menu is None:
        menu = menu_for(actor)
        if len(cache) >= 4096:  # one entry per user and page visited: start afresh now and then
            cache.clear()
        cache[key] = menu
    return list(menu)
