"""Parents register their child (R-AAN-1..4): the invulhulp, saving, making definitive."""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.errors import Message, Rejected
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
from elk_domain.organisation.procedure import (
    RegionalProcedure,
)
from elk_domain.parents.eligibility import LoginEvent, advance, login_status, with_login_status
from elk_domain.parents.ports import ParentsWork
from elk_domain.parents.procedure_choice import procedure_for
from elk_domain.parents.registration import (
    PastRegistration,
    PreferenceList,
    Registration,
    RegistrationStatus,
    check_registration,
)
from elk_domain.pupils.access import load_pupil
from elk_domain.pupils.model import Pupil

NO_ADVICE = Message("Er is nog geen definitief advies ingevuld; aanmelden kan nog niet.")


def definitive_advice(uow: ParentsWork, pupil: Pupil) -> Advice:
    """The definitive advice from the pupil's Oki-doc; Rejected when it is not there yet."""
    raw = uow.okidocs.for_pupil(pupil.id).value(fields.ADVICE_DEFINITIVE)
    if not isinstance(raw, str) or not raw.strip():
        raise Rejected(NO_ADVICE)
    return parse_advice(raw)


def placeable_schools(
    uow: ParentsWork, pupil: Pupil, procedure: RegionalProcedure
) -> frozenset[int]:
    """R-AAN-6: the schools whose orientation list holds the pupil as placeable (read only when
    the procedure has the rule)."""
    if not procedure.orientation_school_types:
        return frozenset()
    return uow.orientation_lists.placeable_schools(pupil.id)


def _vo_schools(uow: ParentsWork) -> dict[int, School]:
    return {s.id: s for s in uow.schools.list() if s.kind is OrgKind.VO}


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
    with uow:
        saving = RegistrationSave.load(uow, clock, actor, command.pupil_id, command.procedure)
        stored = saving.save(command.preferences, definitive=command.definitive,
                             login_url=login_url)  # fmt: skip
        uow.commit()
        return stored


@attrs.frozen(kw_only=True)
class RegistrationSave:
    """One parent's save, inside a unit of work: the pupil, the procedure, the stored list;
    ``save`` checks every rule at once, stores, moves the login status, audits and confirms."""

    uow: ParentsWork
    clock: Clock
    actor: Actor
    pupil: Pupil
    procedure: RegionalProcedure
    previous: Registration | None

    @classmethod
    def load(
        cls, uow: ParentsWork, clock: Clock, actor: Actor, pupil_id: int, procedure: str
    ) -> RegistrationSave:
        """Load the pupil (permission first) and the stored registration."""
        pupil = load_pupil(uow, actor, Action.REGISTER, pupil_id)
        regional = procedure_for(uow, actor, procedure)
        previous = uow.registrations.for_pupil(pupil.id, regional.name)
        return cls(uow=uow, clock=clock, actor=actor, pupil=pupil, procedure=regional,
                   previous=previous)  # fmt: skip

    def subject(self, registration: Registration) -> Subject:
        """The audit subject of the registration."""
        return Subject(type="registration", id=registration.id, school_id=self.pupil.school_id)

    def save(self, wanted: PreferenceList, *, definitive: bool, login_url: str) -> Registration:
        """Store ``wanted`` as the list being worked on, or make it definitive."""
        uow, pupil, procedure, previous = self.uow, self.pupil, self.procedure, self.previous
        problems = check_registration(
            wanted,
            advice=definitive_advice(uow, pupil),
            procedure=procedure,
            schools=_vo_schools(uow),
            today=self.clock.now().date(),
            timeline=uow.settings.timeline(),
            definitive=definitive,
            previous=previous,
            placeable_at=placeable_schools(uow, pupil, procedure),
        )
        if problems:
            raise Rejected(Message("De aanmelding is niet opgeslagen."), violations=problems)
        stored = self._store(wanted, definitive=definitive)
        _move_login_status(uow, pupil, procedure, stored)
        change = changed_ids(previous, stored)
        action = "aanmelding_AV" if definitive else "aanmelding_opgeslagen"
        audit(uow, self.clock, self.actor, action, self.subject(stored), change)
        if definitive:
            _confirm(uow, self.clock, pupil, procedure, login_url)
        return stored

    def _store(self, wanted: PreferenceList, *, definitive: bool) -> Registration:
        now = self.clock.now()
        base = self.previous or Registration(
            id=0, pupil_id=self.pupil.id, procedure=self.procedure.name, preferences=wanted,
            updated_at=now,
        )  # fmt: skip
        changed = attrs.evolve(base, preferences=wanted, updated_at=now)
        if definitive:
            changed = _made_definitive(changed, now)
        if self.previous is None:
            return self.uow.registrations.add(changed)
        return self.uow.registrations.update(changed)


def _made_definitive(registration: Registration, now: dt.datetime) -> Registration:
    """The parent's list becomes the one that counts; an earlier definitive list goes to the
    history, and a priority judgement survives only when school and claim are unchanged."""
    new, old = registration.preferences, registration.definitive
    history = registration.history
    if old is not None and registration.definitive_at is not None and old != new:
        past = PastRegistration(preferences=old, definitive_at=registration.definitive_at,
                                replaced_at=now)  # fmt: skip
        history = (*history, past)
    same_claim = old is not None and (old.first_choice_id, old.first_choice.priority_claim) == (
        new.first_choice_id,
        new.first_choice.priority_claim,
    )
    return attrs.evolve(
        registration,
        definitive=new,
        definitive_at=now if old != new else registration.definitive_at,
        history=history,
        priority_granted=registration.priority_granted if same_claim else None,
        priority_reason=registration.priority_reason if same_claim else "",
    )


def _move_login_status(
    uow: ParentsWork,
    pupil: Pupil,
    procedure: RegionalProcedure,
    stored: Registration,
) -> None:
    definitive = stored.status is RegistrationStatus.DEFINITIVE
    event = LoginEvent.COMPLETE_REGISTRATION if definitive else LoginEvent.START_REGISTRATION
    status = advance(login_status(pupil, procedure.portal), event)
    uow.pupils.update(with_login_status(pupil, procedure.portal, status))


def changed_ids(previous: Registration | None, stored: Registration) -> FieldChange:
    """The audited change of the list being worked on."""
    return FieldChange("voorkeuren", _ids(previous), _ids(stored))


def _ids(registration: Registration | None) -> str | None:
    if registration is None:
        return None
    return ", ".join(str(i) for i in registration.preferences.school_ids)


def parent_email(uow: ParentsWork, pupil: Pupil, procedure: RegionalProcedure) -> str | None:
    """The address of the parent account for the procedure's portal, if a login was sent."""
    account = uow.parent_accounts.for_pupil(pupil.id, procedure.portal)
    return None if account is None else account.email


def _confirm(
    uow: ParentsWork, clock: Clock, pupil: Pupil, procedure: RegionalProcedure, login_url: str
) -> None:
    email = parent_email(uow, pupil, procedure)
    if email is None:
        return
    first = pupil.name.first
    body = (
        "Beste ouder/verzorger,\n\n"
        f"U heeft {first} aangemeld bij het Voortgezet Onderwijs. De aanmelding en "
        f"voorkeurslijst kunt u terugzien op:\n{login_url}\n\nU logt hier in met uw "
        "gebruikersnaam (het ELK-nummer van uw kind) en het door u gekozen wachtwoord.\n\n"
        f"Met vriendelijke groet,\n{procedure.label}\n"
    )
    subject = single_line(f"Aanmelding van {first} ontvangen")
    queue_mail(uow, clock, OutgoingMail(to=email, subject=subject, body=body))
