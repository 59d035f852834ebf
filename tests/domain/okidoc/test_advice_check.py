"""'Advies klopt': a teacher confirms an advice inferred from its OSO code (decision 0005).

The region trusts the unconfirmed translation of an OSO advice code; the advice then carries
``inferred_from`` and is marked "controleer". Confirming it clears the mark in one unit of
work (value and OSO source kept, audited, the version checked); typing another advice clears
it as a hand entry.
"""

from __future__ import annotations

import datetime as dt
import re

import attrs
import pytest

from elk_domain.errors import Conflict, Forbidden, NotFound
from elk_domain.kernel.people import Actor, OrgKind, Role
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import edit as okidoc_edit
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.edit import (
    ADVICE_CHECKED,
    NOTHING_TO_CHECK,
    EditConflict,
    confirm_inferred_advice,
)
from elk_domain.okidoc.model import FieldValue, OkiDoc, OkiStatus, Provenance, Source
from elk_domain.okidoc.page import okidoc_page
from elk_domain.organisation.model import School
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock, InMemoryUnitOfWork

NOW = dt.datetime(2025, 3, 10, 9, tzinfo=dt.UTC)
DOSSIER_DATE = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
OSO = Provenance(Source.OSO, DOSSIER_DATE, "De Regenboog (12AB00)", inferred_from="51")
TEACHER = Actor(user_id=4, name="Eva", role=Role.END_USER, board_id=1, school_id=1)
COLLEAGUE = Actor(user_id=5, name="Bram", role=Role.END_USER, board_id=1, school_id=1)
ADMIN = Actor(user_id=1, name="Fien", role=Role.FUNCTIONAL_ADMIN)
STRANGER = Actor(user_id=9, name="Piet", role=Role.END_USER, board_id=2, school_id=2)


def _with_advice(status: OkiStatus, provenance: Provenance = OSO) -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        address = Address.create(street="Laan", house_number="1", postcode="1181AB", city="A")
        school = uow.schools.add(
            School(id=0, board_id=1, kind=OrgKind.PO, official_name="De Regenboog",
                   name="Regenboog", school_type="Basisschool", address=address,
                   location=SchoolLocation.parse("12AB00"))
        )  # fmt: skip
        pupil = uow.pupils.add(
            Pupil(id=0, elk_number=ElkNumber(100001), school_id=school.id,
                  name=PersonName("Sam", "Jansen"))
        )  # fmt: skip
        advice = {f.ADVICE_DEFINITIVE: FieldValue("havo/vwo", provenance)}
        uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id, status=status, fields=advice))
        uow.commit()
    return uow


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    return _with_advice(OkiStatus.ONVOLLEDIG)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def _advice(uow: InMemoryUnitOfWork) -> FieldValue:
    field = uow.okidocs.for_pupil(1).fields[f.ADVICE_DEFINITIVE]
    assert isinstance(field, FieldValue)
    return field


class TestConfirmInferredAdvice:
    @pytest.mark.parametrize("status", list(OkiStatus))
    def test_clears_the_mark_and_keeps_value_and_oso_source(
        self, clock: FixedClock, status: OkiStatus
    ) -> None:
        """Also on a Definitief Oki-doc: the definitive advice stays editable there."""
        uow = _with_advice(status)
        doc = confirm_inferred_advice(uow, clock, TEACHER, 1, 1)
        assert (doc.version, doc.status) == (2, status)
        field = _advice(uow)
        assert field == FieldValue("havo/vwo", attrs.evolve(OSO, inferred_from=""))
        assert field.provenance.note == ""

    def test_is_audited_with_the_field_and_the_code(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        confirm_inferred_advice(uow, clock, TEACHER, 1, 1)
        [entry] = uow.audit.for_subject("okidoc", 1)
        assert (entry.action, entry.actor_name, entry.at) == (ADVICE_CHECKED, "Eva", NOW)
        assert [(c.path, c.old, c.new) for c in entry.changes] == [
            (f.ADVICE_DEFINITIVE, "havo/vwo", "havo/vwo")
        ]
        assert entry.detail == "OSO-adviescode 51 klopt"

    def test_a_stale_version_names_the_other_change(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        okidoc_edit.edit_fields(uow, clock, COLLEAGUE, 1, 1, {f.ADVICE_DEFINITIVE: "havo"})
        with pytest.raises(EditConflict, match="Bram wijzigde: Definitief advies") as caught:
            confirm_inferred_advice(uow, clock, TEACHER, 1, 1)
        assert caught.value.version == 2
        assert _advice(uow).value == "havo"  # the colleague's choice stands
        assert [e.action for e in uow.audit.for_subject("okidoc", 1)] == ["okidoc.wijzigen"]

    def test_twice_is_a_conflict_not_a_second_entry(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        confirm_inferred_advice(uow, clock, TEACHER, 1, 1)
        with pytest.raises(Conflict, match=re.escape(NOTHING_TO_CHECK)):
            confirm_inferred_advice(uow, clock, TEACHER, 1, 2)
        assert len(uow.audit.for_subject("okidoc", 1)) == 1

    @pytest.mark.parametrize("provenance", [Provenance(Source.HAND, NOW, "Eva"), None])
    def test_an_advice_that_is_not_inferred_has_nothing_to_confirm(
        self, clock: FixedClock, provenance: Provenance | None
    ) -> None:
        uow = _with_advice(OkiStatus.ONVOLLEDIG, provenance or attrs.evolve(OSO, inferred_from=""))
        if provenance is None:  # no advice at all
            with uow:
                doc = uow.okidocs.for_pupil(1)
                uow.okidocs.update(attrs.evolve(doc, fields={}))
                uow.commit()
        version = uow.okidocs.for_pupil(1).version
        with pytest.raises(Conflict, match=re.escape(NOTHING_TO_CHECK)):
            confirm_inferred_advice(uow, clock, TEACHER, 1, version)
        assert uow.audit.for_subject("okidoc", 1) == []

    @pytest.mark.parametrize(("actor", "error"), [(ADMIN, Forbidden), (STRANGER, NotFound)])
    def test_permission_comes_first(
        self, uow: InMemoryUnitOfWork, clock: FixedClock, actor: Actor, error: type[Exception]
    ) -> None:
        with pytest.raises(error):
            confirm_inferred_advice(uow, clock, actor, 1, 99)  # a stale version too
        assert _advice(uow).provenance.inferred_from == "51"


class TestTypingAnotherAdvice:
    def test_a_different_advice_clears_the_mark_as_a_hand_entry(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        okidoc_edit.edit_fields(uow, clock, TEACHER, 1, 1, {f.ADVICE_DEFINITIVE: "havo"})
        assert _advice(uow) == FieldValue("havo", Provenance(Source.HAND, NOW, "Eva"))

    def test_saving_the_same_advice_keeps_the_mark(
        self, uow: InMemoryUnitOfWork, clock: FixedClock
    ) -> None:
        """Why 'Advies klopt' is needed: an unchanged field is not saved at all."""
        okidoc_edit.edit_fields(uow, clock, TEACHER, 1, 1, {f.ADVICE_DEFINITIVE: "havo/vwo"})
        assert _advice(uow).provenance.inferred_from == "51"


class TestTheEditorOffersIt:
    def test_only_for_an_inferred_advice_and_a_user_who_may_edit(self, clock: FixedClock) -> None:
        marked = okidoc_page(_with_advice(OkiStatus.DEFINITIEF), TEACHER, 1, procedure="amstelland")
        assert marked.confirmable(f.ADVICE_DEFINITIVE)
        assert marked.confirm_advice
        assert not marked.confirmable(f.ADVICE_CONTACT)
        admin_view = okidoc_page(
            _with_advice(OkiStatus.ONVOLLEDIG), ADMIN, 1, procedure="amstelland"
        )
        assert not admin_view.confirmable(f.ADVICE_DEFINITIVE)  # may see, not edit
        typed = _with_advice(OkiStatus.ONVOLLEDIG, Provenance(Source.HAND, NOW, "Eva"))
        page = okidoc_page(typed, TEACHER, 1, procedure="amstelland")
        assert not page.confirmable(f.ADVICE_DEFINITIVE)
        assert not page.confirm_advice
