"""The SQL of the pupil overview: its statements and the values they bind.

Statements are built once per shape (sort, direction, group filter or not, number of search
words) with bound parameters, so a request only binds values (building a SELECT of this size
costs more than SQLite takes to run it).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from elk_adapters.persistence import tables as t
from elk_domain.kernel.people import OrgKind
from elk_domain.okidoc.model import OkiStatus
from elk_domain.overview.model import OverviewQuery, OverviewSort, search_words
from elk_domain.parents.registration import RegistrationStatus
from elk_domain.pupils.model import ParentLoginStatus

_p, _g, _o, _r, _s = t.pupils, t.groups, t.okidocs, t.registrations, t.schools
_placed, _runs = t.placement_outcomes, t.placement_runs
_placed_school = t.schools.alias("placed_school")


def _published_run() -> Any:
    """The newest published placement run's id (decision 0055); NULL before the first."""
    return (
        sa.select(sa.func.max(_runs.c.id)).where(_runs.c.published_at.is_not(None))
    ).scalar_subquery()


def _newest_registration() -> Any:
    """The id of each pupil's newest registration (a pupil has one per procedure at most)."""
    return (
        sa.select(sa.func.max(_r.c.id).label("id"), _r.c.pupil_id)
        .group_by(_r.c.pupil_id)
        .subquery("newest_registration")
    )


def _claim_kind() -> Any:
    """The kind of the priority claim on the definitive list (NULL: none, or not definitive)."""
    return _r.c.definitive[("priority_claim", "kind")].as_string()


def _status_rank() -> Any:
    return sa.case(
        (_o.c.status == OkiStatus.VOLLEDIG.value, 1),
        (_o.c.status == OkiStatus.DEFINITIEF.value, 2),
        else_=0,
    )


def _order(sort: OverviewSort, descending: bool) -> list[Any]:
    name = [sa.func.lower(_p.c.last_name), sa.func.lower(_p.c.first_name), _p.c.id]
    keys: list[Any]
    if sort is OverviewSort.GROUP:
        keys = [sa.func.lower(sa.func.coalesce(_g.c.name, "")), *name]
    elif sort is OverviewSort.STATUS:
        keys = [_status_rank(), *name]
    elif sort is OverviewSort.ELK_NUMBER:
        keys = [_p.c.elk_number, _p.c.id]
    else:
        keys = name
    return [k.desc() for k in keys] if descending else keys


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# Up to this many groups, the group filter is ``IN (:group0, :group1, …)`` with one statement per
# count; above it one "expanding" parameter, which SQLAlchemy renders anew on every execution
# (~0.15 ms, a tenth of the page query). Bounded, so crafted URLs cannot grow the cache.
_FIXED_GROUPS = 8
_ANY_GROUPS = -1  # the expanding shape
_NO_GROUPS = 0  # no group filter


def _filters(groups: int, words: int) -> list[Any]:
    """Conditions with bound parameters: ``school_id``, ``group…``, ``word0``… ."""
    conditions: list[Any] = [_p.c.school_id == sa.bindparam("school_id")]
    if groups == _ANY_GROUPS:
        conditions.append(_p.c.group_id.in_(sa.bindparam("group_ids", expanding=True)))
    elif groups:
        conditions.append(_p.c.group_id.in_([sa.bindparam(f"group{i}") for i in range(groups)]))
    text = sa.func.lower(
        _p.c.first_name
        + " "
        + _p.c.tussenvoegsel
        + " "
        + _p.c.last_name
        + " "
        + sa.cast(_p.c.elk_number, sa.String)
    )
    for index in range(words):
        conditions.append(text.like(sa.bindparam(f"word{index}"), escape="\\"))
    return conditions


def parameters(query: OverviewQuery) -> dict[str, Any]:
    """The values the statements of this query bind: school, groups and search words."""
    parameters: dict[str, Any] = {"school_id": query.school_id}
    groups = _group_shape(query)
    if groups == _ANY_GROUPS:
        parameters["group_ids"] = sorted(query.group_ids or ())
    else:
        parameters.update((f"group{i}", g) for i, g in enumerate(sorted(query.group_ids or ())))
    for index, word in enumerate(search_words(query.search)):
        parameters[f"word{index}"] = f"%{_escape_like(word)}%"
    return parameters


def _group_shape(query: OverviewQuery) -> int:
    if query.group_ids is None:
        return _NO_GROUPS
    count = len(query.group_ids)
    return count if 0 < count <= _FIXED_GROUPS else _ANY_GROUPS  # none selected: IN () matches none


def _shape(query: OverviewQuery) -> tuple[OverviewSort, bool, int, int]:
    return (
        query.sort,
        query.descending,
        _group_shape(query),
        len(search_words(query.search)),
    )


@functools.cache
def _page_statement(sort: OverviewSort, descending: bool, groups: int, words: int) -> Any:
    """The page SELECT for one shape of query, built once: requests only bind values."""
    newest = _newest_registration()
    return (
        sa.select(
            _p.c.id,
            _p.c.elk_number,
            _p.c.first_name,
            _p.c.tussenvoegsel,
            _p.c.last_name,
            _p.c.group_id,
            _g.c.name.label("group_name"),
            _p.c.parent_login,
            _p.c.parent_login_amsterdam,
            _p.c.reason_not_placed,
            _o.c.status,
            _o.c.version.label("okidoc_version"),
            _o.c.extra_support,
            _o.c.tafelmiddag_po,
            _o.c.tafelmiddag_vo,
            _o.c.final_test_outcome,
            _o.c.definitive_advice,
            _o.c.deviation_motivated,
            _r.c.status.label("registration_status"),
            _s.c.name.label("registered_at"),
            _claim_kind().label("claim_kind"),
            _r.c.priority_granted,
            _r.c.priority_reason,
            _placed_school.c.name.label("placed_school"),
            _placed.c.level.label("placed_level"),
            sa.func.count().over().label("total"),  # last: ``overview._row`` unpacks by position
        )
        .select_from(_p)
        .outerjoin(_g, _g.c.id == _p.c.group_id)
        .outerjoin(_o, _o.c.pupil_id == _p.c.id)
        .outerjoin(newest, newest.c.pupil_id == _p.c.id)
        .outerjoin(_r, _r.c.id == newest.c.id)
        .outerjoin(_s, _s.c.id == _r.c.first_choice_school_id)
        .outerjoin(
            _placed, sa.and_(_placed.c.pupil_id == _p.c.id, _placed.c.run_id == _published_run())
        )
        .outerjoin(_placed_school, _placed_school.c.id == _placed.c.school_id)
        .where(*_filters(groups, words))
        .order_by(*_order(sort, descending))
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
    )


@functools.cache
def _count_statement(groups: int, words: int) -> Any:
    return sa.select(sa.func.count()).select_from(_p).where(*_filters(groups, words))


def page_statement(query: OverviewQuery) -> Any:
    """The page SELECT for this query's shape; bind ``parameters(query)``, ``limit`` and
    ``offset``. Its last column is the total of matching rows."""
    return _page_statement(*_shape(query))


def count_statement(query: OverviewQuery) -> Any:
    """The count of the pupils matching the query's filters (same ``parameters(query)``)."""
    return _count_statement(*_shape(query)[2:])


@functools.cache
def school_groups_statement() -> Any:
    """A school's row once per group (``group_id``, ``group_name``); binds ``school_id``."""
    return (
        sa.select(_s, _g.c.id.label("group_id"), _g.c.name.label("group_name"))
        .outerjoin(_g, _g.c.school_id == _s.c.id)
        .where(_s.c.id == sa.bindparam("school_id"))
    )


def _count_where(condition: Any) -> Any:
    """How many rows of the group meet the condition (0, not NULL, for none)."""
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


_ACTIVATED = tuple(
    s.value
    for s in ParentLoginStatus
    if s not in (ParentLoginStatus.NOT_SENT, ParentLoginStatus.SENT)
)


def status_counts_statement(school_ids: Sequence[int]) -> Any:
    """Per PO school among these: its pupils counted per Oki-doc and registration status."""
    newest = _newest_registration()
    status = sa.func.coalesce(_o.c.status, OkiStatus.ONVOLLEDIG.value)
    return (
        sa.select(
            _s.c.id,
            _s.c.name,
            _s.c.board_id,
            sa.func.count(_p.c.id).label("pupils"),
            _count_where(status == OkiStatus.ONVOLLEDIG.value).label("onvolledig"),
            _count_where(status == OkiStatus.VOLLEDIG.value).label("volledig"),
            _count_where(status == OkiStatus.DEFINITIEF.value).label("definitief"),
            _count_where(_p.c.parent_login == ParentLoginStatus.SENT.value).label("login_sent"),
            _count_where(_p.c.parent_login.in_(_ACTIVATED)).label("login_activated"),
            _count_where(sa.and_(_p.c.id.is_not(None), _r.c.id.is_(None))).label("none"),
            _count_where(_r.c.status == RegistrationStatus.STARTED.value).label("started"),
            _count_where(_r.c.status == RegistrationStatus.DEFINITIVE.value).label("final"),
            _count_where(_p.c.reason_not_placed.is_not(None)).label("not_placed"),
        )
        .select_from(_s)
        .outerjoin(_p, _p.c.school_id == _s.c.id)
        .outerjoin(_o, _o.c.pupil_id == _p.c.id)
        .outerjoin(newest, newest.c.pupil_id == _p.c.id)
        .outerjoin(_r, _r.c.id == newest.c.id)
        .where(_s.c.id.in_(school_ids), _s.c.kind == OrgKind.PO.value)
        .group_by(_s.c.id, _s.c.name, _s.c.board_id)
        .order_by(_s.c.name, _s.c.id)
    )
