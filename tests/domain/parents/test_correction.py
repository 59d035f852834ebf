"""Parents check their child's data and ask the school to correct it (R-OUD-3)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from tests.domain.test_core_services import NOW, World

from elk_domain.errors import NotFound, Rejected
from elk_domain.kernel.people import Actor, Role
from elk_domain.kernel.values import ElkNumber, PersonName
from elk_domain.okidoc.model import FieldValue, OkiDoc, OkiStatus, Provenance, Source
from elk_domain.parents import correction
from elk_domain.pupils.model import Pupil


@pytest.fixture
def world() -> World:
    world = World().setup()
    hand = Provenance(Source.HAND, NOW, "juf")
    with world.uow() as uow:
        doc = uow.okidocs.for_pupil(world.ids["pupil"])
        values = {
            "leerling.straat": "Dorpsstraat",
            "leerling.huisnummer": "12",
            "leerling.postcode": "1181AB",
            "leerling.woonplaats": "Amstelveen",
            "leerling.geboortedatum": dt.date(2013, 5, 1),
            "ouders.0.voornaam": "Petra",
            "ouders.0.achternaam": "Kind",
            "ouders.1.achternaam": "Kind-de Vries",
        }
        fields = {**doc.fields, **{p: FieldValue(v, hand) for p, v in values.items()}}
        uow.okidocs.update(attrs.evolve(doc, fields=fields))
        other = uow.pupils.add(
            Pupil(id=0, elk_number=ElkNumber(78019), school_id=world.ids["po"],
                  name=PersonName("Ander", "Kind"), group_id=None)
        )  # fmt: skip
        uow.okidocs.add(OkiDoc(id=0, pupil_id=other.id, status=OkiStatus.ONVOLLEDIG))
        uow.commit()
    world.ids["other"] = other.id
    return world


def parent(world: World, pupil: str = "pupil") -> Actor:
    return Actor(user_id=7, name="Ouder", role=Role.PARENT, pupil_id=world.ids[pupil])


def ask(world: World, actor: Actor, message: str) -> correction.CorrectionRequest:
    command = correction.RequestCorrection(message)
    return correction.request_correction(world.uow(), world.clock, actor, command)


class TestChildData:
    def test_shows_what_the_school_has_of_the_own_child(self, world: World) -> None:
        data = correction.child_data(world.uow(), parent(world))
        assert data.name == "Proef Kind"
        assert data.elk_number == "78018"
        assert data.school == "De Linde"
        assert data.advice == "havo"
        assert dict((line.label, line.value) for line in data.child) == {
            "Geboortedatum": "01-05-2013",
            "Straat": "Dorpsstraat",
            "Huisnummer": "12",
            "Postcode": "1181AB",
            "Woonplaats": "Amstelveen",
        }
        assert [lines[0].value for lines in data.parents] == ["Petra Kind", "Kind-de Vries"]
        assert data.sent == ()

    def test_empty_fields_show_empty_and_absent_parents_are_left_out(self, world: World) -> None:
        data = correction.child_data(world.uow(), parent(world, "other"))
        assert {line.value for line in data.child} == {""}
        assert data.parents == ()
        assert data.advice == ""

    def test_only_a_parent_has_an_own_child(self, world: World) -> None:
        with pytest.raises(Rejected, match="voor ouders"):
            correction.child_data(world.uow(), world.teacher())


class TestRequestCorrection:
    def test_the_request_reaches_the_school_of_the_child(self, world: World) -> None:
        stored = ask(world, parent(world), "  Wij zijn verhuisd naar de Laan 3.  ")
        assert stored.message == "Wij zijn verhuisd naar de Laan 3."
        assert stored.school_id == world.ids["po"]
        notices = correction.correction_notices(world.uow(), world.teacher())
        assert [(n.pupil.id, n.request) for n in notices] == [(world.ids["pupil"], stored)]
        assert correction.child_data(world.uow(), parent(world)).sent == (stored,)
        assert "correctie_gevraagd" in world.audit_actions()

    def test_newest_first(self, world: World) -> None:
        first = ask(world, parent(world), "Het adres klopt niet.")
        world.clock.advance(dt.timedelta(minutes=5))
        second = ask(world, parent(world, "other"), "De naam is verkeerd gespeld.")
        notices = correction.correction_notices(world.uow(), world.teacher())
        assert [n.request for n in notices] == [second, first]

    @pytest.mark.parametrize("message", ["", "   ", "x" * (correction.MAX_MESSAGE + 1)])
    def test_an_empty_or_endless_message_is_refused(self, world: World, message: str) -> None:
        with pytest.raises(Rejected) as caught:
            ask(world, parent(world), message)
        assert [v.path for v in caught.value.violations] == ["bericht"]
        assert correction.correction_notices(world.uow(), world.teacher()) == []

    def test_staff_cannot_send_one_in_a_parents_name(self, world: World) -> None:
        with pytest.raises(Rejected, match="voor ouders"):
            ask(world, world.teacher(), "Iets")

    def test_a_parent_of_a_vanished_child_is_refused(self, world: World) -> None:
        gone = Actor(user_id=7, name="Ouder", role=Role.PARENT, pupil_id=999)
        with pytest.raises(NotFound):
            ask(world, gone, "Iets")


class TestCorrectionNotices:
    def test_a_group_contact_sees_only_the_own_groups_pupils(self, world: World) -> None:
        ask(world, parent(world), "Adres")
        ask(world, parent(world, "other"), "Naam")  # a pupil without a group
        contact = attrs.evolve(world.teacher(), group_ids=frozenset({world.ids["group"]}))
        notices = correction.correction_notices(world.uow(), contact)
        assert [n.pupil.id for n in notices] == [world.ids["pupil"]]

    def test_no_school_no_notices(self, world: World) -> None:
        ask(world, parent(world), "Adres")
        assert correction.correction_notices(world.uow(), world.admin()) == []

    def test_another_school_sees_nothing(self, world: World) -> None:
        ask(world, parent(world), "Adres")
        assert correction.correction_notices(world.uow(), world.vo_user()) == []
