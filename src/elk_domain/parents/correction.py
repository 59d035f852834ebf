"""Parents check their child's data and ask the school to correct it (R-OUD-3).

Only the school changes the Oki-doc (the manual: "Dit kan uitsluitend door de basisschool gedaan
worden"); the parent's page shows what the school has and sends a message, which the school sees
among its notifications on the home page. A corrected Oki-doc needs no new login.
"""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.errors import Message, Rejected, Violation
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action, Scope, allowed
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.support import audit
from elk_domain.okidoc import fields
from elk_domain.okidoc.model import OkiDoc
from elk_domain.parents.account import CorrectionRequest
from elk_domain.parents.ports import ParentsWork
from elk_domain.pupils.access import load_pupil, load_pupil_with_school, pupil_subject
from elk_domain.pupils.model import Pupil

MAX_MESSAGE = 2000
SHOWN_REQUESTS = 50  # the newest; older ones the school has long seen


@attrs.frozen
class Line:
    """One labelled value on the parent's page; ``value`` is "" when the school left it empty."""

    label: Message
    value: str


@attrs.frozen(kw_only=True)
class ChildData:
    """What the parent checks: the child, the address, the parents, the school, the advice."""

    name: str
    elk_number: str
    school: str
    child: tuple[Line, ...]
    parents: tuple[tuple[Line, ...], ...]
    advice: str
    sent: tuple[CorrectionRequest, ...]  # the parent's earlier requests, newest first


_CHILD = (
    (Message("Geboortedatum"), fields.PUPIL_BIRTH_DATE),
    (Message("Straat"), "leerling.straat"),
    (Message("Huisnummer"), "leerling.huisnummer"),
    (Message("Postcode"), "leerling.postcode"),
    (Message("Woonplaats"), "leerling.woonplaats"),
)
_PARENT = (
    (Message("Naam"), ("voornaam", "tussenvoegsel", "achternaam")),
    (Message("Adres"), ("straat", "huisnummer")),
    (Message("Postcode en woonplaats"), ("postcode", "woonplaats")),
    (Message("Telefoon"), ("telefoon",)),
    (Message("E-mailadres"), ("email",)),
)


def _text(okidoc: OkiDoc, path: str) -> str:
    value = okidoc.value(path)
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return "" if value is None else str(value).strip()


def _parents(okidoc: OkiDoc) -> tuple[tuple[Line, ...], ...]:
    found = []
    for n in range(fields.MAX_PARENTS):
        lines = tuple(
            Line(label, " ".join(p for p in (_text(okidoc, f"ouders.{n}.{k}") for k in keys) if p))
            for label, keys in _PARENT
        )
        if any(line.value for line in lines):
            found.append(lines)
    return tuple(found)


def child_data(uow: ParentsWork, actor: Actor) -> ChildData:
    """The data of the parent's own child, as the school has it in the Oki-doc."""
    with uow:
        pupil, school = load_pupil_with_school(uow, actor, Action.VIEW_PUPIL, _own(actor))
        okidoc = uow.okidocs.for_pupil(pupil.id)
        return ChildData(
            name=pupil.name.full(),
            elk_number=str(pupil.elk_number),
            school=school.name,
            child=tuple(Line(label, _text(okidoc, path)) for label, path in _CHILD),
            parents=_parents(okidoc),
            advice=_text(okidoc, fields.ADVICE_DEFINITIVE),
            sent=tuple(uow.correction_requests.for_pupil(pupil.id)),
        )


def _own(actor: Actor) -> int:
    if actor.pupil_id is None:
        raise Rejected(Message("Deze pagina is voor ouders en verzorgers."))
    return actor.pupil_id


@attrs.frozen
class RequestCorrection:
    """The "Klopt er iets niet?" form: what is wrong, in the parent's words."""

    message: str


def request_correction(
    uow: ParentsWork, clock: Clock, actor: Actor, command: RequestCorrection
) -> CorrectionRequest:
    """Store the parent's message for the child's school (it shows among its notifications)."""
    with uow:
        pupil = load_pupil(uow, actor, Action.REQUEST_CORRECTION, _own(actor))
        message = command.message.strip()
        if not message or len(message) > MAX_MESSAGE:
            text = Message("Schrijf in hoogstens {n} tekens wat er niet klopt.", n=MAX_MESSAGE)
            problem = Violation("bericht", text)
            raise Rejected(Message("Uw bericht is niet verstuurd."), violations=[problem])
        stored = uow.correction_requests.add(
            CorrectionRequest(id=0, pupil_id=pupil.id, school_id=pupil.school_id,
                              message=message, created_at=clock.now())
        )  # fmt: skip
        audit(uow, clock, actor, "correctie_gevraagd", pupil_subject(pupil))
        uow.commit()
        return stored


@attrs.frozen
class SchoolNotice:
    """A correction request as the school sees it: whose child, when, what."""

    pupil: Pupil
    request: CorrectionRequest


def correction_notices(uow: ParentsWork, actor: Actor) -> list[SchoolNotice]:
    """The newest requests about pupils of the actor's school that the actor may see (a group
    contact: only their groups); empty for anyone without a school."""
    if actor.school_id is None:
        return []
    with uow:
        school = uow.schools.get(actor.school_id)
        notices = []
        for request in uow.correction_requests.for_school(actor.school_id)[:SHOWN_REQUESTS]:
            pupil = uow.pupils.get(request.pupil_id)
            if allowed(actor, Action.VIEW_PUPIL, Scope.for_pupil(pupil, school)):
                notices.append(SchoolNotice(pupil, request))
        return notices
