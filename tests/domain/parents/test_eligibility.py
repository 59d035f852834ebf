"""Parent-login eligibility (R-OUD-1) and the login status progression (R-OUD-2)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from elk_domain.errors import IllegalTransition, Rejected
from elk_domain.kernel.values import ElkNumber, PersonName
from elk_domain.okidoc import fields
from elk_domain.okidoc.model import FieldValue, OkiDoc, OkiStatus, Provenance, Source
from elk_domain.organisation.model import Period, Timeline
from elk_domain.organisation.procedure import ParentPortal
from elk_domain.parents.eligibility import (
    TRANSITIONS,
    LoginEvent,
    Reason,
    advance,
    diagram,
    first_parent_email,
    parent_login_eligibility,
    require_eligible,
    status_label,
)
from elk_domain.pupils.model import ParentLoginStatus, Pupil

S, E = ParentLoginStatus, LoginEvent
TODAY = dt.date(2025, 3, 18)
TIMELINE = Timeline(parent_login=Period(dt.date(2025, 3, 17), dt.date(2025, 3, 24)))
HAND = Provenance(Source.HAND, dt.datetime(2025, 3, 1, tzinfo=dt.UTC), "juf")


def okidoc(**values: str) -> OkiDoc:
    base = {
        fields.FINAL_TEST_OUTCOME: "havo",
        fields.ADVICE_DEFINITIVE: "havo",
        fields.PARENT_EMAIL: "ouder@example.nl",
    }
    base.update(values)
    return OkiDoc(
        id=1,
        pupil_id=1,
        status=OkiStatus.DEFINITIEF,
        fields={path: FieldValue(value, HAND) for path, value in base.items()},
    )


PUPIL = Pupil(id=1, elk_number=ElkNumber(78018), school_id=1, name=PersonName("Proef", "Kind"))


def check(
    *,
    pupil: Pupil = PUPIL,
    doc: OkiDoc | None = None,
    timeline: Timeline = TIMELINE,
    today: dt.date = TODAY,
    portal: ParentPortal = ParentPortal.ELK,
) -> tuple[Reason, ...]:
    result = parent_login_eligibility(
        pupil=pupil, okidoc=doc or okidoc(), timeline=timeline, today=today, portal=portal
    )
    assert result.allowed is (not result.reasons)
    return result.reasons


class TestParentLoginEligibility:
    def test_all_conditions_met_allows_sending(self) -> None:
        assert check() == ()

    @pytest.mark.parametrize(
        ("reason", "kwargs"),
        [
            (Reason.OUTSIDE_PERIOD, {"today": dt.date(2025, 3, 25)}),
            (Reason.OUTSIDE_PERIOD, {"timeline": Timeline()}),
            (Reason.NOT_DEFINITIEF, {"doc": attrs.evolve(okidoc(), status=OkiStatus.VOLLEDIG)}),
            (Reason.NO_FINAL_TEST, {"doc": okidoc(**{fields.FINAL_TEST_OUTCOME: " "})}),
            (Reason.NO_DEFINITIVE_ADVICE, {"doc": okidoc(**{fields.ADVICE_DEFINITIVE: ""})}),
            (Reason.NO_PARENT_EMAIL, {"doc": okidoc(**{fields.PARENT_EMAIL: ""})}),
            (
                Reason.ADVICE_NOT_RECONSIDERED,  # R-DT-4
                {"doc": okidoc(**{fields.FINAL_TEST_OUTCOME: "havo/vwo"})},
            ),
            (
                Reason.ADVICE_NOT_RECONSIDERED,  # a motivation without the parents' date
                {
                    "doc": okidoc(
                        **{
                            fields.FINAL_TEST_OUTCOME: "vwo",
                            fields.ADVICE_DEVIATION_MOTIVATION: "Besproken.",
                        }
                    )
                },
            ),
            (Reason.NO_PARENT_EMAIL, {"doc": okidoc(**{fields.PARENT_EMAIL: "geen-adres"})}),
        ],
    )
    def test_one_failing_condition_gives_exactly_its_reason(
        self, reason: Reason, kwargs: dict[str, object]
    ) -> None:
        assert check(**kwargs) == (reason,)

    @pytest.mark.parametrize("status", list(S))
    @pytest.mark.parametrize("portal", list(ParentPortal))
    def test_sending_again_is_allowed_whatever_the_status(
        self, status: S, portal: ParentPortal
    ) -> None:
        """Issue 14: the school re-sends a lost or mistyped login; the new link replaces it."""
        pupil = attrs.evolve(PUPIL, parent_login=status, parent_login_amsterdam=status)
        assert check(pupil=pupil, portal=portal) == ()

    def test_a_raised_or_motivated_advice_allows_sending(self) -> None:
        assert (
            check(doc=okidoc(**{fields.FINAL_TEST_OUTCOME: "vwo", fields.ADVICE_DEFINITIVE: "vwo"}))
            == ()
        )
        motivated = okidoc(
            **{fields.FINAL_TEST_OUTCOME: "vwo", fields.ADVICE_DEVIATION_MOTIVATION: "Besproken."}
        )
        involved = attrs.evolve(
            motivated,
            fields={**motivated.fields, fields.ADVICE_PARENTS_INVOLVED: FieldValue(TODAY, HAND)},
        )
        assert check(doc=involved) == ()

    def test_missing_email_value_is_no_email(self) -> None:
        doc = attrs.evolve(okidoc(), fields={})
        assert first_parent_email(doc) is None

    @given(st.lists(st.sampled_from(list(Reason)), unique=True))
    def test_reasons_are_exactly_the_failing_conditions(self, failing: list[Reason]) -> None:
        wanted = set(failing)
        values: dict[str, str] = {}
        if Reason.NO_FINAL_TEST in wanted:
            values[fields.FINAL_TEST_OUTCOME] = ""
            wanted.discard(Reason.ADVICE_NOT_RECONSIDERED)  # no outcome: nothing to reconsider
        elif Reason.ADVICE_NOT_RECONSIDERED in wanted:  # above the (provisional) advice
            values[fields.FINAL_TEST_OUTCOME] = "vwo"
            values[fields.ADVICE_PROVISIONAL_8] = "havo"
        if Reason.NO_DEFINITIVE_ADVICE in wanted:
            values[fields.ADVICE_DEFINITIVE] = ""
        if Reason.NO_PARENT_EMAIL in wanted:
            values[fields.PARENT_EMAIL] = "x"
        doc = okidoc(**values)
        if Reason.NOT_DEFINITIEF in wanted:
            doc = attrs.evolve(doc, status=OkiStatus.ONVOLLEDIG)
        today = dt.date(2025, 1, 1) if Reason.OUTSIDE_PERIOD in wanted else TODAY
        assert set(check(doc=doc, today=today)) == wanted

    def test_require_eligible_lists_every_reason_with_its_field(self) -> None:
        doc = okidoc(**{fields.PARENT_EMAIL: "", fields.ADVICE_DEFINITIVE: ""})
        result = parent_login_eligibility(pupil=PUPIL, okidoc=doc, timeline=TIMELINE, today=TODAY)
        with pytest.raises(Rejected, match="definitieve advies ontbreekt") as caught:
            require_eligible(result)
        paths = {v.path for v in caught.value.violations}
        assert paths == {fields.ADVICE_DEFINITIVE, fields.PARENT_EMAIL}

    def test_require_eligible_passes_when_allowed(self) -> None:
        require_eligible(
            parent_login_eligibility(pupil=PUPIL, okidoc=okidoc(), timeline=TIMELINE, today=TODAY)
        )


class TestLoginStatus:
    @pytest.mark.parametrize(
        ("status", "event", "after"),
        [
            (S.NOT_SENT, E.SEND, S.SENT),
            (S.SENT, E.ACTIVATE, S.ACTIVATED),
            (S.ACTIVATED, E.START_REGISTRATION, S.REGISTRATION_STARTED),
            (S.ACTIVATED, E.COMPLETE_REGISTRATION, S.REGISTRATION_COMPLETED),
            (S.REGISTRATION_STARTED, E.START_REGISTRATION, S.REGISTRATION_STARTED),
            (S.REGISTRATION_STARTED, E.COMPLETE_REGISTRATION, S.REGISTRATION_COMPLETED),
            (S.REGISTRATION_COMPLETED, E.START_REGISTRATION, S.REGISTRATION_COMPLETED),
            (S.REGISTRATION_COMPLETED, E.COMPLETE_REGISTRATION, S.REGISTRATION_COMPLETED),
            # sending again keeps the progress (issue 14)
            (S.SENT, E.SEND, S.SENT),
            (S.ACTIVATED, E.SEND, S.ACTIVATED),
            (S.REGISTRATION_STARTED, E.SEND, S.REGISTRATION_STARTED),
            (S.REGISTRATION_COMPLETED, E.SEND, S.REGISTRATION_COMPLETED),
        ],
    )
    def test_allowed_transitions(
        self, status: ParentLoginStatus, event: LoginEvent, after: ParentLoginStatus
    ) -> None:
        assert advance(status, event) is after

    @pytest.mark.parametrize(
        ("status", "event"),
        [(s, e) for s in S for e in E if (s, e) not in TRANSITIONS],
    )
    def test_other_transitions_raise_naming_status_and_event(
        self, status: ParentLoginStatus, event: LoginEvent
    ) -> None:
        with pytest.raises(IllegalTransition) as caught:
            advance(status, event)
        assert caught.value.state == status_label(status)
        assert caught.value.action == event.value
        assert status_label(status) in caught.value.message

    def test_diagram_lists_every_transition(self) -> None:
        text = diagram()
        assert text.startswith("stateDiagram-v2")
        assert text.count("-->") == len(TRANSITIONS) + 1
