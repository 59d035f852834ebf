"""Repositories of the parents' side: parent logins and registrations at VO schools."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from elk_domain.okidoc.ports import OkidocWork
from elk_domain.organisation.procedure import ParentPortal
from elk_domain.parents.account import CorrectionRequest, OrientationEntry, ParentAccount
from elk_domain.parents.registration import Registration


class ParentAccountRepository(Protocol):
    """Parent logins, one per pupil and portal (R-OUD-2)."""

    def for_pupil(self, pupil_id: int, portal: ParentPortal) -> ParentAccount | None:
        """The pupil's account for that portal, if a login was sent."""
        ...

    def get(self, account_id: int) -> ParentAccount:
        """Raises NotFound."""
        ...

    def by_elk_number(self, elk_number: int, portal: ParentPortal) -> ParentAccount | None:
        """The account of the pupil with this ELK number (the parent's username, R-AUTH-6)."""
        ...

    def by_token_digest(self, digest: str) -> ParentAccount | None:
        """The account whose pending set-password token has this digest."""
        ...

    def add(self, account: ParentAccount) -> ParentAccount:
        """Store a new account and return it with its id."""
        ...

    def update(self, account: ParentAccount) -> ParentAccount:
        """Save changes; raises Conflict on a stale version. Returns the new version."""
        ...


class RegistrationRepository(Protocol):
    """Registrations by parents, one per pupil and procedure (R-AAN)."""

    def for_pupil(self, pupil_id: int, procedure: str) -> Registration | None:
        """The pupil's registration in that procedure, if any."""
        ...

    def at_school(self, school_id: int) -> Sequence[Registration]:
        """Registrations the VO school sees: definitive ones with it as first choice."""
        ...

    def first_choice_counts(self, school_ids: Iterable[int]) -> Mapping[int, int]:
        """Per school, how many definitive registrations have it as first choice."""
        ...

    def add(self, registration: Registration) -> Registration:
        """Store a new registration and return it with its id."""
        ...

    def update(self, registration: Registration) -> Registration:
        """Save changes; raises Conflict on a stale version. Returns the new version."""
        ...


class CorrectionRequestRepository(Protocol):
    """Parents' requests to correct their child's data (R-OUD-3)."""

    def add(self, request: CorrectionRequest) -> CorrectionRequest:
        """Store a new request and return it with its id."""
        ...

    def for_pupil(self, pupil_id: int) -> Sequence[CorrectionRequest]:
        """The requests about one pupil, newest first."""
        ...

    def for_school(self, school_id: int) -> Sequence[CorrectionRequest]:
        """The requests for one school, newest first."""
        ...


class OrientationListRepository(Protocol):
    """The orientation lists of praktijkscholen and tussenvoorzieningen (R-AAN-6)."""

    def placeable_schools(self, pupil_id: int) -> frozenset[int]:
        """The VO schools whose orientation list holds the pupil as placeable."""
        ...

    def save(self, entry: OrientationEntry) -> OrientationEntry:
        """Add the pupil to the school's list or change the entry; returns it with its id."""
        ...


class ParentRepositories(Protocol):
    """The parents' repositories."""

    parent_accounts: ParentAccountRepository
    registrations: RegistrationRepository
    correction_requests: CorrectionRequestRepository
    orientation_lists: OrientationListRepository


class PastPlacements(Protocol):
    """What the parents' risk warning reads of earlier placement runs (the placement area's
    repository satisfies it; the parents' area sits below placement, so it names only this)."""

    def over_subscribed_schools(self, procedure: str) -> frozenset[int]:
        """The schools with a reserve list in the newest published run of the procedure."""
        ...


class ParentsWork(ParentRepositories, OkidocWork, Protocol):
    """The unit of work of the parents' use cases (the full registrations port included)."""

    @property
    def placement_runs(self) -> PastPlacements:
        """Earlier placement runs, read for the risk warning (decision 0049)."""
        ...
