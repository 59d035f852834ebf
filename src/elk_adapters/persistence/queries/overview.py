"""The pupil overview in SQL: one SELECT per page, whatever the page size (R-LL-1).

Pupils are joined with their group, Oki-doc (its overview columns, never the JSON), newest
registration and that registration's first-choice school; ``count(*) OVER ()`` carries the
total on every row, so paging needs no second query. Only when a page lies beyond the last
row is the total counted separately.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from elk_adapters.persistence import tables as t
from elk_adapters.persistence.errors import database_errors
from elk_domain.model.okidoc import OkiStatus
from elk_domain.model.organisation import OrgKind
from elk_domain.model.overview import (
    OkiDocFacts,
    OverviewPage,
    OverviewQuery,
    OverviewRow,
    OverviewSort,
    StatusCounts,
    search_words,
)
from elk_domain.model.pupil import ParentLoginStatus, ReasonNotPlaced
from elk_domain.model.values import PersonName
from elk_domain.registration import RegistrationStatus

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


def _order(query: OverviewQuery) -> list[Any]:
    name = [sa.func.lower(_p.c.last_name), sa.func.lower(_p.c.first_name), _p.c.id]
    keys: list[Any]
    if query.sort is OverviewSort.GROUP:
        keys = [sa.func.lower(sa.func.coalesce(_g.c.name, "")), *name]
    elif query.sort is OverviewSort.STATUS:
        keys = [_status_rank(), *name]
    elif query.sort is OverviewSort.ELK_NUMBER:
        keys = [_p.c.elk_number, _p.c.id]
    else:
        keys = name
    return [k.desc() for k in keys] if query.descending else keys


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filters(query: OverviewQuery) -> list[Any]:
    conditions: list[Any] = [_p.c.school_id == query.school_id]
    if query.group_ids is not None:
        conditions.append(_p.c.group_id.in_(sorted(query.group_ids)))
    text = sa.func.lower(
        _p.c.first_name
        + " "
        + _p.c.tussenvoegsel
        + " "
        + _p.c.last_name
        + " "
        + sa.cast(_p.c.elk_number, sa.String)
    )
    for word in search_words(query.search):
        conditions.append(text.like(f"%{_escape_like(word)}%", escape="\\"))
    return conditions


class SqlAlchemyPupilOverviewQuery:
    """Satisfies ``elk_domain.ports.PupilOverviewQuery`` with one statement per call."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def page(self, query: OverviewQuery) -> OverviewPage:
        """One page of the school's pupils matching the filters, sorted, with the total."""
        newest = _newest_registration()
        statement = (
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
                sa.func.count().over().label("total"),
            )
            .select_from(_p)
            .outerjoin(_g, _g.c.id == _p.c.group_id)
            .outerjoin(_o, _o.c.pupil_id == _p.c.id)
            .outerjoin(newest, newest.c.pupil_id == _p.c.id)
            .outerjoin(_r, _r.c.id == newest.c.id)
            .outerjoin(_s, _s.c.id == _r.c.first_choice_school_id)
            .where(*_filters(query))
            .order_by(*_order(query))
            .limit(query.page_size)
            .offset(query.offset)
        )
        with database_errors():
            rows = self._session.execute(statement).all()
            total = rows[0].total if rows else self._count(query)
        return OverviewPage(
            rows=tuple(_row(r) for r in rows),
            total=total,
            page=query.page,
            page_size=query.page_size,
        )

    def _count(self, query: OverviewQuery) -> int:
        statement = sa.select(sa.func.count()).select_from(_p).where(*_filters(query))
        return int(self._session.execute(statement).scalar_one())

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
            rows = self._session.execute(statement).all()
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


def _row(row: Any) -> OverviewRow:
    return OverviewRow(
        pupil_id=row.id,
        elk_number=row.elk_number,
        name=PersonName(row.first_name, row.last_name, row.tussenvoegsel),
        group_id=row.group_id,
        group_name=row.group_name or "",
        okidoc_status=OkiStatus(row.status) if row.status else OkiStatus.ONVOLLEDIG,
        okidoc_version=row.okidoc_version or 0,
        facts=OkiDocFacts(
            extra_support=bool(row.extra_support),
            tafelmiddag_po=bool(row.tafelmiddag_po),
            tafelmiddag_vo=bool(row.tafelmiddag_vo),
            final_test_outcome=row.final_test_outcome,
            definitive_advice=row.definitive_advice,
            deviation_motivated=bool(row.deviation_motivated),
        ),
        parent_login=ParentLoginStatus(row.parent_login),
        parent_login_amsterdam=ParentLoginStatus(row.parent_login_amsterdam),
        registered_at=row.registered_at,
        registration_status=None
        if row.registration_status is None
        else RegistrationStatus(row.registration_status),
        reason_not_placed=None
        if row.reason_not_placed is None
        else ReasonNotPlaced(row.reason_not_placed),
    )
