"""The overview's rows as display values, worked out once in Python instead of in the template.

The template ``pupils/_rows.html`` only prints these fields: no method calls, dictionary
look-ups or enum properties per cell. ``OverviewLine.of`` takes plain values, so a row from
the read model and a row straight from SQL (the benchmark's bare side) give the same line.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from elk_domain.finaltest.entry import needs_motivation
from elk_domain.okidoc.model import OkiStatus
from elk_domain.overview.model import OverviewRow
from elk_domain.parents.claims import PriorityState
from elk_domain.parents.registration import RegistrationStatus
from elk_domain.pupils.model import ParentLoginStatus, ReasonNotPlaced

# (css class, visible text, text for screen readers) per parent-login status; None: not sent
LoginSign = tuple[str, str, str]
_LOGIN_SIGNS: dict[str, LoginSign | None] = {
    ParentLoginStatus.NOT_SENT.value: ("dot dot--white", "", "Niet verstuurd"),  # the white dot
    ParentLoginStatus.SENT.value: ("dot dot--blue", "", "Verstuurd"),
    ParentLoginStatus.ACTIVATED.value: ("dot dot--green", "", "Geactiveerd"),
    ParentLoginStatus.REGISTRATION_STARTED.value: (
        "dot dot--green dot--text",
        "AG",
        " (aanmelding gestart)",
    ),
    ParentLoginStatus.REGISTRATION_COMPLETED.value: (
        "dot dot--green dot--text",
        "AV",
        " (aanmelding voltooid)",
    ),
}
_STATUS_SIGNS = {"onvolledig": "○", "volledig": "◐", "definitief": "●"}
_STATUS_LABELS = {s.value: s.label for s in OkiStatus}
_REASON_LABELS = {r.value: r.label for r in ReasonNotPlaced}
_REGISTRATION_LABELS = {r.value: r.label for r in RegistrationStatus}


@attrs.frozen(kw_only=True, slots=True)
class OverviewLine:
    """One row of the overview table, every cell ready to print."""

    pupil_id: int
    href: str  # the Oki-doc editor
    sort_name: str  # 'Berg, Jan van der'
    full_name: str  # 'Jan van der Berg'
    reason: str  # label of the reason not placed, or ''
    group: str
    extra_support: bool
    status: str  # OkiStatus value, also the css modifier
    status_sign: str
    status_label: str
    tafelmiddag_po: bool
    tafelmiddag_vo: bool
    logins: tuple[LoginSign | None, LoginSign | None]  # Ouderinlog, Ouderinlog Amsterdam
    registered_at: str  # '' when not registered
    registration: str  # label of the registration status
    priority: str  # 'voorrang te beoordelen', 'voorrang niet gehonoreerd: <reden>', or ''
    reconsider: bool = False  # R-DT-4: test outcome above the advice, not answered yet
    placed_at: str = ""  # "school (level)" once the placement is published, else ''

    @classmethod
    def of(
        cls,
        base: str,
        *,
        pupil_id: int,
        first: str,
        tussenvoegsel: str,
        last: str,
        group: str | None,
        status: str | None,
        extra_support: bool,
        tafelmiddag_po: bool,
        tafelmiddag_vo: bool,
        parent_login: str,
        parent_login_amsterdam: str,
        registered_at: str | None,
        registration: str | None,
        reason: str | None,
        priority: str = "",
        reconsider: bool = False,
        placed_at: str | None = None,
    ) -> OverviewLine:
        """A line from plain values; ``base`` is the overview's URL ('/leerlingen/')."""
        status = status or OkiStatus.ONVOLLEDIG.value
        tail = f"{first} {tussenvoegsel}".strip() if tussenvoegsel else first
        full = f"{first} {tussenvoegsel} {last}" if tussenvoegsel else f"{first} {last}"
        return cls(
            pupil_id=pupil_id,
            href=f"{base}{pupil_id}/oki-doc",
            sort_name=f"{last}, {tail}" if tail else last,
            full_name=full.strip(),
            reason=_REASON_LABELS[reason] if reason else "",
            group=group or "",
            extra_support=bool(extra_support),
            status=status,
            status_sign=_STATUS_SIGNS[status],
            status_label=_STATUS_LABELS[status],
            tafelmiddag_po=bool(tafelmiddag_po),
            tafelmiddag_vo=bool(tafelmiddag_vo),
            logins=(_LOGIN_SIGNS[parent_login], _LOGIN_SIGNS[parent_login_amsterdam]),
            registered_at=registered_at or "",
            registration=_REGISTRATION_LABELS[registration] if registration else "",
            priority=priority,
            reconsider=reconsider,
            placed_at=placed_at or "",
        )


# Enum members to their values by dictionary: ``member.value`` is a descriptor call (~0.4 µs),
# four per row.
_VALUES: dict[object, str] = {
    member: member.value
    for kind in (OkiStatus, ParentLoginStatus, RegistrationStatus, ReasonNotPlaced)
    for member in kind
}


def priority_text(state: PriorityState, reason: str) -> str:
    """The claim's state for the overview: '' without a claim, the VO school's reason after a
    judgement that has one."""
    if state is PriorityState.NONE:
        return ""
    text = f"voorrang {state.label.lower()}"
    return f"{text}: {reason}" if reason and state is not PriorityState.TO_JUDGE else text


def overview_lines(base: str, rows: Iterable[OverviewRow]) -> list[OverviewLine]:
    """The read model's rows as lines for ``pupils/_rows.html``."""
    value = _VALUES.get
    return [
        OverviewLine.of(
            base,
            pupil_id=r.pupil_id,
            first=(name := r.name).first,
            tussenvoegsel=name.tussenvoegsel,
            last=name.last,
            group=r.group_name,
            status=_VALUES[r.okidoc_status],
            extra_support=(facts := r.facts).extra_support,
            tafelmiddag_po=facts.tafelmiddag_po,
            tafelmiddag_vo=facts.tafelmiddag_vo,
            parent_login=_VALUES[r.parent_login],
            parent_login_amsterdam=_VALUES[r.parent_login_amsterdam],
            registered_at=r.registered_at,
            registration=value(r.registration_status),
            reason=value(r.reason_not_placed),
            priority=priority_text(r.priority, r.priority_reason),
            reconsider=needs_motivation(r),
            placed_at=r.placed_at,
        )
        for r in rows
    ]
