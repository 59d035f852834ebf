"""Parents register their child (R-AAN-1..4); the VO school judges a priority claim (R-AAN-5)."""

from __future__ import annotations

import attrs

from elk_domain.errors import Conflict, Rejected
from elk_domain.kernel.advice import Advice, parse_advice
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.mail import OutgoingMail
from elk_domain.kernel.mail_queue import queue_mail
from elk_domain.kernel.people import Actor, OrgKind
from elk_domain.kernel.permissions import Action
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.support import Subject, audit
from elk_domain.kernel.values import single_line
from elk_domain.okidoc import fields
from elk_domain.organisation.model import School
from elk_domain.organisation.procedure import RegionalProcedure, procedure_named
from elk_domain.parents.eligibility import LoginEvent, advance, login_status, with_login_status
from elk_domain.parents.ports import ParentsWork
from elk_domain.parents.registration import (
    PreferenceList,
    Registration,
    RegistrationStatus,
    check_registration,
    next_status,
    schools_fitting,
)
from elk_domain.pupils.access import load_pupil
from elk_domain.pupils.model import Pupil

NO_ADVICE = "Er is nog geen definitief advies ingevuld; aanmelden kan nog niet."


def definitive_advice(uow: ParentsWork, pupil: Pupil) -> Advice:
    """The definitive advice from the pupil's Oki-doc; Rejected when it is not there yet."""
    raw = uow.okidocs.for_pupil(pupil.id).value(fields.ADVICE_DEFINITIVE)
    if not isinstance(raw, str) or not raw.strip():
        raise Rejected(NO_ADVICE)
    return parse_advice(raw)


def _vo_schools(uow: ParentsWork) -> dict[int, School]:
    return {s.id: s for s in uow.schools.list() if s.kind is OrgKind.VO}


def invulhulp(uow: ParentsWork, actor: Actor, pupil_id: int) -> list[School]:
    """R-AAN-1: the VO schools that fit the child's definitive advice."""
    with uow:
        pupil = load_pupil(uow, actor, Action.REGISTER, pupil_id)
        return schools_fitting(definitive_advice(uow, pupil), _vo_schools(uow).values())


@attrs.frozen(kw_only=True)
class SaveRegistration:
    """Save the preference list as a draft (AG) or make it definitive (AV)."""

    pupil_id: int
    procedure: str
    preferences: PreferenceList
    definitive: bool = False


def save_registration(
    uow: ParentsWork,
    clock: Clock,
    actor: Actor,
    command: SaveRegistration,
    *,
    login_url: str,
) -> Registration:
    """Check every rule at once, store, move the login status, queue the confirmation of a
    definitive one (the mail goes out through the outbox once this commits)."""
    procedure = procedure_named(command.procedure)
    with uow:
        pupil = load_pupil(uow, actor, Action.REGISTER, command.pupil_id)
        previous = uow.registrations.for_pupil(pupil.id, procedure.name)
        problems = check_registration(
            command.preferences,
            advice=definitive_advice(uow, pupil),
            procedure=procedure,
            schools=_vo_schools(uow),
            today=clock.now().date(),
            timeline=uow.settings.timeline(),
            definitive=command.definitive,
            previous=previous,
        )
        if problems:
            raise Rejected("De aanmelding is niet opgeslagen.", violations=problems)
        stored = _store(uow, clock, pupil, procedure, previous, command)
        _move_login_status(uow, pupil, procedure, previous, stored)
        subject = Subject(type="registration", id=stored.id, school_id=pupil.school_id)
        change = FieldChange("voorkeuren", _ids(previous), _ids(stored))
        audit(uow, clock, actor, f"aanmelding_{stored.status.value}", subject, change)
        if stored.status is RegistrationStatus.DEFINITIVE:
            _confirm(uow, clock, pupil, procedure, login_url)
        uow.commit()
        return stored


def _store(
    uow: ParentsWork,
    clock: Clock,
    pupil: Pupil,
    procedure: RegionalProcedure,
    previous: Registration | None,
    command: SaveRegistration,
) -> Registration:
    status = next_status(None if previous is None else previous.status, command.definitive)
    now = clock.now()
    base = previous or Registration(
        id=0,
        pupil_id=pupil.id,
        procedure=procedure.name,
        preferences=command.preferences,
        updated_at=now,
    )
    registration = attrs.evolve(
        base,
        preferences=command.preferences,
        status=status,
        updated_at=now,
        definitive_at=now if status is RegistrationStatus.DEFINITIVE else None,
        priority_granted=None,  # a changed list needs a fresh judgement
    )
    if previous is None:
        return uow.registrations.add(registration)
    return uow.registrations.update(registration)


def _move_login_status(
    uow: ParentsWork,
    pupil: Pupil,
    procedure: RegionalProcedure,
    previous: Registration | None,
    stored: Registration,
) -> None:
    status = login_status(pupil, procedure.portal)
    if previous is not None and previous.status is RegistrationStatus.DEFINITIVE:
        status = advance(status, LoginEvent.REOPEN_REGISTRATION)
    definitive = stored.status is RegistrationStatus.DEFINITIVE
    status = advance(
        status, LoginEvent.COMPLETE_REGISTRATION if definitive else LoginEvent.START_REGISTRATION
    )
    uow.pupils.update(with_login_status(pupil, procedure.portal, status))


def _ids(registration: Registration | None) -> str | None:
    if registration is None:
        return None
    return ", ".join(str(i) for i in registration.preferences.school_ids)


def _parent_email(uow: ParentsWork, pupil: Pupil, procedure: RegionalProcedure) -> str | None:
    account = uow.parent_accounts.for_pupil(pupil.id, procedure.portal)
    return None if account is None else account.email


def _confirm(
    uow: ParentsWork, clock: Clock, pupil: Pupil, procedure: RegionalProcedure, login_url: str
) -> None:
    email = _parent_email(uow, pupil, procedure)
    if email is None:
        return
    first = pupil.name.first
    body = (
        "Beste ouder/verzorger,\n\n"
        f"U heeft {first} aangemeld bij het Voortgezet Onderwijs. De aanmelding en "
        f"voorkeurslijst kunt u terugzien op {login_url}. U logt hier in met uw gebruikersnaam "
        "en het door u gekozen wachtwoord.\n\n"
        f"Met vriendelijke groet,\n{procedure.label}\n"
    )
    subject = single_line(f"Aanmelding van {first} ontvangen")
    queue_mail(uow, clock, OutgoingMail(to=email, subject=subject, body=body))


@attrs.frozen(kw_only=True)
class JudgePriority:
    """The VO school's decision on a priority claim at its school (R-AAN-5)."""

    pupil_id: int
    procedure: str
    granted: bool


def judge_priority(
    uow: ParentsWork, clock: Clock, actor: Actor, command: JudgePriority
) -> Registration:
    """Record whether the claim is honoured and queue the e-mail that tells the parent."""
    procedure = procedure_named(command.procedure)
    with uow:
        pupil = load_pupil(uow, actor, Action.JUDGE_PRIORITY, command.pupil_id)
        registration = uow.registrations.for_pupil(pupil.id, procedure.name)
        if registration is None or registration.preferences.first_choice.priority_claim is None:
            raise Conflict("Bij deze aanmelding is geen voorrang aangevraagd.")
        stored = uow.registrations.update(
            attrs.evolve(registration, priority_granted=command.granted)
        )
        verdict = "gehonoreerd" if command.granted else "niet gehonoreerd"
        subject = Subject(type="registration", id=stored.id, school_id=pupil.school_id)
        audit(uow, clock, actor, "voorrang_beoordeeld", subject, detail=verdict)
        email = _parent_email(uow, pupil, procedure)
        if email is not None:
            queue_mail(uow, clock, _priority_mail(email, pupil, command.granted, procedure))
        uow.commit()
        return stored


def _priority_mail(
    email: str, pupil: Pupil, granted: bool, procedure: RegionalProcedure
) -> OutgoingMail:
    verdict = "door de VO-school gehonoreerd" if granted else "niet gehonoreerd"
    body = (
        "Beste ouder/verzorger,\n\n"
        f"Bij de aanmelding van {pupil.name.first} bij het Voortgezet Onderwijs heeft u "
        f"aangegeven dat er sprake was van voorrang. Deze voorrang is {verdict}.\n\n"
        f"Met vriendelijke groet,\n{procedure.label}\n"
    )
    return OutgoingMail(to=email, subject="Beoordeling voorrang", body=body)
