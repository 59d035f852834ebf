"""The official business rules' messages at every sync (issue 21, item 3; decision 0044).

A dossier that passed the XSD but broke Edustandaard's rules is merged, and what the rules said
shows in the sync result per pupil and is kept as an OSO notification for the school, once per
dossier version; nothing of it is dropped silently.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from tests.domain.oso_world import BSN_A, BSN_B, FILL, NOW, SCHOOL, TEACHER, World, dossier

from elk_domain.kernel.people import Actor
from elk_domain.logbooks.okidoc_history import okidoc_history
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiStatus
from elk_domain.oso.batch import SyncOutcome, SyncReport
from elk_domain.oso.config import list_notifications
from elk_domain.oso.delivery_point import NotificationKind
from elk_domain.oso.dossiers.dossier import OsoDossier, RuleMessage
from elk_domain.oso.dossiers.merge import MergeMode
from elk_domain.oso.import_dossier import MergeOptions
from elk_domain.oso.rule_notices import AUDIT_ACTION, FIX_IN_LAS, message_text
from elk_domain.oso.sync import sync_pupils
from elk_domain.oso.transfer import request_transfers
from elk_domain.overview.home import notification_count

CATEGORIES_MISSING = RuleMessage(
    rule="OVb.MD03",
    severity="fout",
    location="/dossier/metadata",
    text='Een binnen-brin dossier moet het blok "Categorie uitlevering" bevatten.',
)
GEBOORTEPLAATS = RuleMessage(
    rule="",
    severity="fout",
    location="",
    text="De geboorteplaats van de leerling is verboden in een overstapdossier, dus ook voor "
    "overdracht-binnen-brin.",
)


@pytest.fixture
def world() -> World:
    return World().seed()


def broken(**kwargs: Any) -> OsoDossier:
    return dossier(BSN_A, **({"rule_messages": (CATEGORIES_MISSING,)} | kwargs))


def sync(
    world: World, pupil_ids: list[int], mode: MergeMode = MergeMode.FILL, **options: Any
) -> SyncReport:
    chosen = MergeOptions(mode=mode, **options)
    return sync_pupils(world.ports, TEACHER, pupil_ids, chosen)


def notifications(world: World, actor: Actor = TEACHER) -> list[Any]:
    return list(list_notifications(world.uow(), actor, SCHOOL))


class TestSyncResult:
    def test_a_dossier_breaking_the_rules_is_merged_and_the_message_shown(
        self, world: World
    ) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(broken())
        report = sync(world, [pupil])
        [item] = report.items
        assert item.outcome is SyncOutcome.SYNCED
        assert not item.outcome.failed
        assert item.rule_messages == (CATEGORIES_MISSING,)
        assert report.breaking_rules == (item,)
        assert world.okidoc(pupil).value(f.PUPIL_FIRST_NAME) == "Sam"

    def test_a_clean_dossier_has_no_messages(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(dossier(BSN_A))
        report = sync(world, [pupil])
        assert report.items[0].rule_messages == ()
        assert report.breaking_rules == ()
        assert notifications(world) == []

    def test_a_definitief_oki_doc_is_not_changed_but_the_messages_still_show(
        self, world: World
    ) -> None:
        pupil = world.add_pupil(BSN_A)
        with world.uow() as uow:
            doc = uow.okidocs.for_pupil(pupil)
            uow.okidocs.update(attrs.evolve(doc, status=OkiStatus.DEFINITIEF))
            uow.commit()
        world.ready(broken())
        [item] = sync(world, [pupil]).items
        assert item.outcome is SyncOutcome.REFUSED
        assert item.rule_messages == (CATEGORIES_MISSING,)
        assert len(notifications(world)) == 1

    def test_a_preview_shows_the_messages_and_keeps_nothing(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(broken())
        [item] = sync(world, [pupil], MergeMode.OVERWRITE, preview=True).items
        assert item.rule_messages == (CATEGORIES_MISSING,)
        assert notifications(world) == []
        assert world.store.audit == []


class TestNotification:
    def test_the_school_gets_a_notification_to_fix_it_in_the_las(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(broken(rule_messages=(CATEGORIES_MISSING, GEBOORTEPLAATS)))
        sync(world, [pupil])
        [kept] = notifications(world)
        note = kept.notification
        assert (note.kind, note.bsn, note.at, kept.received_at) == (
            NotificationKind.FIX_IN_LAS,
            BSN_A,
            NOW,
            NOW,
        )
        assert note.kind.label == "Herstel in het LAS"
        assert note.text == (
            f"Sam Jansen: {FIX_IN_LAS} Melding 1: Een binnen-brin dossier moet het blok "
            '"Categorie uitlevering" bevatten. (regel OVb.MD03; plaats /dossier/metadata) '
            f"Melding 2: {GEBOORTEPLAATS.text}"
        )
        assert "Herstel dit in het LAS" in note.text
        assert notification_count(world.uow(), TEACHER) == 1

    def test_what_was_kept_is_audited_on_the_oki_doc(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(broken())
        sync(world, [pupil])
        [kept] = [e for e in world.store.audit if e.action == AUDIT_ACTION]
        assert (kept.subject_type, kept.subject_id) == ("okidoc", world.okidoc(pupil).id)
        assert [(c.path, c.new) for c in kept.changes] == [
            ("OSO-regel OVb.MD03", message_text(CATEGORIES_MISSING))
        ]
        assert kept.detail.startswith("bewaard als OSO-notificatie; De Regenboog (12AB00)")
        _, lines = okidoc_history(world.uow(), TEACHER, pupil)
        [shown] = [line for line in lines if line.field == "OSO-regel OVb.MD03"]
        assert (shown.action, shown.oso) == ("Meldingen van de officiële OSO-regels", True)

    def test_syncing_the_same_dossier_again_adds_no_second_notification(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(broken())
        sync(world, [pupil])
        [again] = sync(world, [pupil]).items
        assert again.rule_messages == (CATEGORIES_MISSING,)  # still shown in the result
        assert len(notifications(world)) == 1
        assert world.actions().count(AUDIT_ACTION) == 1

    def test_a_merge_that_changes_nothing_still_keeps_the_messages(self, world: World) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(dossier(BSN_A))
        sync(world, [pupil])
        world.ready(broken())  # the same content, now with a message
        [item] = sync(world, [pupil]).items
        assert item.change_count == 0
        assert len(notifications(world)) == 1

    def test_a_new_dossier_version_that_still_breaks_the_rules_is_told_again(
        self, world: World
    ) -> None:
        pupil = world.add_pupil(BSN_A)
        world.ready(broken())
        sync(world, [pupil])
        world.ready(broken(dossier_date=NOW))
        world.clock.advance(dt.timedelta(hours=1))
        sync(world, [pupil])
        assert len(notifications(world)) == 2

    def test_each_pupil_gets_a_notification_of_its_own(self, world: World) -> None:
        a, b = world.add_pupil(BSN_A), world.add_pupil(BSN_B)
        world.ready(broken(), dossier(BSN_B, rule_messages=(CATEGORIES_MISSING,)))
        sync(world, [a, b])
        assert {n.notification.bsn for n in notifications(world)} == {BSN_A, BSN_B}

    def test_a_transfer_that_creates_the_pupil_keeps_the_messages_with_it(
        self, world: World
    ) -> None:
        world.registered()
        world.ready(broken())
        report = request_transfers(world.ports, TEACHER, SCHOOL, str(BSN_A), FILL)
        [item] = report.items
        assert (item.outcome, item.rule_messages) == (
            SyncOutcome.CREATED,
            (CATEGORIES_MISSING,),
        )
        [kept] = notifications(world)
        assert kept.notification.bsn == BSN_A


class TestMessageText:
    def test_the_rule_and_the_place_follow_the_official_text(self) -> None:
        assert message_text(CATEGORIES_MISSING).endswith(
            "(regel OVb.MD03; plaats /dossier/metadata)"
        )
        assert message_text(GEBOORTEPLAATS) == GEBOORTEPLAATS.text
        only_place = attrs.evolve(GEBOORTEPLAATS, location="/dossier/leerling")
        assert message_text(only_place).endswith("(plaats /dossier/leerling)")
