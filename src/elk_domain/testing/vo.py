"""The region's VO read model over the in-memory tables: the reference the SQL must match."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from elk_domain.okidoc import fields
from elk_domain.parents.registration import Registration, RegistrationStatus
from elk_domain.pupils.model import Pupil
from elk_domain.testing.store import Rows
from elk_domain.vo.model import AdviceCount, UnregisteredPupil

__all__ = ["InMemoryVoRegionQuery"]


class InMemoryVoRegionQuery:
    """Satisfies ``elk_domain.vo.ports.VoRegionQuery`` from the working tables."""

    def __init__(self, work: Rows) -> None:
        self._work = work

    def _registrations(self) -> list[Registration]:
        return list(self._work["registrations"].values())

    def _advice(self, pupil_id: int) -> str | None:
        okidoc = next((o for o in self._work["okidocs"].values() if o.pupil_id == pupil_id), None)
        raw = None if okidoc is None else okidoc.value(fields.ADVICE_DEFINITIVE)
        return raw.strip() or None if isinstance(raw, str) else None

    def advice_counts(self, school_ids: Iterable[int]) -> Sequence[AdviceCount]:
        """Per VO school among these and definitive advice: its definitive first choices."""
        wanted = set(school_ids)
        counted: Counter[tuple[int, str | None]] = Counter()
        for registration in self._registrations():
            for school_id in registration.registered_at() & wanted:
                counted[(school_id, self._advice(registration.pupil_id))] += 1
        return [AdviceCount(s, a, n) for (s, a), n in counted.items()]

    def unregistered(self, school_ids: Iterable[int]) -> Sequence[UnregisteredPupil]:
        """The pupils of these PO schools without a definitive registration, by school and name."""
        wanted = set(school_ids)
        schools = self._work["schools"]
        status: dict[int, set[RegistrationStatus]] = {}
        for registration in self._registrations():
            status.setdefault(registration.pupil_id, set()).add(registration.status)
        pupils: list[Pupil] = [
            p
            for p in self._work["pupils"].values()
            if p.school_id in wanted and RegistrationStatus.DEFINITIVE not in status.get(p.id, ())
        ]
        found = [
            UnregisteredPupil(
                pupil_id=p.id,
                elk_number=p.elk_number,
                name=p.name,
                school_id=p.school_id,
                school_name=schools[p.school_id].name,
                started=p.id in status,
                reason_not_placed=p.reason_not_placed,
            )
            for p in pupils
        ]
        return sorted(found, key=_order)


def _order(pupil: UnregisteredPupil) -> tuple[str, int, str, str, int]:
    name = pupil.name
    return (
        pupil.school_name,
        pupil.school_id,
        name.last.lower(),
        name.first.lower(),
        pupil.pupil_id,
    )
