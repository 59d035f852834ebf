"""Synchroniseer, the bulk actions and the CLI's batch scope (R-OSO-4/6/8)."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs
import pytest
from tests.domain.oso_world import (
    ADMIN,
    BOARD,
    BSN_A,
    BSN_B,
    BSN_C,
    ELSEWHERE,
    FILL,
    NOW,
    OTHER_BOARD,
    OTHER_SCHOOL,
    PDF,
    STRANGER,
    TEACHER,
    World,
    changed_paths,
    dossier,
    result,
)

from elk_domain.errors import Forbidden, NotFound, Rejected, Unavailable
from elk_domain.kernel.people import Actor, Role
from elk_domain.kernel.values import Bsn
from elk_domain.okidoc import edit as okidoc_edit
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiStatus, Source
from elk_domain.oso.batch import BatchRun, PupilSync, SyncOutcome, SyncReport
from elk_domain.oso.dossiers.merge import MergeMode
from elk_domain.oso.import_dossier import MergeOptions
from elk_domain.oso.sync import sync_each, sync_one, sync_pupils, sync_scope

Out = SyncOutcome
FINAL = {f.FINAL_TEST_NAME: "IEP", f.ADVICE_DEFINITIVE_GROUNDS: "Sterke toets"}


@pytest.fixture
def world() -> World:
    return World().seed()


def sync(
    world: World,
    pupil_ids: list[int],
    mode: MergeMode = MergeMode.FILL,
    actor: Actor = TEACHER,
    **options: Any,
) -> SyncReport:
    chosen = MergeOptions(mode=mode, **options)
    return sync_pupils(world.ports, actor, pupil_ids, chosen)


def definitief(world: World, pupil_id: int) -> None:
    with world.uow() as uow:
        doc = uow.okidocs.for_pupil(pupil_id)
        uow.okidocs.update(attrs.evolve(doc, status=OkiStatus.DEFINITIEF))
        uow.commit()


class TestOutcomes:
    def test_synced_reports_and_audits_the_field_changes(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(
            dossier(BSN_A, test_results=(result(dt.date(2024, 11, 1)),), attachments=(PDF,))
        )
        [item] = sync(world, [pupil]).items
        assert (item.outcome, item.pupil_id, item.bsn) == (Out.SYNCED, pupil, BSN_A)
        assert item.change_count == 5
        assert item.message == "5 wijziging(en)."
        doc = world.okidoc(pupil)
        assert doc.value(f.PUPIL_FIRST_NAME) == "Sam"
        assert doc.fields[f.PUPIL_FIRST_NAME].provenance.source is Source.OSO
        assert [a.filename for a in doc.attachments] == ["rapport.pdf"]
        [entry] = world.store.audit
        assert entry.action == "okidoc.oso_synchroniseren"
        assert {f.PUPIL_FIRST_NAME, f.PUPIL_BIRTH_DATE, "bijlage"} <= changed_paths([entry])

    def test_a_second_run_changes_nothing(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(dossier(BSN_A, attachments=(PDF,)))
        sync(world, [pupil])
        before = world.okidoc(pupil)
        [item] = sync(world, [pupil]).items
        assert (item.outcome, item.change_count, item.message) == (
            Out.SYNCED,
            0,
            "Geen wijzigingen.",
        )
        assert world.okidoc(pupil) == before
        assert len(world.store.audit) == 1
        assert len(world.files.files) == 1

    def test_no_dossier_ready(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        [item] = sync(world, [pupil]).items
        assert item.outcome is Out.NO_DOSSIER
        assert "LAS" in item.message
        assert not item.outcome.failed

    def test_definitief_is_reported_not_changed(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        definitief(world, pupil)
        world.ready(dossier(BSN_A))
        before = world.okidoc(pupil)
        [item] = sync(world, [pupil], MergeMode.OVERWRITE).items
        assert item.outcome is Out.REFUSED
        assert item.outcome.label == "Niet gewijzigd"
        assert "Definitief" in item.message or "definitief" in item.message
        assert world.okidoc(pupil) == before

    def test_final_test_only_still_fills_a_definitief_oki_doc(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        definitief(world, pupil)
        world.ready(dossier(BSN_A, values=FINAL))
        [item] = sync(world, [pupil], MergeMode.FINAL_TEST_ONLY).items
        assert item.outcome is Out.SYNCED
        assert {c.path for c in item.changes} == set(FINAL)
        assert world.okidoc(pupil).value(f.PUPIL_FIRST_NAME) is None

    def test_a_dossier_for_another_brin_is_rejected(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(dossier(BSN_A, sender=ELSEWHERE))
        [item] = sync(world, [pupil]).items
        assert item.outcome is Out.REJECTED
        assert "andere BRIN" in item.message
        assert "34CD00" in item.message
        assert world.okidoc(pupil).fields == {}

    def test_a_dossier_of_another_pupil_is_rejected(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.gateway.dossiers[(dossier(BSN_A).sender, BSN_A)] = dossier(BSN_B)
        [item] = sync(world, [pupil]).items
        assert (item.outcome, item.message) == (
            Out.REJECTED,
            "Dit OSO-dossier hoort bij een andere leerling: het BSN komt niet overeen.",
        )

    def test_oso_refusing_is_rejected_with_its_reason(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.gateway.fail(
            BSN_A, Rejected("Versie 2009 van de gegevensset wordt niet ondersteund.")
        )
        [item] = sync(world, [pupil]).items
        assert (item.outcome, item.message) == (
            Out.REJECTED,
            "Versie 2009 van de gegevensset wordt niet ondersteund.",
        )
        assert item.outcome.failed

    def test_a_pupil_without_bsn_is_rejected(self, world: World) -> None:
        pupil = world.add_pupil(None)
        [item] = sync(world, [pupil]).items
        assert item.outcome is Out.REJECTED
        assert "geen BSN" in item.message

    def test_oso_not_answering_is_an_error(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.gateway.fail(BSN_A, Unavailable("OSO geeft geen antwoord."))
        [item] = sync(world, [pupil]).items
        assert (item.outcome, item.message) == (Out.ERROR, "OSO geeft geen antwoord.")
        assert item.outcome.label == "Fout"

    def test_an_advice_code_in_doubt_is_named_for_manual_entry(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(dossier(BSN_A, advice_code="60"))
        [item] = sync(world, [pupil]).items
        assert [v.path for v in item.needs_manual] == [f.ADVICE_DEFINITIVE]
        assert world.okidoc(pupil).value(f.ADVICE_DEFINITIVE) is None

    def test_a_trusted_advice_code_is_taken_over(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(dossier(BSN_A, advice_code="60"))
        [item] = sync(world, [pupil], trust_inferred_advice=True).items
        assert item.needs_manual == ()
        assert [v.path for v in item.to_check] == [f.ADVICE_DEFINITIVE]
        assert "OSO-adviescode 60" in item.to_check[0].message
        field = world.okidoc(pupil).fields[f.ADVICE_DEFINITIVE]
        assert (field.value, field.provenance.inferred_from) == ("vwo", "60")

    def test_a_preview_names_the_advice_to_check_and_saves_nothing(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(dossier(BSN_A, advice_code="51"))
        [item] = sync(
            world, [pupil], MergeMode.OVERWRITE, preview=True, trust_inferred_advice=True
        ).items
        assert [v.path for v in item.to_check] == [f.ADVICE_DEFINITIVE]
        assert world.okidoc(pupil).value(f.ADVICE_DEFINITIVE) is None


class TestBulk:
    def test_the_batch_goes_on_after_failures_in_the_order_asked(self, world: World) -> None:
        a, b, c = world.add_pupil(BSN_A), world.add_pupil(BSN_B), world.add_pupil(BSN_C)
        world.gateway.fail(BSN_A, Unavailable("OSO geeft geen antwoord."))
        world.ready(dossier(BSN_B))
        report = sync_pupils(world.ports, TEACHER, [a, b, c, b], FILL)
        assert [(i.pupil_id, i.outcome) for i in report.items] == [
            (a, Out.ERROR),
            (b, Out.SYNCED),
            (c, Out.NO_DOSSIER),
        ]
        assert report.failed
        assert report.counts() == {Out.ERROR: 1, Out.SYNCED: 1, Out.NO_DOSSIER: 1}
        assert world.okidoc(b).value(f.PUPIL_FIRST_NAME) == "Sam"

    def test_a_clean_batch_has_not_failed(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        assert not sync(world, [pupil]).failed

    def test_preview_shows_changes_and_saves_nothing(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(dossier(BSN_A, attachments=(PDF,)))
        report = sync(world, [pupil], MergeMode.OVERWRITE, preview=True)
        [item] = report.items
        assert report.preview
        assert (item.outcome, item.change_count) == (Out.SYNCED, 4)
        assert item.message == "4 wijziging(en) bij synchroniseren."
        assert world.okidoc(pupil).fields == {}
        assert world.store.audit == []
        assert world.files.files == {}

    def test_overwrite_replaces_what_was_typed_by_hand(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        okidoc_edit.edit_fields(
            world.uow(), world.clock, TEACHER, pupil, 1, {f.PUPIL_FIRST_NAME: "Sammy"}
        )
        world.ready(dossier(BSN_A))
        sync(world, [pupil])
        assert world.okidoc(pupil).value(f.PUPIL_FIRST_NAME) == "Sammy"
        [item] = sync(world, [pupil], MergeMode.OVERWRITE).items
        assert [(c.path, c.old, c.new) for c in item.changes] == [
            (f.PUPIL_FIRST_NAME, "Sammy", "Sam")
        ]
        assert world.okidoc(pupil).value(f.PUPIL_FIRST_NAME) == "Sam"

    def test_threads_may_each_sync_a_pupil_with_their_own_unit_of_work(self, world: World) -> None:
        numbers = ["123456782", "111222333", "010000008", "100000009", "100000010"]
        bsns = [Bsn.parse(n) for n in numbers]
        pupils = [world.add_pupil(b) for b in bsns]
        world.ready(*(dossier(b, first=f"Kind{i}") for i, b in enumerate(bsns)))

        def one(pupil_id: int) -> PupilSync:
            return sync_one(
                world.uow(),
                world.gateway,
                world.files,
                world.clock,
                TEACHER,
                pupil_id,
                FILL,
            )

        with ThreadPoolExecutor(max_workers=4) as pool:
            items = list(pool.map(one, pupils))
        assert {i.outcome for i in items} == {Out.SYNCED}
        names = [world.okidoc(p).value(f.PUPIL_FIRST_NAME) for p in pupils]
        assert names == [f"Kind{i}" for i in range(len(bsns))]


class TestBulkPermissions:
    def test_a_pupil_of_another_school_refuses_the_whole_batch(self, world: World) -> None:
        mine, theirs = world.add_pupil(BSN_A), world.add_pupil(BSN_B, school_id=OTHER_SCHOOL)
        world.ready(dossier(BSN_A))
        with pytest.raises(NotFound):
            sync(world, [mine, theirs])
        assert world.okidoc(mine).fields == {}

    def test_a_stranger_does_not_learn_the_pupil_exists(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        with pytest.raises(NotFound):
            sync(world, [pupil], actor=STRANGER)
        with pytest.raises(NotFound):
            sync_one(
                world.uow(),
                world.gateway,
                world.files,
                world.clock,
                STRANGER,
                pupil,
                FILL,
            )

    def test_a_parent_may_see_but_not_sync(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        parent = Actor(user_id=0, name="Ouder", role=Role.PARENT, pupil_id=pupil)
        with pytest.raises(Forbidden):
            sync(world, [pupil], actor=parent)

    def test_the_board_and_the_region_may_sync(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        assert sync(world, [pupil], actor=BOARD).items[0].outcome is Out.NO_DOSSIER
        assert sync(world, [pupil], actor=ADMIN).items[0].outcome is Out.NO_DOSSIER


class TestSyncEach:
    """``elk oso sync`` after ``sync_scope``: nothing is checked up front, each job on its own."""

    def test_a_pupil_gone_since_the_scope_was_read_is_reported_and_the_batch_goes_on(
        self, world: World
    ) -> None:
        here, moved = world.add_pupil(BSN_A), world.add_pupil(BSN_B)
        world.ready(dossier(BSN_A))
        with world.uow() as uow:  # another school took the pupil over meanwhile
            pupil = uow.pupils.get(moved)
            uow.pupils.update(attrs.evolve(pupil, school_id=OTHER_SCHOOL))
            uow.commit()
        seen: list[PupilSync] = []
        report = sync_each(world.ports, TEACHER, [moved, here, moved], FILL, progress=seen.append)
        assert [(i.pupil_id, i.outcome) for i in report.items] == [
            (moved, Out.ERROR),
            (here, Out.SYNCED),
        ]
        assert "niet gevonden" in report.items[0].message
        assert list(report.items) == seen
        assert not report.interrupted

    def test_an_interrupted_run_is_reported_as_such(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)

        class Stopped:
            def run(self, jobs: Any, progress: Any = None) -> BatchRun:
                return BatchRun((jobs[0].work(world.gateway),), interrupted=True)

        stopped = attrs.evolve(world.ports, batch=Stopped())
        report = sync_each(stopped, TEACHER, [pupil, pupil + 1], FILL)
        assert report.interrupted
        assert [i.pupil_id for i in report.items] == [pupil]


class TestSyncScope:
    def test_a_school_by_brin_and_vestiging(self, world: World) -> None:
        a, b = world.add_pupil(BSN_A), world.add_pupil(BSN_B)
        world.add_pupil(BSN_C, school_id=OTHER_SCHOOL)
        assert sorted(sync_scope(world.uow(), ADMIN, school="12ab")) == [a, b]

    def test_a_board_and_the_whole_region(self, world: World) -> None:
        a = world.add_pupil(BSN_A)
        c = world.add_pupil(BSN_C, school_id=OTHER_SCHOOL)
        assert sync_scope(world.uow(), BOARD, board_id=1) == [a]
        assert sorted(sync_scope(world.uow(), Actor.system(), everything=True)) == [a, c]

    @pytest.mark.parametrize(
        "choice",
        [{}, {"school": "12AB", "board_id": 1}, {"board_id": 1, "everything": True}],
    )
    def test_exactly_one_scope_is_needed(self, world: World, choice: dict[str, object]) -> None:
        with pytest.raises(Rejected, match="precies één"):
            sync_scope(world.uow(), ADMIN, **choice)  # type: ignore[arg-type]

    def test_an_unknown_school_is_named(self, world: World) -> None:
        with pytest.raises(NotFound, match="99XX00"):
            sync_scope(world.uow(), ADMIN, school="99XX")

    def test_reach_is_checked(self, world: World) -> None:
        with pytest.raises(NotFound):
            sync_scope(world.uow(), OTHER_BOARD, board_id=1)
        with pytest.raises(NotFound):
            sync_scope(world.uow(), OTHER_BOARD, school="12AB00")
        with pytest.raises(Forbidden):
            sync_scope(world.uow(), BOARD, everything=True)

    def test_a_group_contact_gets_only_their_groups(self, world: World) -> None:
        group = world.add_group("8a")
        mine = world.add_pupil(BSN_A, group_id=group)
        world.add_pupil(BSN_B)
        contact = attrs.evolve(TEACHER, group_ids=frozenset({group}))
        assert sync_scope(world.uow(), contact, school="12AB00") == [mine]

    def test_a_vo_school_has_nothing_to_sync(self, world: World) -> None:
        assert sync_scope(world.uow(), ADMIN, school="56EF00") == []


def test_the_report_time_is_the_clock(world: World) -> None:
    pupil = world.add_pupil(BSN_A)
    world.ready(dossier(BSN_A))
    sync(world, [pupil])
    assert world.store.audit[0].at == NOW


class _MovesThePupil:
    """A gateway that moves the pupil to the other school while OSO is being asked."""

    def __init__(self, world: World, pupil_id: int) -> None:
        self.world, self.pupil_id = world, pupil_id

    def fetch_dossier(self, location: Any, bsn: Bsn) -> Any:
        with self.world.uow() as uow:
            pupil = uow.pupils.get(self.pupil_id)
            uow.pupils.update(attrs.evolve(pupil, school_id=OTHER_SCHOOL))
            uow.commit()
        return self.world.gateway.fetch_dossier(location, bsn)


class TestMovedDuringTheOsoCalls:
    """The merge reads the pupil again: a move during the OSO calls is seen (the school too)."""

    def sync_one(self, world: World, actor: Actor) -> PupilSync:
        pupil = world.add_pupil(BSN_A)
        world.ready(dossier(BSN_A))
        gateway: Any = _MovesThePupil(world, pupil)
        return sync_one(world.uow(), gateway, world.files, world.clock, actor, pupil, FILL)

    def test_the_old_school_may_no_longer_merge(self, world: World) -> None:
        item = self.sync_one(world, TEACHER)
        assert item.outcome is Out.ERROR
        assert item.pupil_id is not None
        assert world.okidoc(item.pupil_id).fields == {}

    def test_who_may_reach_the_new_school_still_merges(self, world: World) -> None:
        item = self.sync_one(world, ADMIN)
        assert item.outcome is Out.SYNCED
        assert item.pupil_id is not None
        assert world.okidoc(item.pupil_id).value(f.PUPIL_FIRST_NAME) == "Sam"
