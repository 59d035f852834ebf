"""The pupil overview in SQL: one SELECT per page, whatever the page size (R-LL-1).

Pupils are joined with their group, Oki-doc (its overview columns, never the JSON), newest
registration and that registration's first-choice school; ``count(*) OVER ()`` carries the
total on every row, so paging needs no second query. Only when a page lies beyond the last
row is the total counted separately. The statements are ``overview_sql``'s; here they run and
their rows become the domain's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from elk_adapters.persistence.errors import database_errors
from elk_adapters.persistence.queries import overview_sql as sql
from elk_adapters.persistence.repositories.organisation import school_from_row
from elk_domain.errors import NotFound
from elk_domain.kernel.values import PersonName
from elk_domain.okidoc.model import OkiStatus
from elk_domain.organisation.model import School
from elk_domain.overview.model import (
    GroupChoice,
    OkiDocFacts,
    OverviewPage,
    OverviewQuery,
    OverviewRow,
    StatusCounts,
)
from elk_domain.parents.claims import claim_state
from elk_domain.parents.registration import RegistrationStatus
from elk_domain.pupils.model import ParentLoginStatus, ReasonNotPlaced


class SqlAlchemyPupilOverviewQuery:
    """Satisfies ``elk_domain.overview.ports.PupilOverviewQuery`` with one statement per call."""

    def __init__(self, connection: sa.Connection) -> None:
        self._connection = connection

    def page(self, query: OverviewQuery) -> OverviewPage:
        """One page of the school's pupils matching the filters, sorted, with the total."""
        parameters = sql.parameters(query)
        statement = sql.page_statement(query)
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
            statement, parameters = sql.school_groups_statement(), {"school_id": school_id}
            rows = self._connection.execute(statement, parameters).all()
        if not rows:
            raise NotFound(f"School {school_id} bestaat niet.")
        groups = [GroupChoice(r.group_id, r.group_name) for r in rows if r.group_id is not None]
        return school_from_row(rows[0]), sorted(groups, key=lambda g: g.name.lower())

    def _count(self, query: OverviewQuery, parameters: dict[str, Any]) -> int:
        statement = sql.count_statement(query)
        return int(self._connection.execute(statement, parameters).scalar_one())

    def status_counts(self, school_ids: Iterable[int]) -> Sequence[StatusCounts]:
        """Per PO school (by name): pupils per Oki-doc status and per registration status."""
        ids = sorted(set(school_ids))
        if not ids:
            return []
        statement = sql.status_counts_statement(ids)
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
                login_sent=r.login_sent,
                login_activated=r.login_activated,
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
        claim_kind,
        priority_granted,
        priority_reason,
        placed_school,
        placed_level,
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
        priority=claim_state(claim_kind is not None, priority_granted),
        priority_reason=priority_reason or "",
        reason_not_placed=_REASON.get(reason_not_placed),
        placed_at=f"{placed_school} ({placed_level})" if placed_school else None,
    )
