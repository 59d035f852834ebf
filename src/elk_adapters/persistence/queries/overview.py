"""The pupil overview in SQL: one SELECT per page, whatever the page size (R-LL-1).

Pupils are joined with their group, Oki-doc (its overview columns, never the JSON), newest
registration and that registration's first-choice school; ``count(*) OVER ()`` carries the
total on every row, so paging needs no second query. Only when a page lies beyond the last
row is the total counted separately. Statements are built once per shape (sort, direction,
group filter or not, number of search words) with bound parameters, so a request only binds
values (building a SELECT of this size costs more than SQLite takes to run it).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from elk_adapters.persistence import tables as t
from elk_adapters.persistence.errors import database_errors
from elk_adapters.persistence.repositories.organisation import school_from_row
from elk_domain.errors import NotFound
from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import PersonName
from elk_domain.okidoc.model import OkiStatus
from elk_domain.organisation.model import School
from elk_domain.overview.model import (
    GroupChoice,
    OkiDocFacts,
    OverviewPage,
    OverviewQuery,
    OverviewRow,
    OverviewSort,
    StatusCounts,
    search_words,
)
from elk_domain.parents.registration import RegistrationStatus
from elk_domain.pupils.model import ParentLoginStatus, ReasonNotPlaced

_p, _g, _o, _r, _s = t.pupils, t.groups, t.okidocs, t.registrations, t.schools


def _newest_registration() -> Any:
    """The id of each pupil's newest registration (a pupil has one per procedure at most)."""
    return (
        sa.select(sa.func.max(_r.c.id).label("id"), _r.c.pupil_id)
        .group_by(_r.c.pupil_id)
        .subquery("newest_registration")
    )


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


def _parameters(query: OverviewQuery) -> dict[str, Any]:
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
            sa.func.count().over().label("total"),  # last: ``_row`` unpacks by position
        )
        .select_from(_p)
        .outerjoin(_g, _g.c.id == _p.c.group_id)
        .outerjoin(_o, _o.c.pupil_id == _p.c.id)
        .outerjoin(newest, newest.c.pupil_id == _p.c.id)
        .outerjoin(_r, _r.c.id == newest.c.id)
        .outerjoin(_s, _s.c.id == _r.c.first_choice_school_id)
        .where(*_filters(groups, words))
        .order_by(*_order(sort, descending))
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
    )


@functools.cache
def _count_statement(groups: int, words: int) -> Any:
    return sa.select(sa.func.count()).select_from(_p).where(*_filters(groups, words))


@functools.cache
def _school_groups_statement() -> Any:
    return (
        sa.select(_s, _g.c.id.label("group_id"), _g.c.name.label("group_name"))
        .outerjoin(_g, _g.c.school_id == _s.c.id)
        .where(_s.c.id == sa.bindparam("school_id"))
    )


class SqlAlchemyPupilOverviewQuery:
    """Satisfies ``elk_domain.overview.ports.PupilOverviewQuery`` with one statement per call."""

    def __init__(self, connection: sa.Connection) -> None:
        self._connection = connection

    def page(self, query: OverviewQuery) -> OverviewPage:
        """One page of the school's pupils matching the filters, sorted, with the total."""
        parameters = _parameters(query)
        statement = _page_statement(*_shape(query))
        with database_errors():
            rows = self._connection.execute(
                statement, {**parameters, "limit": query.page_size, "offset": query.offset}
            ).all()
            total = rows[0][-1] if rows else self._count(query, parameters)
        return OverviewPage(
            rows=tuple(_row(r) for r in rows),
            total=total,
            page=query.page,
            page_size=query.page_size,
        )

    def school_groups(self, school_id: int) -> tuple[School, Sequence[GroupChoice]]:
        """The school and its groups by name, in one query; NotFound."""
        with database_errors():
            statement, parameters = _school_groups_statement(), {"school_id": school_id}
            rows = self._connection.execute(statement, parameters).all()
        if not rows:
            raise NotFound(f"School {school_id} bestaat niet.")
        groups = [GroupChoice(r.group_id, r.group_name) for r in rows if r.group_id is not None]
        return school_from_row(rows[0]), sorted(groups, key=lambda g: g.name.lower())

    def _count(self, query: OverviewQuery, parameters: dict[str, Any]) -> int:
        statement = _count_statement(*_shape(query)[2:])
        return int(self._connection.execute(statement, parameters).scalar_one())

    def status_counts(self, school_ids: Iterable[int]) -> Sequence[StatusCounts]:
        """Per PO school (by name): pupils per Oki-doc status and per registration status."""
        ids = sorted(set(school_ids))
        if not ids:
            return []
        newest = _newest_registration()

        def count_where(condition: Any) -> Any:
            return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

        status = sa.func.coalesce(_o.c.status, OkiStatus.ONVOLLEDIG.value)
        statement = (
            sa.select(
                _s.c.id,
                _s.c.name,
                _s.c.board_id,
                sa.func.count(_p.c.id).label("pupils"),
                count_where(status == OkiStatus.ONVOLLEDIG.value).label("onvolledig"),
                count_where(status == OkiStatus.VOLLEDIG.value).label("volledig"),
                count_where(status == OkiStatus.DEFINITIEF.value).label("definitief"),
                count_where(sa.and_(_p.c.id.is_not(None), _r.c.id.is_(None))).label("none"),
                count_where(_r.c.status == RegistrationStatus.STARTED.value).label("started"),
                count_where(_r.c.status == RegistrationStatus.DEFINITIVE.value).label("final"),
                count_where(_p.c.reason_not_placed.is_not(None)).label("not_placed"),
            )
            .select_from(_s)
            .outerjoin(_p, _p.c.school_id == _s.c.id)
            .outerjoin(_o, _o.c.pupil_id == _p.c.id)
            .outerjoin(newest, newest.c.pupil_id == _p.c.id)
            .outerjoin(_r, _r.c.id == newest.c.id)
            .where(_s.c.id.in_(ids), _s.c.kind == OrgKind.PO.value)
            .group_by(_s.c.id, _s.c.name, _s.c.board_id)
            .order_by(_s.c.name, _s.c.id)
        )
        with database_errors():
            rows = self._connection.execute(statement).all()
        return [
            StatusCounts(
                school_id=r.id,
                school_name=r.name,
                board_id=r.board_id,
                pupils=r.pupils,
                onvolledig=r.onvolledig if r.pupils else 0,
                volledig=r.volledig,
                definitief=r.definitief,
                not_registered=r.none,
                registration_started=r.started,
                registration_definitive=r.final,
                not_placed=r.not_placed,
            )
            for r in rows
        ]


# Enum look-ups by value, without Enum.__call__ (which costs more per row than the row itself)
_OKI = {s.value: s for s in OkiStatus}
_LOGIN = {s.value: s for s in ParentLoginStatus}
_REGISTRATION = {s.value: s for s in RegistrationStatus}
_REASON = {r.value: r for r in ReasonNotPlaced}
_NO_FACTS = OkiDocFacts()


def _row(row: Any) -> OverviewRow:
    """A page row as the domain's row; positional, since a Row's attribute look-up costs
    about 1 µs each (20 per row) and unpacking it almost nothing."""
    (
        pupil_id,
        elk_number,
        first_name,
        tussenvoegsel,
        last_name,
        group_id,
        group_name,
        parent_login,
        parent_login_amsterdam,
        reason_not_placed,
        status,
        okidoc_version,
        extra_support,
        tafelmiddag_po,
        tafelmiddag_vo,
        final_test_outcome,
        definitive_advice,
        deviation_motivated,
        registration_status,
        registered_at,
        _total,
    ) = row
    facts = _NO_FACTS
    if (
        extra_support
        or tafelmiddag_po
        or tafelmiddag_vo
        or final_test_outcome
        or definitive_advice
        or deviation_motivated
    ):
        facts = OkiDocFacts(
            extra_support=bool(extra_support),
            tafelmiddag_po=bool(tafelmiddag_po),
            tafelmiddag_vo=bool(tafelmiddag_vo),
            final_test_outcome=final_test_outcome,
            definitive_advice=definitive_advice,
            deviation_motivated=bool(deviation_motivated),
        )
    return OverviewRow(
        pupil_id=pupil_id,
        elk_number=elk_number,
        name=PersonName(first_name, last_name, tussenvoegsel),
        group_id=group_id,
        group_name=group_name or "",
        okidoc_status=_OKI[status] if status else OkiStatus.ONVOLLEDIG,
        okidoc_version=okidoc_version or 0,
        facts=facts,
        parent_login=_LOGIN[parent_login],
        parent_login_amsterdam=_LOGIN[parent_login_amsterdam],
        registered_at=registered_at,
        registration_status=_REGISTRATION.get(registration_status),
        reason_not_placed=_REASON.get(reason_not_placed),
    )
