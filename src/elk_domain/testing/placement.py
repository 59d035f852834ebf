"""In-memory placement runs: commitments, computed runs and their outcomes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from elk_domain.errors import NotFound
from elk_domain.kernel.advice import readable_advice
from elk_domain.kernel.values import SchoolYear
from elk_domain.okidoc import fields
from elk_domain.organisation.procedure import ParentPortal
from elk_domain.placement.intake import Candidate
from elk_domain.placement.model import Instance
from elk_domain.placement.ports import PlacementRun, PupilOutcome, ReserveEntry, RunRecord
from elk_domain.placement.result import Result
from elk_domain.testing.store import Table

__all__ = ["InMemoryPlacementRunRepository"]


class InMemoryPlacementRunRepository(Table[PlacementRun]):
    """Runs in ``placement_runs``; what each run computed in ``placement_records`` (same id)."""

    label = "Plaatsing"
    table = "placement_runs"

    def candidates(self, procedure: str) -> Sequence[Candidate]:
        """Definitive registrations of the procedure with the pupil's definitive advice."""
        found = []
        for registration in self._work["registrations"].values():
            if registration.procedure != procedure or registration.definitive is None:
                continue
            pupil = self._work["pupils"][registration.pupil_id]
            okidoc = next(
                (d for d in self._work["okidocs"].values() if d.pupil_id == pupil.id), None
            )
            raw = None if okidoc is None else okidoc.value(fields.ADVICE_DEFINITIVE)
            listed = registration.definitive
            found.append(
                Candidate(
                    pupil_id=pupil.id,
                    elk_number=pupil.elk_number.value,
                    primary_school_id=pupil.school_id,
                    last_name=pupil.name.last,
                    birth_date=pupil.birth_date,
                    advice=readable_advice(raw),
                    school_ids=listed.school_ids,
                    equivalent_level=listed.first_choice.equivalent_level,
                    multiple_birth=listed.first_choice.multiple_birth,
                    priority_granted=registration.priority_granted,
                )
            )
        return found

    def current(self, procedure: str, school_year: SchoolYear) -> PlacementRun | None:
        """The newest run of that procedure and year."""
        runs = self._select(
            lambda r: (r.procedure, r.school_year) == (procedure, school_year), lambda r: r.id
        )
        return runs[-1] if runs else None

    def record(self, run: PlacementRun, record: RunRecord) -> PlacementRun:
        """Store the computed run."""
        self._rows[run.id] = run
        self._work["placement_records"][run.id] = record
        return run

    def publish(self, run: PlacementRun) -> PlacementRun:
        """Mark published."""
        self._rows[run.id] = run
        return run

    def latest_published(self, procedure: str) -> PlacementRun | None:
        """The newest published run of the procedure."""
        runs = self._select(lambda r: r.procedure == procedure and r.is_published, lambda r: r.id)
        return runs[-1] if runs else None

    def _record(self, run_id: int) -> RunRecord:
        record: RunRecord | None = self._work["placement_records"].get(run_id)
        if record is None:
            raise NotFound(f"Plaatsing {run_id} is niet uitgevoerd.")
        return record

    def contents(self, run_id: int) -> tuple[Instance, Result]:
        """The stored instance and result."""
        record = self._record(run_id)
        return record.instance, record.result

    def outcome(self, run_id: int, pupil_id: int) -> PupilOutcome | None:
        """The pupil's outcome."""
        return next((o for o in self.outcomes(run_id) if o.pupil_id == pupil_id), None)

    def outcomes(self, run_id: int) -> Sequence[PupilOutcome]:
        """Every outcome of the run."""
        return list(self._record(run_id).outcomes)

    def placed_at(self, run_id: int, school_id: int) -> Sequence[PupilOutcome]:
        """The pupils placed at the school."""
        return [o for o in self.outcomes(run_id) if o.school_id == school_id]

    def reserve_at(self, run_id: int, school_id: int) -> Sequence[ReserveEntry]:
        """The school's reserve lists, per level in order."""
        known = self._work["pupils"]
        lists = [r for r in self._record(run_id).reserve if r.school_id == school_id]
        return [
            ReserveEntry(school_id=school_id, level=r.level, position=n, pupil_id=pupil_id)
            for r in sorted(lists, key=lambda r: r.level.rank)
            for n, pupil_id in enumerate((i for i in r.pupil_ids if i in known), start=1)
        ]

    def mail_addresses(self, run_id: int, portal: ParentPortal) -> Mapping[int, str]:
        """Pupil id → the parent account's address for that portal, for the run's pupils."""
        taking_part = {o.pupil_id for o in self.outcomes(run_id)}
        return {
            a.pupil_id: a.email
            for a in self._work["parent_accounts"].values()
            if a.portal is portal and a.pupil_id in taking_part
        }

    def over_subscribed_schools(self, procedure: str) -> frozenset[int]:
        """Schools with a reserve list in the newest published run."""
        run = self.latest_published(procedure)
        return frozenset() if run is None else run.oversubscribed_school_ids
