"""Use cases behind the Leerlingen overview (R-LL-1/2) and the status overviews (R-LL-4).

The read model does the heavy lifting in one query; these functions decide which school the
actor may look at and narrow the groups for a group contact (R-AUTH-4).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from elk_domain.errors import NotFound
from elk_domain.kernel.people import Actor, OrgKind, Role
from elk_domain.kernel.permissions import Action, Scope, require
from elk_domain.kernel.spreadsheet import csv_text
from elk_domain.organisation.model import Board, School
from elk_domain.overview.model import (
    MAX_PAGE_SIZE,
    GroupChoice,
    OverviewPage,
    OverviewQuery,
    OverviewSort,
    StatusCounts,
)
from elk_domain.overview.ports import OverviewWork

PAGE_SIZES = (10, 25, 50, 100)


@attrs.frozen(kw_only=True)
class OverviewRequest:
    """What the user asked for on the overview page (already parsed from the URL)."""

    school_id: int | None = None
    group_ids: frozenset[int] = frozenset()  # empty: all groups the actor may see
    search: str = ""
    sort: OverviewSort = OverviewSort.NAME
    descending: bool = False
    page: int = 1
    page_size: int = 50


@attrs.frozen(kw_only=True)
class PupilOverview:
    """The page to render: the school, its groups for the filter, the rows, the choices."""

    school: School
    schools: tuple[School, ...]  # the PO schools the actor may switch between
    groups: tuple[GroupChoice, ...]
    query: OverviewQuery
    page: OverviewPage


_NO_SCHOOL = "Er is geen school gevonden waarvan u leerlingen mag bekijken."


def _reachable_schools(uow: OverviewWork, actor: Actor) -> list[School]:
    if actor.role is Role.FUNCTIONAL_ADMIN:
        schools = uow.schools.list()
    elif actor.board_id is not None:
        schools = uow.schools.list(board_id=actor.board_id)
    else:
        schools = []
    return [s for s in schools if s.kind is OrgKind.PO]


def _choose_school(
    uow: OverviewWork, actor: Actor, school_id: int | None
) -> tuple[School, list[School], Sequence[GroupChoice]]:
    """The school to show, the schools to switch between and the school's groups.

    The usual case, a school's own user on their own school, costs one query.
    """
    if actor.school_id is not None and school_id in (None, actor.school_id):
        school, groups = uow.overview.school_groups(actor.school_id)
        schools = [school] if school.kind is OrgKind.PO else []
        if school_id is None and not schools:
            raise NotFound(_NO_SCHOOL)
    else:
        if actor.school_id is not None:
            own = uow.schools.get(actor.school_id)
            schools = [own] if own.kind is OrgKind.PO else []
        else:
            schools = _reachable_schools(uow, actor)
        if school_id is None and not schools:
            raise NotFound(_NO_SCHOOL)
        school, groups = uow.overview.school_groups(
            school_id if school_id is not None else schools[0].id
        )
    require(actor, Action.VIEW_PUPIL, Scope.for_school(school))
    return school, schools, groups


def _visible_groups(actor: Actor, groups: Sequence[GroupChoice]) -> tuple[GroupChoice, ...]:
    """A group contact (R-AUTH-4) sees only their own groups; others see every group."""
    if actor.role is Role.END_USER and actor.group_ids:
        return tuple(g for g in groups if g.id in actor.group_ids)
    return tuple(groups)


def pupil_overview(uow: OverviewWork, actor: Actor, request: OverviewRequest) -> PupilOverview:
    """One page of the overview for the actor: only pupils (and groups) they may see."""
    with uow:
        school, schools, all_groups = _choose_school(uow, actor, request.school_id)
        groups = _visible_groups(actor, all_groups)
        query = _query(actor, school, groups, request, MAX_PAGE_SIZE)
        return PupilOverview(
            school=school,
            schools=tuple(schools),
            groups=groups,
            query=query,
            page=uow.overview.page(query),
        )


def matching_pupil_ids(
    uow: OverviewWork, actor: Actor, request: OverviewRequest, *, limit: int = 2000
) -> list[int]:
    """R-LL-2 "select all": every pupil the filter matches (not only this page), at most limit."""
    with uow:
        school, _schools, all_groups = _choose_school(uow, actor, request.school_id)
        groups = _visible_groups(actor, all_groups)
        everything = attrs.evolve(request, page=1, page_size=limit)
        query = _query(actor, school, groups, everything, limit)
        return [row.pupil_id for row in uow.overview.page(query).rows]


def _query(
    actor: Actor,
    school: School,
    groups: Sequence[GroupChoice],
    request: OverviewRequest,
    max_page_size: int,
) -> OverviewQuery:
    limited = actor.role is Role.END_USER and bool(actor.group_ids)
    group_ids: frozenset[int] | None = None
    if request.group_ids:
        group_ids = frozenset(request.group_ids)
        if limited:
            group_ids &= actor.group_ids
    elif limited:
        group_ids = frozenset(g.id for g in groups)
    return OverviewQuery(
        school_id=school.id,
        group_ids=group_ids,
        search=request.search.strip()[:100],
        sort=request.sort,
        descending=request.descending,
        page=max(1, request.page),
        page_size=min(max(1, request.page_size), max_page_size),
    )


@attrs.frozen(kw_only=True)
class BoardCounts:
    """R-LL-4 per board: its schools' counts and their sum."""

    board: Board
    schools: tuple[StatusCounts, ...]
    total: StatusCounts


@attrs.frozen(kw_only=True)
class StatusOverview:
    """The "PO – status leerlingen" overviews: per school, grouped per board."""

    boards: tuple[BoardCounts, ...]


def status_overview(uow: OverviewWork, actor: Actor) -> StatusOverview:
    """Counts per Oki-doc and registration status for the schools (and boards) of the actor."""
    with uow:
        if actor.school_id is not None:
            school = uow.schools.get(actor.school_id)
            require(actor, Action.VIEW_OVERVIEWS, Scope.for_school(school))
            board_ids = [school.board_id]
            school_ids = [school.id]
        else:
            if actor.role is Role.FUNCTIONAL_ADMIN:
                require(actor, Action.VIEW_OVERVIEWS, Scope.region())
                board_ids = [b.id for b in uow.boards.list()]
            else:
                require(actor, Action.VIEW_OVERVIEWS, Scope.for_board(actor.board_id or 0))
                board_ids = [actor.board_id or 0]
            school_ids = [s.id for b in board_ids for s in uow.schools.list(board_id=b)]
        counts = uow.overview.status_counts(school_ids)
        boards = []
        for board_id in board_ids:
            own = tuple(c for c in counts if c.board_id == board_id)
            if own:
                board = uow.boards.get(board_id)
                boards.append(BoardCounts(board=board, schools=own, total=_sum(board, own)))
        return StatusOverview(boards=tuple(boards))


def _sum(board: Board, counts: Iterable[StatusCounts]) -> StatusCounts:
    items = list(counts)
    numbers = (
        "pupils",
        "onvolledig",
        "volledig",
        "definitief",
        "login_sent",
        "login_activated",
        "not_registered",
        "registration_started",
        "registration_definitive",
        "not_placed",
    )
    totals = {name: sum(getattr(c, name) for c in items) for name in numbers}
    return StatusCounts(
        school_id=0, school_name=f"Totaal {board.name}", board_id=board.id, **totals
    )


CSV_HEADER = (
    "Bestuur",
    "School",
    "Leerlingen",
    "Onvolledig",
    "Volledig",
    "Definitief",
    "Ouderinlog verstuurd",
    "Ouderinlog geactiveerd",
    "Niet aangemeld",
    "Aanmelding gestart",
    "Aanmelding voltooid",
    "Reden niet plaatsen",
)


def status_csv(overview: StatusOverview) -> str:
    """The status overview as CSV (semicolons, as Dutch spreadsheets expect), formula-safe."""
    return csv_text(
        CSV_HEADER,
        (
            (board.board.name, c.school_name, c.pupils, c.onvolledig, c.volledig, c.definitief,
             c.login_sent, c.login_activated, c.not_registered, c.registration_started,
             c.registration_definitive, c.not_placed)
            for board in overview.boards
            for c in (*board.schools, board.total)
        ),
    )  # fmt: skip
