"""R-DT-2: the result file's preview, then the import in one transaction, idempotent."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from tests.domain.builders import add_regenboog
from tests.domain.finaltest_world import FakeReader, line

from elk_domain.errors import Forbidden, NotFound, Rejected
from elk_domain.finaltest.matching import MatchStatus
from elk_domain.finaltest.result_import import (
    ALREADY_IMPORTED,
    IMPORTED,
    ImportResults,
    import_results,
    preview_import,
)
from elk_domain.kernel.people import Actor, Role
from elk_domain.kernel.values import Bsn, ElkNumber, PersonName
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiDoc, OkiStatus
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock, InMemoryUnitOfWork

NOW = dt.datetime(2026, 3, 14, 9, tzinfo=dt.UTC)
DAY = dt.date(2013, 5, 4)
ADMIN = Actor(user_id=3, name="Sara", role=Role.SCHOOL_ADMIN, board_id=1, school_id=1)
STRANGER = Actor(user_id=9, name="Piet", role=Role.END_USER, board_id=2, school_id=2)
OPERATOR = Actor.system("elk finaltest import (test)")


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        school = add_regenboog(uow)
        people = [("Sam", "Jansen", "", "111222333"), ("Jan", "Berg", "van der", None)]
        people += [("Johan", "Berg", "van der", None)]
        for n, (first, last, tv, bsn) in enumerate(people, start=1):
            pupil = uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(100000 + n),
                    school_id=school.id,
                    name=PersonName(first, last, tv),
                    birth_date=DAY,
                    bsn=Bsn.parse(bsn) if bsn else None,
                )
            )
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id))
        uow.commit()
    return uow


READER = FakeReader(
    line(1, bsn="111222333"),
    line(2, first_name="J.", tussenvoegsel="", last_name="Berg, van der", outcome="vwo"),
    line(3, first_name="Fatima", last_name="Yilmaz"),
    line(4, brin="99ZZ00"),
)


def run(
    uow: InMemoryUnitOfWork, choices: dict[int, int] | None = None, reader: FakeReader = READER
):  # type: ignore[no-untyped-def]
    command = ImportResults(brin="12AB00", data=b"zip", choices=choices or {})
    return import_results(uow, FixedClock(NOW), reader, ADMIN, command)


class TestPreview:
    def test_lists_every_line_by_verdict_and_stores_nothing(self, uow: InMemoryUnitOfWork) -> None:
        preview = preview_import(uow, READER, ADMIN, "12AB00", b"zip")
        assert preview.format == "CSV"
        assert [pl.match.line.number for pl in preview.with_status(MatchStatus.MATCHED)] == [1]
        [uncertain] = preview.with_status(MatchStatus.UNCERTAIN)
        assert [p.name.first for p in uncertain.match.candidates] == ["Jan", "Johan"]
        assert len(preview.with_status(MatchStatus.NOT_FOUND)) == 2
        assert preview.lines[0].values == {
            f.FINAL_TEST_NAME: "Route 8",
            f.FINAL_TEST_OUTCOME: "havo/vwo",
            f.FINAL_TEST_DATE: "2026-02-11",
            f.FINAL_TEST_SCORES: "",
        }
        assert uow.okidocs.for_pupil(1).value(f.FINAL_TEST_OUTCOME) is None

    def test_a_line_whose_outcome_is_no_advice_is_marked_invalid(
        self, uow: InMemoryUnitOfWork
    ) -> None:
        reader = FakeReader(line(1, bsn="111222333", outcome="superslim"))
        [only] = preview_import(uow, reader, ADMIN, "12AB00", b"zip").lines
        assert only.match.status is MatchStatus.MATCHED
        assert "superslim" in only.invalid
        report = run(uow, reader=reader)
        assert (report.changed, report.unchanged) == (0, 0)
        assert uow.okidocs.for_pupil(1).value(f.FINAL_TEST_OUTCOME) is None

    def test_an_unknown_school_is_not_found(self, uow: InMemoryUnitOfWork) -> None:
        with pytest.raises(NotFound, match="99ZZ00"):
            preview_import(uow, READER, ADMIN, "99ZZ00", b"zip")

    def test_a_teacher_of_the_school_may_import(self, uow: InMemoryUnitOfWork) -> None:
        teacher = Actor(user_id=4, name="Eva", role=Role.END_USER, board_id=1, school_id=1)
        assert preview_import(uow, READER, teacher, "12AB00", b"zip").school.id == 1

    def test_a_vo_user_may_not(self, uow: InMemoryUnitOfWork) -> None:
        vo = Actor(user_id=5, name="Vera", role=Role.VO_USER, board_id=1, school_id=1)
        with pytest.raises(Forbidden):
            preview_import(uow, READER, vo, "12AB00", b"zip")

    def test_another_school_is_refused_before_the_file_is_read(
        self, uow: InMemoryUnitOfWork
    ) -> None:
        reader = FakeReader()
        with pytest.raises(NotFound):
            preview_import(uow, reader, STRANGER, "12AB00", b"zip")
        assert reader.reads == 0

    def test_a_refused_file_is_passed_on(self, uow: InMemoryUnitOfWork) -> None:
        with pytest.raises(Rejected, match="kapot"):
            preview_import(uow, FakeReader(refuse="kapot"), OPERATOR, "12AB00", b"zip")


class TestImport:
    def test_keeps_the_scores_as_the_file_writes_them(self, uow: InMemoryUnitOfWork) -> None:
        reader = FakeReader(
            line(1, bsn="111222333", scores=(("Score taal", " 231"), ("Score rekenen", "219")))
        )
        run(uow, reader=reader)
        scores = uow.okidocs.for_pupil(1).value(f.FINAL_TEST_SCORES)
        assert scores == "Score taal: 231; Score rekenen: 219"

    def test_saves_the_certain_lines_through_the_okidoc_with_an_audit(
        self, uow: InMemoryUnitOfWork
    ) -> None:
        report = run(uow)
        assert (report.changed, report.unchanged) == (1, 0)
        assert report.message == "1 resultaten ingelezen, 0 waren al bijgewerkt."
        okidoc = uow.okidocs.for_pupil(1)
        assert okidoc.value(f.FINAL_TEST_NAME) == "Route 8"
        assert okidoc.value(f.FINAL_TEST_DATE) == dt.date(2026, 2, 11)
        assert f.text_of(okidoc.value(f.FINAL_TEST_OUTCOME)) == "havo/vwo"
        [entry] = [e for e in uow.audit.for_subject("okidoc", okidoc.id)]
        assert (entry.action, entry.actor_name, entry.detail) == (IMPORTED, "Sara", "CSV, regel 1")
        assert {c.path for c in entry.changes} == set(f.FINAL_TEST_PATHS) - {
            f.ADVICE_DEFINITIVE,
            f.ADVICE_DEVIATION_MOTIVATION,
        } & {f.FINAL_TEST_NAME, f.FINAL_TEST_DATE, f.FINAL_TEST_OUTCOME}
        assert uow.okidocs.for_pupil(2).value(f.FINAL_TEST_OUTCOME) is None

    def test_the_same_file_twice_changes_nothing_and_says_so(self, uow: InMemoryUnitOfWork) -> None:
        run(uow)
        version = uow.okidocs.for_pupil(1).version
        again = run(uow)
        assert (again.changed, again.unchanged, again.message) == (0, 1, ALREADY_IMPORTED)
        assert uow.okidocs.for_pupil(1).version == version

    def test_a_definitief_okidoc_still_takes_the_result(self, uow: InMemoryUnitOfWork) -> None:
        with uow:
            uow.okidocs.update(attrs.evolve(uow.okidocs.for_pupil(1), status=OkiStatus.DEFINITIEF))
            uow.commit()
        run(uow)
        okidoc = uow.okidocs.for_pupil(1)
        assert okidoc.status is OkiStatus.DEFINITIEF
        assert okidoc.value(f.FINAL_TEST_NAME) == "Route 8"

    def test_the_school_resolves_an_uncertain_line_by_choosing_a_candidate(
        self, uow: InMemoryUnitOfWork
    ) -> None:
        report = run(uow, choices={2: 3})
        assert report.changed == 2
        assert f.text_of(uow.okidocs.for_pupil(3).value(f.FINAL_TEST_OUTCOME)) == "vwo"
        assert uow.okidocs.for_pupil(2).value(f.FINAL_TEST_OUTCOME) is None

    def test_an_operator_resolves_by_elk_number(self, uow: InMemoryUnitOfWork) -> None:
        command = ImportResults(brin="12AB00", data=b"zip", elk_choices={2: 100003})
        report = import_results(uow, FixedClock(NOW), READER, ADMIN, command)
        assert report.changed == 2
        assert f.text_of(uow.okidocs.for_pupil(3).value(f.FINAL_TEST_OUTCOME)) == "vwo"

    @pytest.mark.parametrize("elk_choices", [{2: 100001}, {9: 100003}])
    def test_an_elk_number_that_is_no_candidate_is_refused(
        self, uow: InMemoryUnitOfWork, elk_choices: dict[int, int]
    ) -> None:
        command = ImportResults(brin="12AB00", data=b"zip", elk_choices=elk_choices)
        with pytest.raises(Rejected, match="Regel"):
            import_results(uow, FixedClock(NOW), READER, ADMIN, command)
        assert uow.okidocs.for_pupil(1).value(f.FINAL_TEST_OUTCOME) is None

    @pytest.mark.parametrize("choices", [{2: 1}, {1: 1}, {3: 2}])
    def test_only_a_candidate_of_an_uncertain_line_can_be_chosen(
        self, uow: InMemoryUnitOfWork, choices: dict[int, int]
    ) -> None:
        with pytest.raises(Rejected, match="kies een van de voorgestelde leerlingen"):
            run(uow, choices=choices)
        assert uow.okidocs.for_pupil(1).value(f.FINAL_TEST_OUTCOME) is None  # nothing half-done

    def test_two_lines_chosen_for_one_pupil_are_refused(self, uow: InMemoryUnitOfWork) -> None:
        reader = FakeReader(
            line(1, first_name="J.", last_name="van der Berg"),
            line(2, first_name="J", last_name="Berg", tussenvoegsel="van der"),
        )
        with pytest.raises(Rejected, match="dezelfde leerling"):
            run(uow, choices={1: 2, 2: 2}, reader=reader)
        assert uow.okidocs.for_pupil(2).value(f.FINAL_TEST_OUTCOME) is None

    def test_a_failure_halfway_leaves_nothing_saved(self, uow: InMemoryUnitOfWork) -> None:
        with uow:
            uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(100009),
                    school_id=1,
                    name=PersonName("Mila", "Visser"),
                    birth_date=DAY,
                )
            )  # no Oki-doc: saving her result fails after Sam's was stored
            uow.commit()
        reader = FakeReader(
            line(1, bsn="111222333"), line(2, first_name="Mila", last_name="Visser")
        )
        with pytest.raises(NotFound, match="geen Oki-doc"):
            run(uow, reader=reader)
        assert uow.okidocs.for_pupil(1).value(f.FINAL_TEST_OUTCOME) is None
