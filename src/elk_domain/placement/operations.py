"""The operator's steps of a database placement (issue 16): commit, run, publish.

``commit_seed`` draws a secret seed and stores only its SHA-256, to be published before the run;
``run_placement`` takes the seed back, checks it against the commitment, builds the instance
from the definitive registrations, solves it and stores the run with each pupil's outcome;
``publish_run`` reveals the seed and queues a mail to every parent. Operators only
(``Action.RUN_PLACEMENT``). Decision 0055.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from elk_domain.errors import Conflict, NotFound, Rejected
from elk_domain.kernel.mail import OutgoingMail
from elk_domain.kernel.mail_queue import queue_mail
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action, Scope, require
from elk_domain.kernel.ports import Clock, RandomSource
from elk_domain.kernel.support import Subject, audit
from elk_domain.kernel.values import SchoolYear
from elk_domain.organisation.procedure import procedure_named
from elk_domain.placement.intake import Intake, build_instance
from elk_domain.placement.lottery import commitment
from elk_domain.placement.model import Instance
from elk_domain.placement.ports import PlacementRun, PlacementWork, RunRecord
from elk_domain.placement.records import outcomes_of, reserve_of
from elk_domain.placement.result import Result
from elk_domain.placement.run import solve

NO_COMMITMENT = (
    "Er is voor dit schooljaar nog geen SHA-256 van het zaad vastgelegd: "
    "voer eerst 'elk placement commit' uit en publiceer de SHA-256."
)
WRONG_SEED = "Het zaad past niet bij de vooraf gepubliceerde SHA-256."
ALREADY_PUBLISHED = "De plaatsing van dit schooljaar is al gepubliceerd."
NOT_RUN = "De plaatsing van dit schooljaar is nog niet uitgevoerd."
MIN_SEED = 32  # characters: 128 bits of randomness as hex (decision 0051)
SHORT_SEED = f"Het zaad is te kort: gebruik minstens {MIN_SEED} willekeurige tekens."
CAPACITY_OPEN = "De capaciteit kan tot en met {day} nog wijzigen; plaats daarna."

Progress = Callable[[str], None]


def _quiet(_step: str) -> None:
    return None


@attrs.frozen(kw_only=True)
class Committed:
    """The commitment stored, and the secret seed the operator keeps until the run."""

    run: PlacementRun
    seed: str


@attrs.frozen(kw_only=True)
class RunPlacement:
    """Run the procedure's placement of the current school year with the committed seed."""

    procedure: str
    seed: str


@attrs.frozen(kw_only=True)
class RunReport:
    """A stored run, its result, and the registrations that could not take part."""

    run: PlacementRun
    result: Result
    pupils: int
    without_advice: int
    without_choice: int


@attrs.frozen(kw_only=True)
class Published:
    """A published run: what to export for the public check, and how many mails were queued."""

    run: PlacementRun
    instance: Instance
    result: Result
    mailed: int


def _require(actor: Actor) -> None:
    require(actor, Action.RUN_PLACEMENT, Scope.region())


def _year(clock: Clock) -> SchoolYear:
    return SchoolYear.of(clock.now().date())


@attrs.frozen(kw_only=True)
class CommitSeed:
    """Commit to a seed: the administrator's own (decision 0051), or one drawn when None."""

    procedure: str
    seed: str | None = None


def commit_seed(
    uow: PlacementWork, clock: Clock, random: RandomSource, actor: Actor, command: CommitSeed
) -> Committed:
    """Store the seed's SHA-256 (a new commitment replaces an unpublished one), never the seed."""
    _require(actor)
    name = procedure_named(command.procedure).name
    seed = random.token(32) if command.seed is None else command.seed.strip()
    if len(seed) < MIN_SEED:
        raise Rejected(SHORT_SEED)
    with uow:
        current = uow.placement_runs.current(name, _year(clock))
        if current is not None and current.is_published:
            raise Conflict(ALREADY_PUBLISHED)
        run = uow.placement_runs.add(
            PlacementRun(
                id=0,
                procedure=name,
                school_year=_year(clock),
                commitment=commitment(seed),
                committed_at=clock.now(),
            )
        )
        subject = Subject(type="placement_run", id=run.id)
        audit(uow, clock, actor, "plaatsing_zaad_vastgelegd", subject, detail=run.commitment)
        uow.commit()
    return Committed(run=run, seed=seed)


def run_placement(
    uow: PlacementWork,
    clock: Clock,
    actor: Actor,
    command: RunPlacement,
    progress: Progress = _quiet,
) -> RunReport:
    """Build the instance from the registrations, solve it and store the run (one transaction)."""
    _require(actor)
    name = procedure_named(command.procedure).name
    with uow:
        run = _runnable(uow, clock, name, command.seed)
        progress("lezen")
        intake = build_instance(
            name, command.seed, uow.schools.list(), uow.placement_runs.candidates(name)
        )
        instance = attrs.evolve(intake.instance, seed_commitment=run.commitment)
        progress("plaatsen")
        result = solve(instance)
        progress("opslaan")
        stored = uow.placement_runs.record(
            attrs.evolve(run, run_at=clock.now(), oversubscribed_school_ids=_full(intake, result)),
            RunRecord(
                instance=instance,
                result=result,
                outcomes=outcomes_of(intake, result),
                reserve=reserve_of(intake, result),
            ),
        )
        audit(uow, clock, actor, "plaatsing_uitgevoerd", Subject(type="placement_run", id=run.id))
        uow.commit()
    return RunReport(
        run=stored,
        result=result,
        pupils=len(instance.pupils),
        without_advice=intake.without_advice,
        without_choice=intake.without_choice,
    )


def _runnable(uow: PlacementWork, clock: Clock, procedure: str, seed: str) -> PlacementRun:
    """The committed run of this school year, when the seed fits and the capacity is fixed."""
    run = uow.placement_runs.current(procedure, _year(clock))
    if run is None:
        raise Conflict(NO_COMMITMENT)
    if run.is_published:
        raise Conflict(ALREADY_PUBLISHED)
    if commitment(seed) != run.commitment:
        raise Rejected(WRONG_SEED)
    deadline = uow.settings.timeline().capacity_deadline
    if deadline is not None and clock.now().date() <= deadline:
        raise Conflict(CAPACITY_OPEN.format(day=deadline.strftime("%d-%m-%Y")))
    return run


def _full(intake: Intake, result: Result) -> frozenset[int]:
    return frozenset(intake.programmes[c.programme][0] for c in result.audit.oversubscribed)


@attrs.frozen(kw_only=True)
class PublishRun:
    """Publish the current school year's run; the mail links to ``portal_url``."""

    procedure: str
    portal_url: str


def publish_run(uow: PlacementWork, clock: Clock, actor: Actor, command: PublishRun) -> Published:
    """Reveal the seed and queue the mail to every parent with a login (one transaction)."""
    _require(actor)
    procedure = procedure_named(command.procedure)
    with uow:
        run = uow.placement_runs.current(procedure.name, _year(clock))
        if run is None or not run.is_run:
            raise NotFound(NOT_RUN)
        if run.is_published:
            raise Conflict(ALREADY_PUBLISHED)
        published = uow.placement_runs.publish(attrs.evolve(run, published_at=clock.now()))
        instance, result = uow.placement_runs.contents(run.id)
        names = {school.id: school.name for school in uow.schools.list()}
        addresses = uow.placement_runs.mail_addresses(run.id, procedure.portal)
        mailed = 0
        for outcome in uow.placement_runs.outcomes(run.id):
            email = addresses.get(outcome.pupil_id)
            if email is None:
                continue
            where = None if outcome.school_id is None else names.get(outcome.school_id)
            queue_mail(uow, clock, placement_mail(email, where, command.portal_url))
            mailed += 1
        subject = Subject(type="placement_run", id=run.id)
        audit(uow, clock, actor, "plaatsing_gepubliceerd", subject, detail=f"{mailed} e-mails")
        uow.commit()
    return Published(run=published, instance=instance, result=result, mailed=mailed)


def placement_mail(email: str, school: str | None, portal_url: str) -> OutgoingMail:
    """The parent's mail: where the child is placed, and the link to the explanation."""
    where = (
        f"Uw kind is geplaatst op {school}."
        if school is not None
        else "Uw kind is helaas op geen van de gekozen scholen geplaatst."
    )
    body = (
        "Beste ouder/verzorger,\n\n"
        f"De plaatsing en loting voor het voortgezet onderwijs is bekend. {where}\n\n"
        "Waarom uw kind niet op een hoger gekozen school is geplaatst, en de plek op een "
        f"reservelijst, leest u in het ouderportaal:\n{portal_url}\n\n"
        "Met vriendelijke groet,\nELK\n"
    )
    return OutgoingMail(to=email, subject="Uitslag plaatsing voortgezet onderwijs", body=body)
