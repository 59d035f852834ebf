"""Aanvragen overdracht (R-OSO-3): request, fetch, create or sync; atomic per pupil; re-runnable."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.domain.oso_world import (
    BOARD,
    BSN_A,
    BSN_B,
    BSN_C,
    ELSEWHERE,
    FILL,
    HERE,
    SCHOOL,
    STRANGER,
    TEACHER,
    VO_SCHOOL,
    World,
    dossier,
    result,
)

from elk_domain.errors import NotFound, Rejected, Unavailable
from elk_domain.kernel.people import Actor
from elk_domain.kernel.values import Bsn
from elk_domain.okidoc import edit as okidoc_edit
from elk_domain.okidoc import fields as f
from elk_domain.organisation.model import Group
from elk_domain.oso.batch import PupilSync, SyncOutcome
from elk_domain.oso.dossiers.dossier import DossierAttachment
from elk_domain.oso.dossiers.merge import MergeMode
from elk_domain.oso.transfer import (
    NOT_REGISTERED,
    SWITCHED_OFF,
    JoinedUnitOfWork,
    TransferReport,
    request_transfers,
)
from elk_domain.testing import InMemoryFileStore

Out = SyncOutcome


@pytest.fixture
def world() -> World:
    return World().seed().registered()


def request(
    world: World, text: str, actor: Actor = TEACHER, *, progress: Any = None, **options: Any
) -> TransferReport:
    """``options``: what differs from ``FILL`` (``MergeOptions`` fields)."""
    chosen = attrs.evolve(FILL, **options)
    return request_transfers(world.ports, actor, SCHOOL, text, chosen, progress=progress)


def attachment(bsn: Bsn) -> DossierAttachment:
    return DossierAttachment.from_bytes(
        kind="Rapport",
        filename=f"{bsn}.pdf",
        content_type="application/pdf",
        data=bsn.value.encode(),
    )


class TestCreatesPupils:
    def test_a_new_bsn_creates_pupil_oki_doc_and_merge_together(self, world: World) -> None:
        world.ready(dossier(BSN_A, group_name="8b", values={f.PUPIL_TUSSENVOEGSEL: "van"}))
        [item] = request(world, "123 456 782").items
        assert (item.outcome, item.bsn) == (Out.CREATED, BSN_A)
        assert item.outcome.label == "Leerling aangemaakt"
        [pupil] = world.pupils()
        assert (pupil.id, pupil.bsn, pupil.name.full()) == (item.pupil_id, BSN_A, "Sam van Jansen")
        assert (pupil.birth_date, pupil.elk_number.value) == (dt.date(2013, 5, 14), 100001)
        with world.uow() as uow:
            assert uow.groups.get(pupil.group_id or 0).name == "8b"
        assert world.okidoc(pupil.id).value(f.PUPIL_LAST_NAME) == "Jansen"
        assert item.message == f"Leerling aangemaakt; {item.change_count} gegevens overgenomen."

    def test_a_trusted_advice_code_is_read_in_marked_inferred(self, world: World) -> None:
        world.ready(dossier(BSN_A, advice_code="51"))
        world.ready(dossier(BSN_B, advice_code="52"))
        report = request(world, "123456782\n111222333", trust_inferred_advice=True)
        by_bsn = {item.bsn: item for item in report.items}
        inferred, manual = by_bsn[BSN_A], by_bsn[BSN_B]
        assert [v.path for v in inferred.to_check] == [f.ADVICE_DEFINITIVE]
        assert inferred.needs_manual == ()
        field = world.okidoc(inferred.pupil_id or 0).fields[f.ADVICE_DEFINITIVE]
        assert (field.value, field.provenance.inferred_from) == ("havo/vwo", "51")
        assert [v.path for v in manual.needs_manual] == [f.ADVICE_DEFINITIVE]
        assert world.okidoc(manual.pupil_id or 0).value(f.ADVICE_DEFINITIVE) is None

    def test_a_known_pupil_gets_the_trusted_advice_as_well(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(dossier(BSN_A, advice_code="40"))
        [item] = request(world, "123456782", trust_inferred_advice=True).items
        assert (item.outcome, item.pupil_id) == (Out.SYNCED, pupil)
        field = world.okidoc(pupil).fields[f.ADVICE_DEFINITIVE]
        assert (field.value, field.provenance.inferred_from) == ("vmbo-gl/tl", "40")

    def test_untrusted_the_advice_code_needs_manual_entry(self, world: World) -> None:
        world.ready(dossier(BSN_A, advice_code="51"))
        [item] = request(world, "123456782").items
        assert [v.path for v in item.needs_manual] == [f.ADVICE_DEFINITIVE]
        assert item.to_check == ()
        assert world.okidoc(item.pupil_id or 0).value(f.ADVICE_DEFINITIVE) is None

    def test_the_creation_is_audited_with_a_masked_bsn(self, world: World) -> None:
        world.ready(dossier(BSN_A, group_name="8b"))
        request(world, "123456782")
        created, merged = world.store.audit
        assert (created.action, merged.action) == (
            "leerling.aanmaken_oso",
            "okidoc.oso_synchroniseren",
        )
        assert [(c.path, c.new) for c in created.changes] == [
            ("naam", "Sam Jansen"),
            ("groep", "8b"),
        ]
        assert "******782" in created.detail
        assert "123456782" not in created.detail
        assert f.PUPIL_FIRST_NAME in {c.path for c in merged.changes}

    def test_an_existing_group_is_reused_whatever_its_case(self, world: World) -> None:
        group = world.add_group("8B")
        world.ready(dossier(BSN_A, group_name=" 8b "), dossier(BSN_B, group_name=""))
        request(world, "123456782\n111222333")
        assert sorted(p.group_id or 0 for p in world.pupils()) == [0, group]

    def test_a_dossier_without_a_name_still_creates_the_pupil(self, world: World) -> None:
        world.ready(dossier(BSN_A, values={f.PUPIL_FIRST_NAME: "", f.PUPIL_LAST_NAME: ""}))
        request(world, "123456782")
        [pupil] = world.pupils()
        assert pupil.name.full() == "(onbekend)"

    def test_a_crash_while_creating_leaves_nothing_behind(self, world: World) -> None:
        world.ready(dossier(BSN_A, attachments=(attachment(BSN_A),)))
        world.files = Crashing(crash_on=BSN_A.value.encode())
        [item] = request(world, "123456782").items  # the batch reports it and goes on
        assert (item.outcome, item.bsn, item.pupil_id) == (Out.ERROR, BSN_A, None)
        assert item.message.startswith("Onverwachte fout (RuntimeError)")
        assert world.pupils() == []
        assert world.store.audit == []
        world.files = InMemoryFileStore()
        assert request(world, "123456782").items[0].outcome is Out.CREATED
        assert len(world.pupils()) == 1


class TestExistingPupils:
    def test_an_existing_pupil_is_synced_not_created_again(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(dossier(BSN_A))
        [item] = request(world, "123456782").items
        assert (item.outcome, item.pupil_id) == (Out.SYNCED, pupil)
        assert len(world.pupils()) == 1

    def test_a_second_request_changes_nothing(self, world: World) -> None:
        world.ready(dossier(BSN_A, test_results=(result(dt.date(2024, 10, 1)),)))
        request(world, "123456782")
        audit = list(world.store.audit)
        [item] = request(world, "123456782").items
        assert (item.outcome, item.change_count) == (Out.SYNCED, 0)
        assert len(world.pupils()) == 1
        assert world.store.audit == audit

    def test_overwrite_replaces_hand_edits(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        okidoc_edit.edit_fields(
            world.uow(), world.clock, TEACHER, pupil, 1, {f.PUPIL_LAST_NAME: "Jans"}
        )
        world.ready(dossier(BSN_A))
        assert request(world, "123456782").mode is MergeMode.FILL
        assert world.okidoc(pupil).value(f.PUPIL_LAST_NAME) == "Jans"
        report = request(world, "123456782", mode=MergeMode.OVERWRITE)
        assert report.mode is MergeMode.OVERWRITE
        assert world.okidoc(pupil).value(f.PUPIL_LAST_NAME) == "Jansen"


class TestOutcomesAndReport:
    def test_every_outcome_and_the_batch_goes_on(self, world: World) -> None:
        pdf = Bsn.parse("100000009")
        world.ready(dossier(BSN_A), dossier(BSN_C, sender=ELSEWHERE), dossier(pdf))
        world.gateway.fail(BSN_B, Unavailable("OSO geeft geen antwoord."))
        no_dossier = Bsn.parse("100000010")
        text = "123456782; 111222333; 010000008; 100000010; 100000009; onzin; 123456782"
        seen: list[PupilSync] = []
        report = request(world, text, progress=seen.append)
        assert [(i.bsn, i.outcome) for i in report.items] == [
            (BSN_A, Out.CREATED),
            (BSN_B, Out.ERROR),
            (BSN_C, Out.REJECTED),
            (no_dossier, Out.NO_DOSSIER),
            (pdf, Out.CREATED),
        ]
        assert seen == list(report.items)
        assert report.location == HERE
        assert [e.text for e in report.parsed.invalid] == ["onzin"]
        assert report.parsed.duplicates == ("123456782",)
        assert report.failed
        assert report.counts()[Out.CREATED] == 2
        assert {p.bsn for p in world.pupils()} == {BSN_A, pdf}
        assert [t.bsn for t in world.gateway.tickets] == [BSN_A, BSN_C, no_dossier, pdf]

    def test_oso_refusing_a_request_is_rejected(self, world: World) -> None:
        world.gateway.fail(BSN_A, Rejected("Onbekende leerling bij dit aanleverpunt."))
        [item] = request(world, "123456782").items
        assert (item.outcome, item.message) == (
            Out.REJECTED,
            "Onbekende leerling bij dit aanleverpunt.",
        )

    def test_no_dossier_ready_says_what_to_do(self, world: World) -> None:
        [item] = request(world, "123456782").items
        assert item.outcome is Out.NO_DOSSIER
        assert "klaar" in item.message
        assert world.pupils() == []


class TestRefusals:
    def test_an_unregistered_point_refuses_before_calling_oso(self) -> None:
        world = World().seed()
        with pytest.raises(Rejected) as caught:
            request(world, "123456782")
        assert caught.value.message == NOT_REGISTERED
        assert world.gateway.tickets == []

    def test_a_switched_off_point_refuses_until_registered_again(self, world: World) -> None:
        with world.uow() as uow:
            point = uow.delivery_points.for_school(SCHOOL)
            assert point is not None
            uow.delivery_points.save(attrs.evolve(point, may_request=False))
            uow.commit()
        with pytest.raises(Rejected) as caught:
            request(world, "123456782")
        assert caught.value.message == SWITCHED_OFF

    def test_a_preview_is_refused_before_anything_is_asked(self, world: World) -> None:
        with pytest.raises(ValueError, match="no preview"):
            request(world, "123456782", preview=True)
        assert world.pupils() == []

    def test_an_empty_list_is_refused(self, world: World) -> None:
        with pytest.raises(Rejected, match="minstens één BSN"):
            request(world, " \n ")

    def test_another_school_does_not_learn_it_exists(self, world: World) -> None:
        with pytest.raises(NotFound):
            request(world, "123456782", actor=STRANGER)

    def test_the_board_may_request_but_not_for_a_vo_school(self, world: World) -> None:
        assert request(world, "123456782", actor=BOARD).items[0].outcome is Out.NO_DOSSIER
        with pytest.raises(Rejected, match="basisscholen"):
            request_transfers(world.ports, BOARD, VO_SCHOOL, "1", FILL)

    def test_a_group_contact_cannot_create_a_pupil_outside_their_groups(self, world: World) -> None:
        contact = attrs.evolve(TEACHER, group_ids=frozenset({world.add_group("8a")}))
        world.ready(dossier(BSN_A, group_name="8b"))
        [item] = request(world, "123456782", actor=contact).items
        assert item.outcome is Out.ERROR
        assert world.pupils() == []


class TestJoinedUnitOfWork:
    def test_it_lends_the_open_transaction_and_leaves_the_commit_to_its_owner(
        self, world: World
    ) -> None:
        with world.uow() as uow:
            joined = JoinedUnitOfWork(uow)
            with joined as inner:
                assert inner.groups is uow.groups
                inner.groups.add(Group(0, SCHOOL, "8z"))
                inner.commit()
            assert uow.commits == 0
            joined.rollback()
            uow.commit()
        with world.uow() as uow:
            assert list(uow.groups.list(SCHOOL)) == []


# -- interrupting a batch at any pupil and running it again ends as one clean run ------------

POOL = [BSN_A, BSN_B, BSN_C, Bsn.parse("100000009"), Bsn.parse("100000010")]
KINDS = ["ready", "existing", "missing", "rejected", "foreign"]


@attrs.define
class Crashing(InMemoryFileStore):
    """A file store that crashes (like a killed process) when asked to keep certain bytes."""

    crash_on: bytes | None = None

    def put(self, data: bytes, *, content_type: str) -> str:
        if data == self.crash_on:
            raise RuntimeError("proces afgebroken")
        return super().put(data, content_type=content_type)


def scenario_world(kinds: list[str]) -> World:
    world = World().seed().registered()
    for bsn, kind in zip(POOL, kinds, strict=False):
        extra: dict[str, Any] = {"attachments": (attachment(bsn),), "group_name": "8a"}
        if kind == "existing":
            world.add_pupil(bsn)
        if kind in ("ready", "existing"):
            world.ready(dossier(bsn, test_results=(result(dt.date(2024, 9, 1)),), **extra))
        elif kind == "rejected":
            world.gateway.fail(bsn, Rejected("Dossier ongeldig."))
        elif kind == "foreign":
            world.ready(dossier(bsn, sender=ELSEWHERE))
    return world


def end_state(world: World) -> tuple[object, ...]:
    with world.uow() as uow:
        groups = {g.id: g.name for g in uow.groups.list(SCHOOL)}
        rows: list[tuple[object, ...]] = []
        for pupil in uow.pupils.list(SCHOOL):
            doc = uow.okidocs.for_pupil(pupil.id)
            content = sorted((p, str(v.value)) for p, v in doc.fields.items())
            files = [(a.sha256, a.filename) for a in doc.attachments]
            rows.append((str(pupil.bsn), pupil.name, groups.get(pupil.group_id or 0), content))
            rows.append((str(pupil.bsn), doc.status, doc.test_results, files))
    audit = sorted(repr((e.action, e.changes, e.detail)) for e in world.store.audit)
    return sorted(rows, key=repr), sorted(groups.values()), audit


@settings(max_examples=40, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=len(POOL)),
    data=st.data(),
)
def test_an_interrupted_batch_run_again_ends_like_one_clean_run(
    kinds: list[str], data: st.DataObject
) -> None:
    text = "\n".join(b.value for b in POOL[: len(kinds)])
    clean = scenario_world(kinds)
    request(clean, text)

    crashed = scenario_world(kinds)
    at = data.draw(st.integers(0, len(kinds) - 1), label="crash at")
    bsn = POOL[at]
    if data.draw(st.booleans(), label="crash inside the transaction"):
        crashed.files = Crashing(crash_on=bsn.value.encode())
    else:
        crashed.gateway.fail(bsn, RuntimeError("proces afgebroken"))
    with contextlib.suppress(RuntimeError):
        request(crashed, text)
    crashed.files = InMemoryFileStore(files=dict(crashed.files.files))
    crashed.gateway.heal(bsn)
    if kinds[at] == "rejected":
        crashed.gateway.fail(bsn, Rejected("Dossier ongeldig."))
    request(crashed, text)
    assert end_state(crashed) == end_state(clean)
