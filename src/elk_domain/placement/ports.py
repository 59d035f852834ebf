"""What the database-backed placement reads and stores (issue 16, decision 0055).

A run starts as a commitment (the SHA-256 of a secret seed, published before anything is
drawn), is run once the seed is handed in, and is published: the seed revealed, the parents
mailed. The repository keeps per run the instance without names, the result with its audit,
each pupil's outcome and the reserve lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import NamedTuple, Protocol

import attrs

from elk_domain.kernel.advice import Level
from elk_domain.kernel.values import SchoolYear
from elk_domain.organisation.procedure import ParentPortal
from elk_domain.parents.ports import ParentRepositories
from elk_domain.placement.intake import Candidate
from elk_domain.placement.model import Instance
from elk_domain.placement.result import Result
from elk_domain.vo.ports import VoWork


@attrs.frozen(kw_only=True)
class PlacementRun:
    """One run of one procedure and school year: committed, then run, then published."""

    id: int
    procedure: str
    school_year: SchoolYear
    commitment: str  # SHA-256 of the seed, hex, published before the run
    committed_at: dt.datetime
    run_at: dt.datetime | None = None
    published_at: dt.datetime | None = None
    oversubscribed_school_ids: frozenset[int] = frozenset()  # schools with a reserve list

    @property
    def is_run(self) -> bool:
        """True once the placement was computed and stored."""
        return self.run_at is not None

    @property
    def is_published(self) -> bool:
        """True once the seed was revealed and the parents were mailed."""
        return self.published_at is not None


class PupilOutcome(NamedTuple):
    """Where one pupil was placed in a run (school and level, or nowhere) and their lot.

    A named tuple, not an attrs class: a national run makes 175,000 of them (decision 0055).
    """

    pupil_id: int
    school_id: int | None
    level: Level | None
    choice: int | None  # 1 = first choice; 0 = the equivalent level of the first choice
    lottery_rank: int


@attrs.frozen(kw_only=True)
class ReserveList:
    """A programme's reserve list in a run: the pupils who want it more, first in line first."""

    school_id: int
    level: Level
    pupil_ids: tuple[int, ...]


@attrs.frozen(kw_only=True)
class ReserveEntry:
    """A pupil on a programme's reserve list, 1 = first in line."""

    school_id: int
    level: Level
    position: int
    pupil_id: int


@attrs.frozen(kw_only=True)
class RunRecord:
    """What a run stores at once: the instance without names, the result, outcomes, reserve."""

    instance: Instance
    result: Result
    outcomes: Sequence[PupilOutcome]
    reserve: Sequence[ReserveList]


class PlacementRunRepository(Protocol):
    """The runs of the placement with their outcomes; the bulk read of the registrations."""

    def candidates(self, procedure: str) -> Sequence[Candidate]:
        """Every definitive registration of the procedure, with the pupil's definitive advice."""
        ...

    def current(self, procedure: str, school_year: SchoolYear) -> PlacementRun | None:
        """The newest run (or commitment) of that procedure and school year."""
        ...

    def add(self, run: PlacementRun) -> PlacementRun:
        """Store a new commitment and return it with its id."""
        ...

    def record(self, run: PlacementRun, record: RunRecord) -> PlacementRun:
        """Store the computed run (replacing an earlier computation of it); bulk writes."""
        ...

    def publish(self, run: PlacementRun) -> PlacementRun:
        """Mark the run published (``run.published_at`` set by the caller)."""
        ...

    def latest_published(self, procedure: str) -> PlacementRun | None:
        """The newest published run of the procedure."""
        ...

    def contents(self, run_id: int) -> tuple[Instance, Result]:
        """The stored instance (with the seed) and result of a run that was run."""
        ...

    def outcome(self, run_id: int, pupil_id: int) -> PupilOutcome | None:
        """The pupil's outcome in the run, if they took part."""
        ...

    def outcomes(self, run_id: int) -> Sequence[PupilOutcome]:
        """Every pupil's outcome in the run."""
        ...

    def placed_at(self, run_id: int, school_id: int) -> Sequence[PupilOutcome]:
        """The pupils placed at the school in the run."""
        ...

    def reserve_at(self, run_id: int, school_id: int) -> Sequence[ReserveEntry]:
        """The school's reserve lists in the run, per level in order (pupils still known)."""
        ...

    def mail_addresses(self, run_id: int, portal: ParentPortal) -> Mapping[int, str]:
        """Pupil id → the address of the parent account for that portal, for the run's pupils."""
        ...

    def over_subscribed_schools(self, procedure: str) -> frozenset[int]:
        """The schools with a reserve list in the newest published run (for the risk warning)."""
        ...


class PlacementRepositories(Protocol):
    """The placement's repositories."""

    placement_runs: PlacementRunRepository


class PlacementWork(PlacementRepositories, ParentRepositories, VoWork, Protocol):
    """The unit of work of the placement's use cases."""
