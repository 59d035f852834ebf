"""A batch of OSO work, one pupil per job, and the port of the engine that runs it (R-OSO-3/6/8).

The use cases decide what each pupil's job does (``sync``, ``transfer``); the batch
engine (``OsoBatch``, in production ``elk_adapters.oso.batch``) decides how many run at once,
which OSO gateway each gets, and what an interruption means. Every job runs in a transaction of
its own, so jobs may run in any order and at the same time. Decision record: 0040.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Protocol

import attrs

from elk_domain.errors import Violation
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.ports import Clock, FileStore
from elk_domain.kernel.values import Bsn
from elk_domain.oso.dossiers.dossier import RuleMessage
from elk_domain.oso.dossiers.merge import MergeMode
from elk_domain.oso.ports import OsoGateway, OsoWork


class SyncOutcome(enum.Enum):
    """What happened to one pupil; REJECTED and ERROR count as failures of the batch."""

    SYNCED = "gesynchroniseerd"
    CREATED = "aangemaakt"  # "Aanvragen overdracht" created the pupil from the dossier
    NO_DOSSIER = "geen_dossier"
    REFUSED = "niet_gewijzigd"  # the Oki-doc is Definitief: nothing changed
    REJECTED = "afgekeurd"  # OSO refused, or the dossier is unusable (another BRIN, invalid)
    ERROR = "fout"  # OSO did not answer, or somebody changed the Oki-doc meanwhile

    @property
    def label(self) -> str:
        """Dutch label for the result table."""
        return _LABELS[self]

    @property
    def failed(self) -> bool:
        """True when the pupil needs another try or a fix (the CLI exits non-zero)."""
        return self in (SyncOutcome.REJECTED, SyncOutcome.ERROR)


_LABELS = {
    SyncOutcome.SYNCED: "Gesynchroniseerd",
    SyncOutcome.CREATED: "Leerling aangemaakt",
    SyncOutcome.NO_DOSSIER: "Geen dossier klaar",
    SyncOutcome.REFUSED: "Niet gewijzigd",
    SyncOutcome.REJECTED: "Afgekeurd",
    SyncOutcome.ERROR: "Fout",
}


@attrs.frozen(kw_only=True)
class PupilSync:
    """The result for one pupil: outcome, why, and the changes (also of a preview)."""

    outcome: SyncOutcome
    pupil_id: int | None = None
    bsn: Bsn | None = None
    message: str = ""
    changes: tuple[FieldChange, ...] = ()
    needs_manual: tuple[Violation, ...] = ()
    to_check: tuple[Violation, ...] = ()  # an advice inferred from its OSO code (decision 0005)
    # What the official business rules said about the dossier: fix it in the LAS (decision 0044).
    rule_messages: tuple[RuleMessage, ...] = ()

    @property
    def change_count(self) -> int:
        """How many fields and records changed (or would change, in a preview)."""
        return len(self.changes)


@attrs.frozen(kw_only=True)
class SyncReport:
    """The result of a batch, one item per pupil in the order asked.

    ``interrupted``: the operator stopped the batch (Ctrl-C); the pupils in progress were
    finished and are in ``items``, the others were not started.
    """

    mode: MergeMode
    preview: bool = False
    items: tuple[PupilSync, ...] = ()
    interrupted: bool = False

    def counts(self) -> dict[SyncOutcome, int]:
        """How many pupils had each outcome (outcomes that did not occur are left out)."""
        return dict(Counter(item.outcome for item in self.items))

    @property
    def failed(self) -> bool:
        """True when any pupil was rejected or hit an error."""
        return any(item.outcome.failed for item in self.items)

    @property
    def breaking_rules(self) -> tuple[PupilSync, ...]:
        """The pupils whose dossier broke the official business rules (fix it in the LAS)."""
        return tuple(item for item in self.items if item.rule_messages)


Progress = Callable[[PupilSync], None]


@attrs.frozen(kw_only=True)
class OsoJob:
    """One pupil's share of a batch: the work, given an OSO gateway, and whom it is about."""

    work: Callable[[OsoGateway], PupilSync]
    pupil_id: int | None = None
    bsn: Bsn | None = None

    def crashed(self, error: Exception) -> PupilSync:
        """The pupil's result when the work crashed (a bug): reported, and the batch goes on."""
        return PupilSync(
            outcome=SyncOutcome.ERROR,
            pupil_id=self.pupil_id,
            bsn=self.bsn,
            message=f"Onverwachte fout ({type(error).__name__}): {error}",
        )


@attrs.frozen
class BatchRun:
    """What an engine did with a batch: the results in the order of the jobs, and whether the
    operator stopped it before every job had started."""

    items: tuple[PupilSync, ...]
    interrupted: bool = False


class OsoBatch(Protocol):
    """The batch engine: runs jobs, each with an OSO gateway, as many at once as it is set to.

    Each job gets a gateway it may use alone or share (the engine knows which is safe);
    ``progress`` hears each result as its job ends, in any order. A job that raises is its
    pupil's ``OsoJob.crashed`` result; the others go on. On an interruption (Ctrl-C) the jobs
    in progress are finished and the rest are not started.
    """

    def run(self, jobs: Sequence[OsoJob], progress: Progress | None = None) -> BatchRun:
        """Run ``jobs``; the results come back in the order of ``jobs``."""
        ...


@attrs.frozen
class BatchPorts:
    """The ports every OSO batch use case needs, bundled so that they and callers name them once."""

    uow_factory: Callable[[], OsoWork]  # a unit of work of its own per job and per check
    batch: OsoBatch
    files: FileStore
    clock: Clock
