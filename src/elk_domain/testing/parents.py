"""In-memory registrations (preference lists) and parent accounts."""

from __future__ import annotations

import collections
from collections.abc import Iterable, Mapping, Sequence

import attrs

from elk_domain.organisation.procedure import ParentPortal
from elk_domain.parents.account import CorrectionRequest, OrientationEntry, ParentAccount
from elk_domain.parents.registration import Registration
from elk_domain.testing.store import Table

__all__ = [
    "InMemoryCorrectionRequestRepository",
    "InMemoryParentAccountRepository",
    "InMemoryRegistrationRepository",
]


class InMemoryRegistrationRepository(Table[Registration]):
    """Registrations."""

    label = "Aanmelding"
    table = "registrations"

    def for_pupil(self, pupil_id: int, procedure: str) -> Registration | None:
        """The pupil's registration in that procedure."""
        return next(
            (r for r in self._rows.values() if (r.pupil_id, r.procedure) == (pupil_id, procedure)),
            None,
        )

    def first_choice_counts(self, school_ids: Iterable[int]) -> Mapping[int, int]:
        """Per school, definitive registrations with it as first choice."""
        wanted = set(school_ids)
        counts = collections.Counter(
            first for r in self._rows.values() for first in r.registered_at() if first in wanted
        )
        return dict(counts)

    def at_school(self, school_id: int) -> Sequence[Registration]:
        """Definitive registrations with the school as first choice."""
        return self._select(
            lambda r: school_id in r.registered_at(),
            lambda r: r.id,
        )


class InMemoryParentAccountRepository(Table[ParentAccount]):
    """Parent accounts."""

    label = "Ouderaccount"
    table = "parent_accounts"

    def for_pupil(self, pupil_id: int, portal: ParentPortal) -> ParentAccount | None:
        """The pupil's account for that portal."""
        return next(
            (a for a in self._rows.values() if (a.pupil_id, a.portal) == (pupil_id, portal)), None
        )

    def by_elk_number(self, elk_number: int, portal: ParentPortal) -> ParentAccount | None:
        """The account of the pupil with this ELK number."""
        pupils = self._work["pupils"].values()
        pupil = next((p for p in pupils if p.elk_number.value == elk_number), None)
        return None if pupil is None else self.for_pupil(pupil.id, portal)

    def by_token_digest(self, digest: str) -> ParentAccount | None:
        """The account with this pending token digest."""
        return next((a for a in self._rows.values() if a.token_digest == digest), None)


class InMemoryCorrectionRequestRepository(Table[CorrectionRequest]):
    """Parents' correction requests."""

    label = "Correctieverzoek"
    table = "correction_requests"

    def for_pupil(self, pupil_id: int) -> Sequence[CorrectionRequest]:
        """The requests about the pupil, newest first."""
        return self._select(lambda r: r.pupil_id == pupil_id, _newest_first)

    def for_school(self, school_id: int) -> Sequence[CorrectionRequest]:
        """The requests for the school, newest first."""
        return self._select(lambda r: r.school_id == school_id, lambda r: (r.created_at, r.id))[
            ::-1
        ]


def _newest_first(request: CorrectionRequest) -> tuple[float, int]:
    return (-request.created_at.timestamp(), -request.id)


class InMemoryOrientationListRepository(Table[OrientationEntry]):
    """The orientation lists."""

    label = "Oriëntatielijst"
    table = "orientation_lists"

    def placeable_schools(self, pupil_id: int) -> frozenset[int]:
        """The VO schools whose list holds the pupil as placeable."""
        return frozenset(
            e.vo_school_id for e in self._rows.values() if e.pupil_id == pupil_id and e.placeable
        )

    def save(self, entry: OrientationEntry) -> OrientationEntry:
        """Add the entry, or change the one for this school and pupil."""
        for stored in self._rows.values():
            if (stored.vo_school_id, stored.pupil_id) == (entry.vo_school_id, entry.pupil_id):
                return self.update(attrs.evolve(entry, id=stored.id, version=stored.version))
        return self.add(entry)
