"""Where a priority claim stands (R-AAN-5), for the VO school's list, the PO overview and the
parent: not judged yet, granted, or refused with the school's reason.

Placement reads ``counts_as_priority``: a claim counts only when the VO school granted it
(``priority_granted is True``) on the definitive list; a refused claim (``False``) or one not
judged yet (``None``) does not.
"""

from __future__ import annotations

import enum

import attrs

from elk_domain.errors import Message, Rejected, Violation
from elk_domain.kernel.values import single_line
from elk_domain.parents.registration import PriorityClaim, Registration

MAX_REASON = 300
"""The longest reason a VO school may give (characters, after folding it onto one line)."""


class PriorityState(enum.Enum):
    """Where a pupil's priority claim at the first-choice school stands (R-AAN-5)."""

    NONE = "geen"
    TO_JUDGE = "te_beoordelen"
    GRANTED = "gehonoreerd"
    REFUSED = "niet_gehonoreerd"

    @property
    def label(self) -> str:
        """Dutch label for the lists, the filter and the parent."""
        return _LABELS[self]


_LABELS = {  # Messages: the parent may read them in English (decision 0048)
    PriorityState.NONE: Message("Geen"),
    PriorityState.TO_JUDGE: Message("Te beoordelen"),
    PriorityState.GRANTED: Message("Gehonoreerd"),
    PriorityState.REFUSED: Message("Niet gehonoreerd"),
}


def claim_state(claimed: bool, granted: bool | None) -> PriorityState:
    """The claim's state: none, waiting for the school's judgement, granted or refused."""
    if not claimed:
        return PriorityState.NONE
    if granted is None:
        return PriorityState.TO_JUDGE
    return PriorityState.GRANTED if granted else PriorityState.REFUSED


def registration_claim_state(registration: Registration) -> PriorityState:
    """The state of the claim on the definitive list (a draft's claim is nobody's business yet)."""
    definitive = registration.definitive
    claim = None if definitive is None else definitive.first_choice.priority_claim
    return claim_state(claim is not None, registration.priority_granted)


def counts_as_priority(registration: Registration) -> bool:
    """True only for a granted claim on the definitive list: what placement reads."""
    return registration_claim_state(registration) is PriorityState.GRANTED


def clean_reason(reason: str, *, granted: bool) -> str:
    """The reason on one line, trimmed; Rejected when refused without one or when too long."""
    text = single_line(reason)
    if not text and not granted:
        message = Message("Geef een reden op waarom de voorrang niet wordt gehonoreerd.")
        raise Rejected(message, violations=[Violation("reden", message)])
    if len(text) > MAX_REASON:
        message = Message(
            "De reden is te lang: maximaal {n} tekens (nu {now}).", n=MAX_REASON, now=len(text)
        )
        raise Rejected(message, violations=[Violation("reden", message)])
    return text


@attrs.frozen(kw_only=True)
class ClaimJudgement:
    """What the parent sees of the claim on the definitive list: its state and the school's
    reason ("" when none was given)."""

    state: PriorityState
    claim: PriorityClaim | None = None
    reason: str = ""


NO_CLAIM = ClaimJudgement(state=PriorityState.NONE)
"""No definitive registration, or no claim on it."""


def judgement(registration: Registration | None) -> ClaimJudgement:
    """The claim on the definitive list as the parent sees it; ``NO_CLAIM`` without one."""
    if registration is None or registration.definitive is None:
        return NO_CLAIM
    state = registration_claim_state(registration)
    if state is PriorityState.NONE:
        return NO_CLAIM
    return ClaimJudgement(
        state=state,
        claim=registration.definitive.first_choice.priority_claim,
        reason=registration.priority_reason if state is not PriorityState.TO_JUDGE else "",
    )
