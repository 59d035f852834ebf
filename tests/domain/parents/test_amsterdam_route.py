"""The Amsterdam route (R-AAN-6, R-OUD-2): the "Ouderinlog Amsterdam" logs in to the same portal
and registers in the Amsterdam procedure; a praktijkschool or tussenvoorziening only from its
orientation list, when the child was found placeable there."""

from __future__ import annotations

import attrs
import pytest
from tests.domain.parents_world import HAND, LINKS, TIMELINE, World

from elk_domain.errors import Forbidden, Rejected
from elk_domain.kernel.advice import Advice, Level
from elk_domain.kernel.people import Actor, OrgKind, Role
from elk_domain.kernel.values import SchoolLocation
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import FieldValue
from elk_domain.organisation.procedure import AMSTELLAND, AMSTERDAM, ParentPortal
from elk_domain.parents import editing, login, signin
from elk_domain.parents.editing import EditRegistration, ListAction
from elk_domain.parents.fitting import schools_fitting
from elk_domain.parents.orientation import (
    OrientationLine,
    RecordOrientationList,
    record_orientation_list,
)
from elk_domain.parents.page import RegistrationQuery, registration_page
from elk_domain.parents.register import procedure_for
from elk_domain.parents.registration import PreferenceList, check_registration
from elk_domain.testing import InsecurePlainHasher

PRO_SCHOOL = "99PR"


def _praktijkschool(world: World) -> int:
    with world.uow() as uow:
        vo = uow.schools.get(world.ids["vo0"])
        school = uow.schools.add(attrs.evolve(
            vo, id=0, name="Praktijkschool De Brug", school_type="Praktijkonderwijs",
            location=SchoolLocation.parse(PRO_SCHOOL), levels=frozenset({Level.PRO, Level.VMBO_B}),
        ))  # fmt: skip
        uow.commit()
    return school.id


def _amsterdam_parent(world: World) -> Actor:
    """The school sends the Ouderinlog Amsterdam; the parent sets its password and logs in."""
    command = login.SendParentLogin(world.ids["pupil"], portal=ParentPortal.AMSTERDAM)
    login.send_parent_login(world.uow(), world.clock, world.random, world.teacher(), command,
                            LINKS)  # fmt: skip
    token = world.sent()[-1].body.split("/wachtwoord/")[1].split()[0]
    password = login.SetParentPassword(token, "amsterdam1234", "amsterdam1234")
    login.set_parent_password(world.uow(), world.clock, InsecurePlainHasher(), password)
    number = str(world.pupil().elk_number)
    typed = signin.ParentSignIn(number, "amsterdam1234", client="1.2.3.4")
    return signin.sign_in_parent(world.uow(), world.clock, InsecurePlainHasher(), typed).actor


class TestTheRule:
    def test_a_praktijkschool_only_from_its_orientation_list(self, world: World) -> None:
        pro = _praktijkschool(world)
        with world.uow() as uow:
            schools = {s.id: s for s in uow.schools.list() if s.kind is OrgKind.VO}
        advice = Advice.single(Level.PRO)
        chosen = PreferenceList(school_ids=(pro, world.ids["vo0"]))
        found = check_registration(chosen, advice=advice, procedure=AMSTERDAM, schools=schools,
                                   today=TIMELINE.registration.start, timeline=TIMELINE,
                                   definitive=False)  # fmt: skip
        assert [v.path for v in found] == ["voorkeuren.1"]
        assert "oriëntatielijst" in found[0].message
        placeable = frozenset({pro})
        assert check_registration(chosen, advice=advice, procedure=AMSTERDAM, schools=schools,
                                  today=TIMELINE.registration.start, timeline=TIMELINE,
                                  definitive=False, placeable_at=placeable) == []  # fmt: skip
        assert check_registration(chosen, advice=advice, procedure=AMSTELLAND, schools=schools,
                                  today=TIMELINE.registration.start, timeline=TIMELINE,
                                  definitive=False) == []  # fmt: skip
        fitting = [s.id for s in schools_fitting(advice, schools.values(), AMSTERDAM)]
        assert pro not in fitting
        assert pro in [s.id for s in schools_fitting(advice, schools.values(), AMSTERDAM,
                                                     frozenset({pro}))]  # fmt: skip
        assert AMSTERDAM.needs_orientation(" TUSSENVOORZIENING ")
        assert not AMSTELLAND.needs_orientation("Praktijkonderwijs")


def Advice_pro():
    from elk_domain.kernel.advice import Advice

    return Advice.single(Level.PRO)


class TestTheAmsterdamLogin:
    def test_the_amsterdam_login_registers_in_the_amsterdam_procedure(self, world: World) -> None:
        with world.uow() as uow:  # a pro advice and result: Amsterdam asks at least 4 schools
            doc = uow.okidocs.for_pupil(world.ids["pupil"])
            pro = {p: FieldValue("pro", HAND) for p in (f.ADVICE_DEFINITIVE, f.FINAL_TEST_OUTCOME)}
            uow.okidocs.update(attrs.evolve(doc, fields={**doc.fields, **pro}))
            uow.commit()
        pro = _praktijkschool(world)
        parent = _amsterdam_parent(world)
        with world.uow() as uow:
            assert procedure_for(uow, parent, "amstelland") is AMSTERDAM
        query = RegistrationQuery(pupil_id=world.ids["pupil"], procedure="amstelland")
        page = registration_page(world.uow(), world.clock, parent, query)
        assert (page.procedure, page.need) == (AMSTERDAM, 4)
        assert pro not in [s.id for s in page.fitting]
        add = EditRegistration(pupil_id=world.ids["pupil"], procedure="amstelland",
                               action=ListAction.ADD, school_id=pro)  # fmt: skip
        with pytest.raises(Rejected):
            editing.edit_registration(world.uow(), world.clock, parent, add)
        lines = (OrientationLine(str(world.pupil().elk_number), True),)
        report = record_orientation_list(
            world.uow(),
            world.clock,
            world.admin(),
            RecordOrientationList(school=PRO_SCHOOL, lines=lines),
        )
        assert report.recorded == 1
        stored = editing.edit_registration(world.uow(), world.clock, parent, add)
        assert (stored.procedure, stored.preferences.school_ids) == ("amsterdam", (pro,))
        assert world.pupil().parent_login_amsterdam.value == "aanmelding_gestart"

    def test_the_elk_login_still_registers_in_the_installations_procedure(
        self, world: World
    ) -> None:
        parent = world.activate()
        with world.uow() as uow:
            assert procedure_for(uow, parent, "amstelland") is AMSTELLAND
        _amsterdam_parent(world)  # the child has both logins now; each has its own procedure
        with world.uow() as uow:
            assert procedure_for(uow, parent, "amstelland") is AMSTELLAND


class TestTheList:
    def test_each_line_is_checked_and_reported(self, world: World) -> None:
        _praktijkschool(world)
        lines = (OrientationLine(str(world.pupil().elk_number), False),
                 OrientationLine("999999", True), OrientationLine("geen nummer", True))  # fmt: skip
        command = RecordOrientationList(school=PRO_SCHOOL, lines=lines)
        report = record_orientation_list(world.uow(), world.clock, world.admin(), command)
        assert report.recorded == 1
        assert [n for n, _ in report.refused] == [2, 3]
        assert world.audit_actions()[-1] == "orientatielijst"
        with world.uow() as uow:
            assert uow.orientation_lists.placeable_schools(world.ids["pupil"]) == frozenset()
        again = attrs.evolve(command, lines=(attrs.evolve(lines[0], placeable=True),))
        record_orientation_list(world.uow(), world.clock, world.admin(), again)
        other = attrs.evolve(again, school="21VO")  # VO 1 of the world
        record_orientation_list(world.uow(), world.clock, world.admin(), other)
        record_orientation_list(world.uow(), world.clock, world.admin(), again)
        with world.uow() as uow:
            assert len(uow.orientation_lists.placeable_schools(world.ids["pupil"])) == 2

    def test_only_an_operator_and_only_for_a_vo_school(self, world: World) -> None:
        command = RecordOrientationList(school="12AB", lines=())
        with pytest.raises(Forbidden):
            record_orientation_list(world.uow(), world.clock, world.teacher(), command)
        with pytest.raises(Rejected, match="geen VO-school"):
            record_orientation_list(world.uow(), world.clock, world.admin(), command)
        many = attrs.evolve(command, lines=(OrientationLine("1", True),) * 5001)
        with pytest.raises(Rejected, match="hoogstens"):
            record_orientation_list(world.uow(), world.clock, world.admin(), many)
        stranger = Actor(user_id=1, name="x", role=Role.PARENT, pupil_id=1)
        with pytest.raises(Forbidden):
            record_orientation_list(world.uow(), world.clock, stranger, command)
