"""Invoeren doorstroomtoets (R-DT-3): many pupils on one page, saved together or not at all."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from tests.domain.builders import add_regenboog

from elk_domain.errors import Conflict, NotFound
from elk_domain.finaltest.entry import (
    ENTERED,
    RACED,
    STALE,
    SheetRow,
    enter_final_tests,
    final_test_sheet,
    needs_motivation,
    sheet_values,
)
from elk_domain.kernel.people import Actor, Role
from elk_domain.kernel.values import ElkNumber, PersonName
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiDoc
from elk_domain.organisation.model import Group
from elk_domain.overview.page import OverviewRequest
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock, InMemoryUnitOfWork

NOW = dt.datetime(2026, 3, 14, 9, tzinfo=dt.UTC)
TEACHER = Actor(user_id=4, name="Eva", role=Role.END_USER, board_id=1, school_id=1)
STRANGER = Actor(user_id=9, name="Piet", role=Role.END_USER, board_id=2, school_id=2)


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        school = add_regenboog(uow)
        group = uow.groups.add(Group(id=0, school_id=school.id, name="8a"))
        for n, first in enumerate(("Sam", "Noor", "Ali"), start=1):
            pupil = uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(100000 + n),
                    school_id=school.id,
                    name=PersonName(first, "Jansen"),
                    group_id=group.id,
                )
            )
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id))
        uow.commit()
    return uow


def row(pupil_id: int, version: int = 1, **values: str) -> SheetRow:
    names = {
        "toets": f.FINAL_TEST_NAME,
        "datum": f.FINAL_TEST_DATE,
        "uitslag": f.FINAL_TEST_OUTCOME,
        "advies": f.ADVICE_DEFINITIVE,
        "motivatie": f.ADVICE_DEVIATION_MOTIVATION,
        "ouders": f.ADVICE_PARENTS_INVOLVED,
    }
    return SheetRow(
        pupil_id=pupil_id,
        expected_version=version,
        values={names[k]: v for k, v in values.items()},
    )


def save(uow: InMemoryUnitOfWork, *rows: SheetRow):  # type: ignore[no-untyped-def]
    return enter_final_tests(uow, FixedClock(NOW), TEACHER, rows)


FULL = {"toets": "Route 8", "datum": "11-02-2026", "uitslag": "havo", "advies": "havo"}


class TestSaveAll:
    def test_saves_every_row_in_one_go_with_an_audit_each(self, uow: InMemoryUnitOfWork) -> None:
        result = save(uow, row(1, **FULL), row(2, **{**FULL, "uitslag": "vwo", "advies": "vwo"}))
        assert (result.saved, result.changed) == (True, 2)
        okidoc = uow.okidocs.for_pupil(1)
        assert okidoc.value(f.FINAL_TEST_NAME) == "Route 8"
        assert okidoc.value(f.FINAL_TEST_DATE) == dt.date(2026, 2, 11)
        assert f.text_of(uow.okidocs.for_pupil(2).value(f.ADVICE_DEFINITIVE)) == "vwo"
        [entry] = uow.audit.for_subject("okidoc", okidoc.id)
        assert (entry.action, entry.actor_name) == (ENTERED, "Eva")

    def test_an_unchanged_row_is_not_saved(self, uow: InMemoryUnitOfWork) -> None:
        save(uow, row(1, **FULL))
        result = save(uow, row(1, version=2, **FULL), row(2))
        assert (result.saved, result.changed) == (True, 0)
        assert uow.okidocs.for_pupil(1).version == 2

    def test_one_wrong_row_saves_nothing_and_names_its_field(self, uow: InMemoryUnitOfWork) -> None:
        result = save(uow, row(1, **FULL), row(2, uitslag="superslim", datum="31-02-2026"))
        assert not result.saved
        good, bad = result.rows
        assert good.errors == ()
        assert {v.path for v in bad.errors} == {f.FINAL_TEST_OUTCOME, f.FINAL_TEST_DATE}
        assert uow.okidocs.for_pupil(1).value(f.FINAL_TEST_NAME) is None

    def test_a_stale_row_saves_nothing_and_shows_what_is_stored_now(
        self, uow: InMemoryUnitOfWork
    ) -> None:
        save(uow, row(1, uitslag="vwo"))
        result = save(uow, row(1, version=1, uitslag="havo"), row(2, **FULL))
        stale = result.rows[0]
        [error] = stale.errors
        assert error.message == f"Eva wijzigde: Uitslag doorstroomtoets. {STALE}"
        assert (stale.version, stale.stored[f.FINAL_TEST_OUTCOME]) == (2, "vwo")
        assert uow.okidocs.for_pupil(2).value(f.FINAL_TEST_NAME) is None

    def test_an_outcome_above_the_advice_is_saved_and_reported(
        self, uow: InMemoryUnitOfWork
    ) -> None:
        result = save(uow, row(1, uitslag="vwo", advies="havo"))
        assert result.saved
        [finding] = result.rows[0].findings
        assert finding.path == f.ADVICE_DEVIATION_MOTIVATION
        answered = row(1, version=2, motivatie="Besproken met ouders.", ouders="12-03-2026")
        assert save(uow, answered).rows[0].findings == ()

    def test_a_pupil_out_of_reach_refuses_the_whole_page(self, uow: InMemoryUnitOfWork) -> None:
        with pytest.raises(NotFound):
            enter_final_tests(uow, FixedClock(NOW), STRANGER, [row(1, **FULL)])
        assert uow.okidocs.for_pupil(1).value(f.FINAL_TEST_NAME) is None

    def test_a_save_racing_this_one_saves_nothing(
        self, uow: InMemoryUnitOfWork, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def refuse(_okidoc: OkiDoc) -> OkiDoc:
            raise Conflict("versie")

        monkeypatch.setattr(uow.okidocs, "update", refuse)
        result = save(uow, row(1, **FULL), row(2))
        assert not result.saved
        assert [v.message for v in result.rows[0].errors] == [RACED]
        assert result.rows[1].errors == ()
        assert result.changed == 0


class TestSheet:
    def test_lists_each_pupil_with_values_versions_and_findings(
        self, uow: InMemoryUnitOfWork
    ) -> None:
        save(uow, row(1, **FULL), row(2, uitslag="vwo", advies="havo"))
        sheet = final_test_sheet(uow, TEACHER, OverviewRequest())
        assert sheet.values[1][f.FINAL_TEST_DATE] == "2026-02-11"  # as a date input wants it
        assert sheet.values[3] == dict.fromkeys(sheet.values[3], "")
        assert (sheet.versions[1], sheet.versions[3]) == (2, 1)
        assert sheet.findings[1] == ()
        assert sheet.findings[2][0].path == f.ADVICE_DEVIATION_MOTIVATION
        rows = {r.pupil_id: r for r in sheet.overview.page.rows}
        assert needs_motivation(rows[2])
        assert not needs_motivation(rows[1])

    def test_a_nonsense_advice_is_no_finding(self, uow: InMemoryUnitOfWork) -> None:
        sheet = final_test_sheet(uow, TEACHER, OverviewRequest())
        [first, *_] = sheet.overview.page.rows
        odd = attrs.evolve(first.facts, final_test_outcome="vwo", definitive_advice="onzin")
        assert not needs_motivation(attrs.evolve(first, facts=odd))
        answered = attrs.evolve(odd, definitive_advice="havo", deviation_motivated=True)
        assert not needs_motivation(attrs.evolve(first, facts=answered))

    def test_a_pupil_without_an_okidoc_has_empty_values(self) -> None:
        assert set(sheet_values(None).values()) == {""}
