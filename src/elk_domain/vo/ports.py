"""What the VO school's use cases read: registrations, pupils, their Oki-docs and schools, and
the region's read model."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from elk_domain.okidoc.ports import OkidocWork
from elk_domain.parents.ports import RegistrationRepository
from elk_domain.vo.model import AdviceCount, UnregisteredPupil


class VoRegionQuery(Protocol):
    """The read model behind the region's overviews (issue 15 item 7): a fixed number of
    queries, whatever the number of schools."""

    def advice_counts(self, school_ids: Iterable[int]) -> Sequence[AdviceCount]:
        """Per VO school among these and definitive advice: its definitive first choices."""
        ...

    def unregistered(self, school_ids: Iterable[int]) -> Sequence[UnregisteredPupil]:
        """The pupils of these PO schools without a definitive registration, by school name
        and pupil name."""
        ...


class VoRepositories(Protocol):
    """The repositories only the VO side adds to the Oki-doc's."""

    registrations: RegistrationRepository
    vo_region: VoRegionQuery


class VoWork(VoRepositories, OkidocWork, Protocol):
    """The unit of work of the VO school's use cases."""
