"""What the parent's registration page shows (R-AAN-1..4): the period with its dates, the list
being worked on and the definitive one, the invulhulp with search and filters, and the risk
warning; read in one unit of work, for the parent's own child only.
"""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.errors import Rejected
from elk_domain.kernel.advice import Advice, Level
from elk_domain.kernel.people import Actor, OrgKind
from elk_domain.kernel.permissions import Action
from elk_domain.kernel.ports import Clock
from elk_domain.organisation.model import School
from elk_domain.organisation.procedure import RegionalProcedure
from elk_domain.parents.claims import ClaimJudgement, judgement
from elk_domain.parents.fitting import list_length, schools_fitting
from elk_domain.parents.ports import ParentsWork
from elk_domain.parents.procedure_choice import procedure_for
from elk_domain.parents.register import definitive_advice, placeable_schools
from elk_domain.parents.registration import PreferenceList, Registration
from elk_domain.parents.risk import Risk, registration_risks
from elk_domain.parents.window import Window, registration_window
from elk_domain.pupils.access import load_pupil

MAX_SEARCH = 100


@attrs.frozen(kw_only=True)
class SchoolFilter:
    """The invulhulp's search box and filters."""

    text: str = ""
    level: Level | None = None
    city: str = ""

    def matches(self, school: School) -> bool:
        """True when the school passes every filter that is set."""
        text = self.text.strip().lower()[:MAX_SEARCH]
        found = not text or text in f"{school.name} {school.address.city}".lower()
        in_city = not self.city or school.address.city == self.city
        return found and in_city and (self.level is None or self.level in school.levels)


@attrs.frozen(kw_only=True)
class EarlierList:
    """A definitive list that was replaced by registering again."""

    schools: tuple[School, ...]
    definitive_at: dt.datetime
    replaced_at: dt.datetime


@attrs.frozen(kw_only=True)
class RegistrationPage:
    """Everything the registration pages show; ``advice`` None: registering cannot start yet."""

    pupil_id: int
    pupil_name: str
    procedure: RegionalProcedure
    advice: Advice | None
    window: Window
    registration: Registration | None = None
    chosen: tuple[School, ...] = ()  # the list being worked on, ranked
    counting: tuple[School, ...] = ()  # the definitive list, when there is one
    fitting: tuple[School, ...] = ()  # the invulhulp after the filters, without chosen schools
    cities: tuple[str, ...] = ()
    risks: tuple[Risk, ...] = ()
    earlier: tuple[EarlierList, ...] = ()
    need: int = 0  # how many schools the list holds (or at least holds); 0 without an advice

    @property
    def claim(self) -> ClaimJudgement:
        """The priority claim on the definitive list and the VO school's judgement (R-AAN-5)."""
        return judgement(self.registration)

    @property
    def complete(self) -> bool:
        """True when the list may be made definitive as far as its length goes."""
        have = len(self.chosen)
        return self.advice is not None and (
            have == self.need if self.procedure.exact_length else have >= self.need
        )

    @property
    def room_left(self) -> bool:
        """True while another school may be added."""
        return not self.procedure.exact_length or len(self.chosen) < self.need


@attrs.frozen(kw_only=True)
class RegistrationQuery:
    """Which child, in which regional procedure, and the invulhulp's filters."""

    pupil_id: int
    procedure: str
    shown: SchoolFilter = SchoolFilter()


def registration_page(
    uow: ParentsWork, clock: Clock, actor: Actor, query: RegistrationQuery
) -> RegistrationPage:
    """The page for the parent's child; the invulhulp filtered by ``query.shown``."""
    shown = query.shown
    with uow:
        pupil = load_pupil(uow, actor, Action.REGISTER, query.pupil_id)
        procedure = procedure_for(uow, actor, query.procedure)
        registration = uow.registrations.for_pupil(pupil.id, procedure.name)
        definitive = registration is not None and registration.definitive is not None
        window = registration_window(uow.settings.timeline(), clock.now().date(),
                                     definitive=definitive)  # fmt: skip
        base = RegistrationPage(pupil_id=pupil.id, pupil_name=pupil.name.full(),
                                procedure=procedure, advice=None, window=window,
                                registration=registration)  # fmt: skip
        try:
            advice = definitive_advice(uow, pupil)
        except Rejected:
            return base
        return _filled(uow, attrs.evolve(base, advice=advice), advice, shown)


def _filled(
    uow: ParentsWork, base: RegistrationPage, advice: Advice, shown: SchoolFilter
) -> RegistrationPage:
    registration, procedure = base.registration, base.procedure
    schools = {s.id: s for s in uow.schools.list() if s.kind is OrgKind.VO}
    chosen = _schools(None if registration is None else registration.preferences, schools)
    placeable = placeable_schools(uow, uow.pupils.get(base.pupil_id), procedure)
    fitting = schools_fitting(advice, schools.values(), procedure, placeable)
    need = list_length(procedure, advice, schools.values(), placeable)
    more_allowed = not procedure.exact_length and len(chosen) < len(fitting)
    return attrs.evolve(
        base,
        need=need,
        chosen=chosen,
        counting=_schools(None if registration is None else registration.definitive, schools),
        fitting=tuple(s for s in fitting if s not in chosen and shown.matches(s)),
        cities=tuple(sorted({s.address.city for s in fitting})),
        risks=registration_risks(
            chosen,
            minimum_only=more_allowed and len(chosen) <= need,
            first_choice_counts=_others_first_choices(uow, chosen, registration),
            full_last_year=uow.placement_runs.over_subscribed_schools(procedure.name),
        ),
        earlier=_earlier(registration, schools),
    )


def _others_first_choices(
    uow: ParentsWork, chosen: tuple[School, ...], registration: Registration | None
) -> dict[int, int]:
    """Definitive first choices of other pupils at the chosen schools."""
    counts = dict(uow.registrations.first_choice_counts(s.id for s in chosen))
    for own in () if registration is None else registration.registered_at():
        if own in counts:
            counts[own] -= 1
    return counts


def _schools(preferences: PreferenceList | None, schools: dict[int, School]) -> tuple[School, ...]:
    if preferences is None:
        return ()
    return tuple(schools[i] for i in preferences.school_ids if i in schools)


def _earlier(
    registration: Registration | None, schools: dict[int, School]
) -> tuple[EarlierList, ...]:
    if registration is None:
        return ()
    return tuple(
        EarlierList(
            schools=_schools(p.preferences, schools),
            definitive_at=p.definitive_at,
            replaced_at=p.replaced_at,
        )
        for p in reversed(registration.history)
    )
