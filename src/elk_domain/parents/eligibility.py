"""When a school may send the parent login (R-OUD-1), and how the login status moves (R-OUD-2)."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from elk_domain.errors import IllegalTransition, Rejected, Violation
from elk_domain.kernel.values import Email
from elk_domain.okidoc import fields
from elk_domain.okidoc.model import OkiDoc, OkiStatus
from elk_domain.okidoc.reconsideration import reconsideration_pending
from elk_domain.organisation.model import Timeline
from elk_domain.organisation.procedure import ParentPortal
from elk_domain.pupils.model import ParentLoginStatus, Pupil


class Reason(enum.Enum):
    """Why the parent login cannot be sent (yet); the value is the Dutch text on the button."""

    OUTSIDE_PERIOD = "De ouderinlog kan alleen in de periode van het tijdpad worden verstuurd."
    NOT_DEFINITIEF = "Het Oki-doc is nog niet definitief."
    NO_FINAL_TEST = "De uitslag van de doorstroomtoets ontbreekt."
    NO_DEFINITIVE_ADVICE = "Het definitieve advies ontbreekt."
    ADVICE_NOT_RECONSIDERED = (
        "De uitslag van de doorstroomtoets is hoger dan het advies: stel het advies bij, of leg "
        "de motivatie en de datum waarop de ouders zijn betrokken vast."
    )
    NO_PARENT_EMAIL = "Er is geen geldig e-mailadres van de eerste ouder/verzorger ingevuld."

    @property
    def message(self) -> str:
        """The Dutch explanation."""
        return self.value


@attrs.frozen
class Eligibility:
    """Whether the login may be sent, with every reason why not."""

    allowed: bool
    reasons: tuple[Reason, ...] = ()

    def messages(self) -> tuple[str, ...]:
        """The reasons as Dutch sentences, in a fixed order."""
        return tuple(reason.message for reason in self.reasons)


def first_parent_email(okidoc: OkiDoc) -> Email | None:
    """The first parent's e-mail address when it is present and valid, else None."""
    raw = okidoc.value(fields.PARENT_EMAIL)
    if not isinstance(raw, str):
        return None
    try:
        return Email.parse(raw)
    except Rejected:
        return None


def login_status(pupil: Pupil, portal: ParentPortal) -> ParentLoginStatus:
    """The pupil's login status for that portal."""
    if portal is ParentPortal.AMSTERDAM:
        return pupil.parent_login_amsterdam
    return pupil.parent_login


def with_login_status(pupil: Pupil, portal: ParentPortal, status: ParentLoginStatus) -> Pupil:
    """The pupil with the login status of that portal replaced."""
    if portal is ParentPortal.AMSTERDAM:
        return attrs.evolve(pupil, parent_login_amsterdam=status)
    return attrs.evolve(pupil, parent_login=status)


def parent_login_eligibility(
    *,
    pupil: Pupil,
    okidoc: OkiDoc,
    timeline: Timeline,
    today: dt.date,
    portal: ParentPortal = ParentPortal.ELK,
) -> Eligibility:
    """R-OUD-1: all reasons why ``Ouderinlog versturen`` is not available, or allowed.

    Sending again is allowed under the same conditions: the new link replaces the old one.
    """
    period = timeline.parent_login
    failing = {
        Reason.OUTSIDE_PERIOD: period is None or not period.contains(today),
        Reason.NOT_DEFINITIEF: okidoc.status is not OkiStatus.DEFINITIEF,
        Reason.NO_FINAL_TEST: not okidoc.is_filled(fields.FINAL_TEST_OUTCOME),
        Reason.NO_DEFINITIVE_ADVICE: not okidoc.is_filled(fields.ADVICE_DEFINITIVE),
        Reason.ADVICE_NOT_RECONSIDERED: reconsideration_pending(okidoc),
        Reason.NO_PARENT_EMAIL: first_parent_email(okidoc) is None,
    }
    reasons = tuple(reason for reason in Reason if failing[reason])
    return Eligibility(allowed=not reasons, reasons=reasons)


class LoginEvent(enum.Enum):
    """What happens to a parent login; the value is the Dutch name used in errors."""

    SEND = "ouderinlog versturen"
    ACTIVATE = "account activeren"
    START_REGISTRATION = "aanmelding opslaan"
    COMPLETE_REGISTRATION = "aanmelding definitief maken"


_S, _E = ParentLoginStatus, LoginEvent

TRANSITIONS: dict[tuple[ParentLoginStatus, LoginEvent], ParentLoginStatus] = {
    (_S.NOT_SENT, _E.SEND): _S.SENT,
    # Sending again (a lost mail, a corrected address) gives a new link and keeps the progress.
    (_S.SENT, _E.SEND): _S.SENT,
    (_S.ACTIVATED, _E.SEND): _S.ACTIVATED,
    (_S.REGISTRATION_STARTED, _E.SEND): _S.REGISTRATION_STARTED,
    (_S.REGISTRATION_COMPLETED, _E.SEND): _S.REGISTRATION_COMPLETED,
    (_S.SENT, _E.ACTIVATE): _S.ACTIVATED,
    (_S.ACTIVATED, _E.START_REGISTRATION): _S.REGISTRATION_STARTED,
    (_S.ACTIVATED, _E.COMPLETE_REGISTRATION): _S.REGISTRATION_COMPLETED,
    (_S.REGISTRATION_STARTED, _E.START_REGISTRATION): _S.REGISTRATION_STARTED,
    (_S.REGISTRATION_STARTED, _E.COMPLETE_REGISTRATION): _S.REGISTRATION_COMPLETED,
    # R-AAN-4: registering again in the registration week; the definitive list counts until
    # the new one is definitive, so the status stays AV (the week is checked by the caller).
    (_S.REGISTRATION_COMPLETED, _E.START_REGISTRATION): _S.REGISTRATION_COMPLETED,
    (_S.REGISTRATION_COMPLETED, _E.COMPLETE_REGISTRATION): _S.REGISTRATION_COMPLETED,
}
"""(status, event) → next status; anything else is an illegal transition."""

_STATUS_LABELS = {
    _S.NOT_SENT: "niet verstuurd",
    _S.SENT: "verstuurd",
    _S.ACTIVATED: "geactiveerd",
    _S.REGISTRATION_STARTED: "aanmelding gestart (AG)",
    _S.REGISTRATION_COMPLETED: "aanmelding voltooid (AV)",
}


def status_label(status: ParentLoginStatus) -> str:
    """The Dutch label of a login status, as in the legend of the pupils overview."""
    return _STATUS_LABELS[status]


def advance(status: ParentLoginStatus, event: LoginEvent) -> ParentLoginStatus:
    """The status after ``event``; raises IllegalTransition naming status and event."""
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        label = status_label(status)
        raise IllegalTransition(
            label,
            event.value,
            f"'{event.value.capitalize()}' is niet mogelijk bij ouderinlog-status '{label}'.",
        ) from None


def diagram() -> str:
    """The transition table as a Mermaid state diagram, for the docs."""
    lines = ["stateDiagram-v2", f"    [*] --> {_S.NOT_SENT.name}"]
    lines += [f"    {a.name} --> {b.name}: {e.value}" for (a, e), b in TRANSITIONS.items()]
    return "\n".join(lines)


_REASON_PATHS = {
    Reason.OUTSIDE_PERIOD: "tijdpad.ouderinlog",
    Reason.NOT_DEFINITIEF: "status",
    Reason.NO_FINAL_TEST: fields.FINAL_TEST_OUTCOME,
    Reason.NO_DEFINITIVE_ADVICE: fields.ADVICE_DEFINITIVE,
    Reason.ADVICE_NOT_RECONSIDERED: fields.ADVICE_DEVIATION_MOTIVATION,
    Reason.NO_PARENT_EMAIL: fields.PARENT_EMAIL,
}


def require_eligible(eligibility: Eligibility) -> None:
    """Raise Rejected listing every reason (with its field path) when sending is not allowed."""
    if not eligibility.allowed:
        raise Rejected(
            "De ouderinlog kan niet worden verstuurd: " + " ".join(eligibility.messages()),
            violations=[Violation(_REASON_PATHS[r], r.message) for r in eligibility.reasons],
        )
