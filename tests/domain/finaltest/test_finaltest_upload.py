"""R-DT-2 on the web: the uploaded file kept between preview and import, bound to its uploader."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.domain.builders import add_regenboog
from tests.domain.finaltest_world import DAY, FakeReader, line

from elk_domain.errors import Forbidden, NotFound, Rejected
from elk_domain.finaltest.matching import MatchStatus
from elk_domain.finaltest.result_import import ALREADY_IMPORTED
from elk_domain.finaltest.upload import (
    GONE,
    StagedUpload,
    import_page,
    import_staged,
    stage_upload,
)
from elk_domain.kernel.people import Actor, Role
from elk_domain.kernel.values import ElkNumber, PersonName
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiDoc
from elk_domain.organisation.model import Group
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock, InMemoryFileStore, InMemoryUnitOfWork

NOW = dt.datetime(2026, 3, 14, 9, tzinfo=dt.UTC)
ADMIN = Actor(user_id=3, name="Sara", role=Role.SCHOOL_ADMIN, board_id=1, school_id=1)
READER = FakeReader(
    line(1, first_name="Sam", last_name="Jansen"),
    line(2, first_name="J.", last_name="Berg", tussenvoegsel="van der", outcome="vwo"),
)


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        school = add_regenboog(uow)
        groups = [uow.groups.add(Group(id=0, school_id=school.id, name=n)) for n in ("8a", "8b")]
        people = [("Sam", "Jansen", "", 0), ("Jan", "Berg", "van der", 0)]
        people += [("Johan", "Berg", "van der", 1)]
        for n, (first, last, tv, group) in enumerate(people, start=1):
            pupil = uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(100000 + n),
                    school_id=school.id,
                    name=PersonName(first, last, tv),
                    birth_date=DAY,
                    group_id=groups[group].id,
                )
            )
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id))
        uow.commit()
    return uow


def stage(uow: InMemoryUnitOfWork, files: InMemoryFileStore, actor: Actor = ADMIN):  # type: ignore[no-untyped-def]
    return stage_upload(uow, files, READER, actor, filename="C:\\toets\\uitslag.zip", data=b"zip")


class TestStage:
    def test_keeps_the_file_and_returns_its_preview(self, uow: InMemoryUnitOfWork) -> None:
        files = InMemoryFileStore()
        staged, preview = stage(uow, files)
        assert files.get(staged.key) == b"zip"
        assert (staged.school_id, staged.user_id, staged.filename) == (1, 3, "uitslag.zip")
        assert [pl.match.status for pl in preview.lines] == [
            MatchStatus.MATCHED,
            MatchStatus.UNCERTAIN,
        ]

    def test_a_refused_file_is_not_kept(self, uow: InMemoryUnitOfWork) -> None:
        files = InMemoryFileStore()
        with pytest.raises(Rejected):
            stage_upload(uow, files, FakeReader(refuse="kapot"), ADMIN, filename="x", data=b"")
        assert files.files == {}

    def test_a_user_without_a_school_is_sent_to_the_cli(self, uow: InMemoryUnitOfWork) -> None:
        with pytest.raises(NotFound, match="elk finaltest import"):
            stage(uow, InMemoryFileStore(), Actor.system())

    def test_a_vo_user_may_not_and_nothing_is_read(self, uow: InMemoryUnitOfWork) -> None:
        vo = Actor(user_id=5, name="Vera", role=Role.VO_USER, board_id=1, school_id=1)
        reader = FakeReader()
        with pytest.raises(Forbidden):
            stage_upload(uow, InMemoryFileStore(), reader, vo, filename="x", data=b"")
        assert reader.reads == 0

    def test_a_contact_person_sees_no_candidate_outside_their_groups(
        self, uow: InMemoryUnitOfWork
    ) -> None:
        teacher = Actor(
            user_id=4, name="Eva", role=Role.END_USER, board_id=1, school_id=1, group_ids=(1,)
        )
        _staged, preview = stage(uow, InMemoryFileStore(), teacher)
        [uncertain] = preview.with_status(MatchStatus.UNCERTAIN)
        assert [p.name.first for p in uncertain.match.candidates] == ["Jan"]


class TestImportStaged:
    def test_imports_with_the_choice_and_drops_the_file(self, uow: InMemoryUnitOfWork) -> None:
        files = InMemoryFileStore()
        staged, _ = stage(uow, files)
        report = import_staged(uow, files, FixedClock(NOW), READER, ADMIN, staged, {2: 3})
        assert report.changed == 2
        assert f.text_of(uow.okidocs.for_pupil(3).value(f.FINAL_TEST_OUTCOME)) == "vwo"
        assert files.files == {}

    def test_the_same_file_again_changes_nothing_and_says_so(self, uow: InMemoryUnitOfWork) -> None:
        files = InMemoryFileStore()
        first, _ = stage(uow, files)
        import_staged(uow, files, FixedClock(NOW), READER, ADMIN, first, {})
        again, _ = stage(uow, files)
        report = import_staged(uow, files, FixedClock(NOW), READER, ADMIN, again, {})
        assert report.message == ALREADY_IMPORTED

    def test_a_forged_pupil_id_is_refused_and_nothing_saved(self, uow: InMemoryUnitOfWork) -> None:
        files = InMemoryFileStore()
        staged, _ = stage(uow, files)
        with pytest.raises(Rejected, match="kies een van de voorgestelde leerlingen"):
            import_staged(uow, files, FixedClock(NOW), READER, ADMIN, staged, {2: 99})
        assert uow.okidocs.for_pupil(1).value(f.FINAL_TEST_OUTCOME) is None
        assert staged.key in files.files  # the school can choose again

    def test_someone_elses_upload_is_not_found(self, uow: InMemoryUnitOfWork) -> None:
        files = InMemoryFileStore()
        staged, _ = stage(uow, files)
        colleague = Actor(user_id=7, name="Piet", role=Role.END_USER, board_id=1, school_id=1)
        assert import_page(uow, files, READER, colleague, staged).gone
        with pytest.raises(NotFound, match=GONE):
            import_staged(uow, files, FixedClock(NOW), READER, colleague, staged, {})
        stage_upload(uow, files, READER, colleague, filename="b", data=b"", replaces=staged)
        assert staged.key in files.files  # not theirs to remove


class TestPage:
    def test_without_a_file_only_the_school(self, uow: InMemoryUnitOfWork) -> None:
        page = import_page(uow, InMemoryFileStore(), READER, ADMIN, None)
        assert (page.school.id, page.preview, page.gone) == (1, None, False)

    def test_with_a_kept_file_its_preview(self, uow: InMemoryUnitOfWork) -> None:
        files = InMemoryFileStore()
        staged, _ = stage(uow, files)
        page = import_page(uow, files, READER, ADMIN, staged)
        assert page.preview is not None
        assert len(page.preview.lines) == 2

    def test_a_new_upload_replaces_the_old_file(self, uow: InMemoryUnitOfWork) -> None:
        files = InMemoryFileStore()
        old, _ = stage(uow, files)
        new, _ = stage_upload(uow, files, READER, ADMIN, filename="b", data=b"", replaces=old)
        assert list(files.files) == [new.key]
        assert import_page(uow, files, READER, ADMIN, old).gone


class TestSessionShape:
    def test_round_trips(self) -> None:
        staged = StagedUpload(key="k", school_id=1, user_id=2, filename="a.zip")
        assert StagedUpload.from_dict(staged.as_dict()) == staged

    @pytest.mark.parametrize("raw", [None, "x", {"key": "k"}, {"key": "k", "school_id": "a",
                                     "user_id": 1, "filename": ""}])  # fmt: skip
    def test_anything_else_is_none(self, raw: object) -> None:
        assert StagedUpload.from_dict(raw) is None
