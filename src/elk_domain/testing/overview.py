"""The overview read model over the in-memory tables: the reference the SQL query must match."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from elk_domain.errors import NotFound
from elk_domain.kernel.people import OrgKind
from elk_domain.okidoc.model import OkiDoc, OkiStatus
from elk_domain.organisation.model import Group, School
from elk_domain.overview.model import (
    STATUS_ORDER,
    GroupChoice,
    OkiDocFacts,
    OverviewPage,
    OverviewQuery,
    OverviewRow,
    OverviewSort,
    StatusCounts,
    okidoc_facts,
    row_text,
    search_words,
)
from elk_domain.parents.claims import PriorityState, registration_claim_state
from elk_domain.parents.registration import Registration, RegistrationStatus
from elk_domain.pupils.model import ParentLoginStatus, Pupil
from elk_domain.testing.store import Rows

_NOT_ACTIVE = frozenset({ParentLoginStatus.NOT_SENT, ParentLoginStatus.SENT})


class InMemoryPupilOverviewQuery:
    """Builds overview rows from the unit of work's working tables (satisfies the port)."""

    def __init__(self, work: Rows) -> None:
        self._work = work

    def page(self, query: OverviewQuery) -> OverviewPage:
        """One page of the school's pupils matching the filters, sorted, with the total."""
        words = search_words(query.search)
        pupils = [
            p
            for p in self._work["pupils"].values()
            if p.school_id == query.school_id
            and (query.group_ids is None or p.group_id in query.group_ids)
            and all(w in row_text(p.name, p.elk_number.value) for w in words)
        ]
        rows = sorted((self._row(p) for p in pupils), key=_sort_key(query.sort))
        if query.descending:
            rows.reverse()
        chosen = rows[query.offset : query.offset + query.page_size]
        return OverviewPage(
            rows=tuple(chosen), total=len(rows), page=query.page, page_size=query.page_size
        )

    def _row(self, pupil: Pupil) -> OverviewRow:
        groups: dict[int, Group] = self._work["groups"]
        okidoc = self._okidoc(pupil.id)
        registration = self._registration(pupil.id)
        school: School | None = None
        first = next(iter(registration.registered_at()), None) if registration else None
        if first is not None:
            school = self._work["schools"].get(first)
        group = groups.get(pupil.group_id) if pupil.group_id is not None else None
        return OverviewRow(
            pupil_id=pupil.id,
            elk_number=pupil.elk_number.value,
            name=pupil.name,
            group_id=pupil.group_id,
            group_name=group.name if group is not None else "",
            okidoc_status=okidoc.status if okidoc else OkiStatus.ONVOLLEDIG,
            okidoc_version=okidoc.version if okidoc else 0,
            facts=okidoc_facts(okidoc) if okidoc else OkiDocFacts(),
            parent_login=pupil.parent_login,
            parent_login_amsterdam=pupil.parent_login_amsterdam,
            registered_at=school.name if school is not None else None,
            registration_status=registration.status if registration is not None else None,
            priority=PriorityState.NONE
            if registration is None
            else registration_claim_state(registration),
            priority_reason="" if registration is None else registration.priority_reason,
            reason_not_placed=pupil.reason_not_placed,
            placed_at=self._placed_at(pupil.id),
        )

    def _placed_at(self, pupil_id: int) -> str | None:
        """'school (level)' in the newest published placement run."""
        published = [r for r in self._work["placement_runs"].values() if r.is_published]
        if not published:
            return None
        record = self._work["placement_records"].get(max(r.id for r in published))
        found = [o for o in record.outcomes if o.pupil_id == pupil_id] if record else []
        if not found or found[0].school_id is None or found[0].level is None:
            return None
        return f"{self._work['schools'][found[0].school_id].name} ({found[0].level.value})"

    def school_groups(self, school_id: int) -> tuple[School, Sequence[GroupChoice]]:
        """The school and its groups by name; NotFound."""
        school: School | None = self._work["schools"].get(school_id)
        if school is None:
            raise NotFound(f"School {school_id} bestaat niet.")
        groups = [g for g in self._work["groups"].values() if g.school_id == school_id]
        choices = [GroupChoice(g.id, g.name) for g in sorted(groups, key=lambda g: g.name.lower())]
        return school, choices

    def _okidoc(self, pupil_id: int) -> OkiDoc | None:
        return next((o for o in self._work["okidocs"].values() if o.pupil_id == pupil_id), None)

    def _registration(self, pupil_id: int) -> Registration | None:
        """The pupil's newest registration (a pupil has at most one per procedure)."""
        found = [r for r in self._work["registrations"].values() if r.pupil_id == pupil_id]
        return max(found, key=lambda r: r.id) if found else None

    def status_counts(self, school_ids: Iterable[int]) -> Sequence[StatusCounts]:
        """Per PO school (by name): pupils per Oki-doc status and per registration status."""
        wanted = set(school_ids)
        schools = [
            s for s in self._work["schools"].values() if s.id in wanted and s.kind is OrgKind.PO
        ]
        counts = []
        for school in sorted(schools, key=lambda s: (s.name, s.id)):
            counts.append(self._counts(school))
        return counts

    def _counts(self, school: School) -> StatusCounts:
        pupils = [p for p in self._work["pupils"].values() if p.school_id == school.id]
        status = [self._okidoc(p.id) for p in pupils]
        registrations = [self._registration(p.id) for p in pupils]
        return StatusCounts(
            school_id=school.id,
            school_name=school.name,
            board_id=school.board_id,
            pupils=len(pupils),
            onvolledig=sum(1 for o in status if o is None or o.status is OkiStatus.ONVOLLEDIG),
            volledig=sum(1 for o in status if o is not None and o.status is OkiStatus.VOLLEDIG),
            definitief=sum(1 for o in status if o is not None and o.status is OkiStatus.DEFINITIEF),
            login_sent=sum(1 for p in pupils if p.parent_login is ParentLoginStatus.SENT),
            login_activated=sum(1 for p in pupils if p.parent_login not in _NOT_ACTIVE),
            not_registered=sum(1 for r in registrations if r is None),
            registration_started=sum(
                1 for r in registrations if r is not None and r.status is RegistrationStatus.STARTED
            ),
            registration_definitive=sum(
                1
                for r in registrations
                if r is not None and r.status is RegistrationStatus.DEFINITIVE
            ),
            not_placed=sum(1 for p in pupils if p.reason_not_placed is not None),
        )


def _sort_key(sort: OverviewSort) -> Any:
    def name(row: OverviewRow) -> tuple[str, str, int]:
        return (row.name.last.lower(), row.name.first.lower(), row.pupil_id)

    if sort is OverviewSort.GROUP:
        return lambda row: (row.group_name.lower(), *name(row))
    if sort is OverviewSort.STATUS:
        return lambda row: (STATUS_ORDER[row.okidoc_status], *name(row))
    if sort is OverviewSort.ELK_NUMBER:
        return lambda row: (row.elk_number, row.pupil_id)
    return name
