"""The VO school judges a priority claim at its school; the parent is mailed (R-AAN-5)."""

from __future__ import annotations

import attrs

from elk_domain.errors import Conflict, NotFound
from elk_domain.kernel.mail import OutgoingMail
from elk_domain.kernel.mail_queue import queue_mail
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.support import Subject, audit
from elk_domain.organisation.procedure import RegionalProcedure, procedure_named
from elk_domain.parents.claims import (
    ClaimJudgement,
    PriorityState,
    clean_reason,
    judgement,
    registration_claim_state,
)
from elk_domain.parents.ports import ParentsWork
from elk_domain.parents.register import parent_email
from elk_domain.parents.registration import Registration
from elk_domain.pupils.access import load_pupil
from elk_domain.pupils.model import Pupil


@attrs.frozen(kw_only=True)
class JudgePriority:
    """The VO school's decision on a priority claim at its school (R-AAN-5), with its reason
    (required when refused)."""

    pupil_id: int
    procedure: str
    granted: bool
    reason: str = ""


def judge_priority(
    uow: ParentsWork, clock: Clock, actor: Actor, command: JudgePriority
) -> Registration:
    """Record whether the claim on the definitive list is honoured, and why; queue the e-mail
    that tells the parent."""
    procedure = procedure_named(command.procedure)
    with uow:
        pupil = load_pupil(uow, actor, Action.JUDGE_PRIORITY, command.pupil_id)
        reason = clean_reason(command.reason, granted=command.granted)
        registration = uow.registrations.for_pupil(pupil.id, procedure.name)
        if registration is None or registration_claim_state(registration) is PriorityState.NONE:
            raise Conflict("Bij deze aanmelding is geen voorrang aangevraagd.")
        changed = attrs.evolve(
            registration, priority_granted=command.granted, priority_reason=reason
        )
        stored = uow.registrations.update(changed)
        verdict = "gehonoreerd" if command.granted else "niet gehonoreerd"
        subject = Subject(type="registration", id=stored.id, school_id=pupil.school_id)
        audit(uow, clock, actor, "voorrang_beoordeeld", subject, detail=verdict)
        email = parent_email(uow, pupil, procedure)
        if email is not None:
            mail = _priority_mail(email, pupil, command.granted, reason, procedure)
            queue_mail(uow, clock, mail)
        uow.commit()
        return stored


def priority_state(uow: ParentsWork, actor: Actor, procedure: str) -> ClaimJudgement:
    """The parent's (or staff's) view of the pupil's claim: not judged, granted, or refused
    with the reason. Only the definitive list's claim; a draft's claim is not judged."""
    if actor.pupil_id is None:
        raise NotFound("Er is geen leerling bij deze inlog.")
    with uow:
        pupil = load_pupil(uow, actor, Action.VIEW_PUPIL, actor.pupil_id)
        registration = uow.registrations.for_pupil(pupil.id, procedure_named(procedure).name)
    return judgement(registration)


def _priority_mail(
    email: str, pupil: Pupil, granted: bool, reason: str, procedure: RegionalProcedure
) -> OutgoingMail:
    verdict = "door de VO-school gehonoreerd" if granted else "niet gehonoreerd"
    because = f"Toelichting van de VO-school: {reason}\n\n" if reason else ""
    body = (
        "Beste ouder/verzorger,\n\n"
        f"Bij de aanmelding van {pupil.name.first} bij het Voortgezet Onderwijs heeft u "
        f"aangegeven dat er sprake was van voorrang. Deze voorrang is {verdict}.\n\n"
        f"{because}"
        f"Met vriendelijke groet,\n{procedure.label}\n"
    )
    return OutgoingMail(to=email, subject="Beoordeling voorrang", body=body)
