"""Use cases for pupils, notes, news, the timeline, the parent login and the registration."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from tests.domain.parents_world import LINKS, NOW, TIMELINE, S, World

from elk_domain.errors import Conflict, Forbidden, IllegalTransition, NotFound, Rejected
from elk_domain.kernel.people import Actor, Role
from elk_domain.kernel.values import PersonName
from elk_domain.organisation import news, timeline
from elk_domain.organisation.model import NewsItem, Period, Timeline
from elk_domain.organisation.procedure import ParentPortal
from elk_domain.parents import claims, priority
from elk_domain.parents import login as parent_login
from elk_domain.parents import register as registration
from elk_domain.parents.claims import MAX_REASON, PriorityState, counts_as_priority
from elk_domain.parents.registration import (
    FirstChoiceOptions,
    PreferenceList,
    PriorityClaim,
    PriorityKind,
    Registration,
    RegistrationStatus,
)
from elk_domain.pupils import notes, pupils
from elk_domain.pupils.model import NoteVisibility, ReasonNotPlaced
from elk_domain.testing import (
    InsecurePlainHasher,
)


class TestPupils:
    def test_teacher_gets_own_pupil(self, world: World) -> None:
        assert pupils.get_pupil(world.uow(), world.teacher(), world.ids["pupil"]).id == 1

    def test_vo_user_cannot_see_unregistered_pupil(self, world: World) -> None:
        with pytest.raises(NotFound):
            pupils.get_pupil(world.uow(), world.vo_user(), world.ids["pupil"])

    def test_set_reason_not_placed_is_stored_and_audited(self, world: World) -> None:
        cmd = pupils.SetReasonNotPlaced(world.ids["pupil"], ReasonNotPlaced.VERHUISD)
        stored = pupils.set_reason_not_placed(world.uow(), world.clock, world.teacher(), cmd)
        assert world.pupil().reason_not_placed is ReasonNotPlaced.VERHUISD
        assert stored.version == 2
        entry = world.store.audit[-1]
        assert entry.action == "reden_niet_plaatsen"
        assert entry.changes[0].new == "Verhuisd"

    def test_setting_the_same_reason_changes_nothing(self, world: World) -> None:
        cmd = pupils.SetReasonNotPlaced(world.ids["pupil"], None)
        pupils.set_reason_not_placed(world.uow(), world.clock, world.teacher(), cmd)
        assert world.store.audit == []

    def test_vo_user_may_not_set_a_reason(self, world: World) -> None:
        cmd = pupils.SetReasonNotPlaced(world.ids["pupil"], ReasonNotPlaced.VERHUISD)
        with pytest.raises(NotFound):
            pupils.set_reason_not_placed(world.uow(), world.clock, world.vo_user(), cmd)


class TestNotes:
    def test_vo_sees_only_notes_shared_with_vo(self, world: World) -> None:
        pid = world.ids["pupil"]
        for text, vis in (
            ("intern", NoteVisibility.OWN_ORGANISATION),
            ("gedeeld", NoteVisibility.ALSO_VO),
        ):
            notes.add_note(world.uow(), world.clock, world.teacher(), notes.AddNote(pid, text, vis))
        assert [n.text for n in notes.list_notes(world.uow(), world.teacher(), pid)] == [
            "intern",
            "gedeeld",
        ]
        _register(world, definitive=True)
        seen = notes.list_notes(world.uow(), world.vo_user(0), pid)
        assert [n.text for n in seen] == ["gedeeld"]
        assert "notitie_toegevoegd" in world.audit_actions()

    @pytest.mark.parametrize(("text", "path"), [("  ", "tekst"), ("x" * 4001, "tekst")])
    def test_rejects_empty_or_too_long_text(self, world: World, text: str, path: str) -> None:
        with pytest.raises(Rejected) as caught:
            notes.add_note(
                world.uow(), world.clock, world.teacher(), notes.AddNote(world.ids["pupil"], text)
            )
        assert caught.value.violations[0].path == path

    def test_permission_is_checked_before_the_text(self, world: World) -> None:
        with pytest.raises(NotFound):  # a VO user without a registration does not see the pupil
            notes.add_note(
                world.uow(), world.clock, world.vo_user(), notes.AddNote(world.ids["pupil"], " ")
            )


class TestNews:
    def test_functional_admin_adds_news_shown_newest_first(self, world: World) -> None:
        news.add_news(world.uow(), world.clock, world.admin(), news.AddNews("Oud", "a"))
        world.clock.advance(dt.timedelta(days=1))
        news.add_news(world.uow(), world.clock, world.admin(), news.AddNews(" Nieuw ", "b"))
        items = news.latest_news(world.uow(), limit=1)
        assert [i.title for i in items] == ["Nieuw"]
        assert isinstance(items[0], NewsItem)
        assert world.audit_actions() == ["nieuws_toegevoegd", "nieuws_toegevoegd"]

    def test_teacher_may_not_add_news(self, world: World) -> None:
        with pytest.raises(Forbidden):
            news.add_news(world.uow(), world.clock, world.teacher(), news.AddNews("t", "b"))

    def test_news_needs_title_and_text(self, world: World) -> None:
        with pytest.raises(Rejected) as caught:
            news.add_news(world.uow(), world.clock, world.admin(), news.AddNews("", " "))
        assert [v.path for v in caught.value.violations] == ["titel", "tekst"]


class TestTimeline:
    def test_admin_sets_timeline_and_changes_are_audited(self, world: World) -> None:
        new = attrs.evolve(TIMELINE, placement_date=dt.date(2025, 4, 20), parent_login=None)
        timeline.set_timeline(world.uow(), world.clock, world.admin(), new)
        assert timeline.get_timeline(world.uow()) == new
        changes = {c.path: (c.old, c.new) for c in world.store.audit[-1].changes}
        assert changes == {
            "parent_login": ("2025-03-17 t/m 2025-03-24", None),
            "placement_date": ("2025-04-15", "2025-04-20"),
        }

    def test_unchanged_timeline_is_not_audited(self, world: World) -> None:
        timeline.set_timeline(world.uow(), world.clock, world.admin(), TIMELINE)
        assert world.store.audit == []

    def test_rejects_reversed_periods_and_early_placement(self, world: World) -> None:
        bad = Timeline(
            parent_login=Period(dt.date(2025, 3, 24), dt.date(2025, 3, 17)),
            registration=Period(dt.date(2025, 3, 17), dt.date(2025, 4, 4)),
            placement_date=dt.date(2025, 4, 1),
        )
        with pytest.raises(Rejected) as caught:
            timeline.set_timeline(world.uow(), world.clock, world.admin(), bad)
        assert [v.path for v in caught.value.violations] == ["parent_login", "placement_date"]

    def test_the_capacity_deadline_comes_before_the_placement_and_is_audited(
        self, world: World
    ) -> None:
        late = attrs.evolve(TIMELINE, capacity_deadline=dt.date(2025, 4, 15))
        with pytest.raises(Rejected) as caught:
            timeline.set_timeline(world.uow(), world.clock, world.admin(), late)
        assert [v.path for v in caught.value.violations] == ["capacity_deadline"]
        fixed = attrs.evolve(TIMELINE, capacity_deadline=dt.date(2025, 4, 10))
        timeline.set_timeline(world.uow(), world.clock, world.admin(), fixed)
        changes = {c.path: (c.old, c.new) for c in world.store.audit[-1].changes}
        assert changes == {"capacity_deadline": (None, "2025-04-10")}
        assert not fixed.capacity_locked(dt.date(2025, 4, 10))
        assert fixed.capacity_locked(dt.date(2025, 4, 11))
        assert not TIMELINE.capacity_locked(dt.date(2030, 1, 1))

    def test_only_functional_admin_sets_timeline(self, world: World) -> None:
        with pytest.raises(Forbidden):
            timeline.set_timeline(world.uow(), world.clock, world.teacher(), TIMELINE)


class TestSendParentLogin:
    def test_sends_mail_with_username_and_link_and_marks_sent(self, world: World) -> None:
        token = world.send_login()
        mail = world.sent()[0]
        assert mail.to == "ouder@example.nl"
        assert "De gebruikersnaam is het ELK-nummer van uw kind: 78018" in mail.body
        assert "BEWAAR DEZE MAIL GOED" in mail.body
        assert world.pupil().parent_login is S.SENT
        with world.uow() as uow:
            account = uow.parent_accounts.for_pupil(world.ids["pupil"], ParentPortal.ELK)
        assert account is not None
        assert account.token_digest == parent_login.token_digest(token) != token
        assert world.audit_actions() == ["ouderinlog_verstuurd"]

    def test_a_line_break_in_the_name_never_reaches_the_subject(self, world: World) -> None:
        with world.uow() as uow:
            pupil = uow.pupils.get(world.ids["pupil"])
            injected = PersonName("Proef\r\nBcc: x@evil.example\u2028", "Kind")
            uow.pupils.update(attrs.evolve(pupil, name=injected))
            uow.commit()

        world.send_login()

        [mail] = world.sent()
        assert mail.subject.endswith(
            ": account aanmaken om Proef Bcc: x@evil.example aan te melden"
        )
        assert mail.subject == " ".join(mail.subject.split())

    def test_check_lists_reasons_for_the_button(self, world: World) -> None:
        cmd = parent_login.SendParentLogin(world.ids["pupil"])
        check = parent_login.parent_login_check(world.uow(), world.clock, world.teacher(), cmd)
        assert check.allowed
        world.send_login()
        check = parent_login.parent_login_check(world.uow(), world.clock, world.teacher(), cmd)
        assert check.allowed  # sending again gives a new link (issue 14)

    def test_refuses_outside_the_period_and_sends_nothing(self, world: World) -> None:
        world.clock.set(NOW + dt.timedelta(days=30))
        with pytest.raises(Rejected, match="periode"):
            world.send_login()
        assert world.sent() == []
        assert world.pupil().parent_login is S.NOT_SENT

    def test_a_mail_server_outage_neither_fails_nor_half_does_the_login(self, world: World) -> None:
        world.mailer.fail = True
        cmd = parent_login.SendParentLogin(world.ids["pupil"])
        parent_login.send_parent_login(
            world.uow(), world.clock, world.random, world.teacher(), cmd, LINKS
        )
        assert world.pupil().parent_login is S.SENT  # "sent" means: in the outbox
        assert world.audit_actions() == ["ouderinlog_verstuurd"]
        assert [m.to for m in world.queued()] == ["ouder@example.nl"]
        assert world.sent() == []  # the server is still down: the mail waits
        world.mailer.fail = False
        world.clock.advance(dt.timedelta(hours=1))
        assert [m.to for m in world.sent()] == ["ouder@example.nl"]

    def test_amsterdam_login_is_separate_and_reuses_no_account(self, world: World) -> None:
        world.send_login()
        cmd = parent_login.SendParentLogin(world.ids["pupil"], ParentPortal.AMSTERDAM)
        parent_login.send_parent_login(
            world.uow(), world.clock, world.random, world.teacher(), cmd, LINKS
        )
        assert world.pupil().parent_login_amsterdam is S.SENT
        assert "ouderportaal ELK Amsterdam" in world.sent()[-1].body

    def test_resending_after_a_status_reset_updates_the_account(self, world: World) -> None:
        world.send_login()
        with world.uow() as uow:
            uow.pupils.update(attrs.evolve(uow.pupils.get(1), parent_login=S.NOT_SENT))
            uow.commit()
        world.send_login()
        with world.uow() as uow:
            account = uow.parent_accounts.for_pupil(1, ParentPortal.ELK)
        assert account is not None
        assert account.version == 2


class TestSetParentPassword:
    def test_link_sets_password_once_and_activates(self, world: World) -> None:
        actor = world.activate()
        assert actor.role is Role.PARENT
        assert actor.pupil_id == world.ids["pupil"]
        assert world.pupil().parent_login is S.ACTIVATED
        with world.uow() as uow:
            account = uow.parent_accounts.for_pupil(1, ParentPortal.ELK)
        assert account is not None
        assert account.password_hash == "plain$geheim1234"
        assert account.token_digest is None

    def test_used_or_expired_or_unknown_link_is_refused(self, world: World) -> None:
        token = world.send_login()
        hasher = InsecurePlainHasher()
        world.clock.advance(parent_login.TOKEN_VALIDITY + dt.timedelta(seconds=1))
        cmd = parent_login.SetParentPassword(token, "geheim1234", "geheim1234")
        with pytest.raises(Rejected, match="ongeldig, al gebruikt of verlopen"):
            parent_login.set_parent_password(world.uow(), world.clock, hasher, cmd)
        cmd = parent_login.SetParentPassword("onzin", "geheim1234", "geheim1234")
        with pytest.raises(Rejected, match="ongeldig, al gebruikt of verlopen"):
            parent_login.set_parent_password(world.uow(), world.clock, hasher, cmd)

    def test_reset_after_activation_keeps_status(self, world: World) -> None:
        world.activate()
        _register(world, definitive=False)
        with world.uow() as uow:
            uow.pupils.update(attrs.evolve(uow.pupils.get(1), parent_login=S.NOT_SENT))
            uow.commit()
        token = world.send_login()
        with world.uow() as uow:
            uow.pupils.update(attrs.evolve(uow.pupils.get(1), parent_login=S.REGISTRATION_STARTED))
            uow.commit()
        cmd = parent_login.SetParentPassword(token, "nieuw12345", "nieuw12345")
        parent_login.set_parent_password(world.uow(), world.clock, InsecurePlainHasher(), cmd)
        assert world.pupil().parent_login is S.REGISTRATION_STARTED

    def test_password_rules(self, world: World) -> None:
        token = world.send_login()
        cmd = parent_login.SetParentPassword(token, "kort", "anders")
        with pytest.raises(Rejected) as caught:
            parent_login.set_parent_password(world.uow(), world.clock, InsecurePlainHasher(), cmd)
        assert [v.path for v in caught.value.violations] == ["wachtwoord", "herhaling"]
        assert world.pupil().parent_login is S.SENT  # nothing was stored: the link still works


def _register(
    world: World,
    *,
    definitive: bool,
    ids: tuple[int, ...] | None = None,
    options: FirstChoiceOptions | None = None,
    parent: Actor | None = None,
) -> None:
    if parent is None and world.pupil().parent_login is S.NOT_SENT:
        parent = world.activate()
    parent = parent or Actor(user_id=1, name="Ouder", role=Role.PARENT, pupil_id=1)
    prefs = PreferenceList(
        school_ids=ids or tuple(world.ids[f"vo{n}"] for n in range(5)),
        first_choice=options or FirstChoiceOptions(),
    )
    cmd = registration.SaveRegistration(
        pupil_id=world.ids["pupil"],
        procedure="amstelland",
        preferences=prefs,
        definitive=definitive,
    )
    registration.save_registration(
        world.uow(), world.clock, parent, cmd, login_url="https://elk.test/ouder"
    )


class TestRegistration:
    def test_draft_then_definitive_moves_status_and_confirms_by_mail(self, world: World) -> None:
        _register(world, definitive=False, ids=(world.ids["vo0"],))
        assert world.pupil().parent_login is S.REGISTRATION_STARTED
        _register(world, definitive=True)
        assert world.pupil().parent_login is S.REGISTRATION_COMPLETED
        assert "U heeft Proef aangemeld" in world.sent()[-1].body
        with world.uow() as uow:
            reg = uow.registrations.for_pupil(1, "amstelland")
            assert reg is not None
            assert reg.status is RegistrationStatus.DEFINITIVE
            assert uow.registrations.at_school(world.ids["vo0"]) == [reg]
        assert world.audit_actions()[-2:] == ["aanmelding_opgeslagen", "aanmelding_AV"]

    def test_the_confirmation_subject_is_one_line(self, world: World) -> None:
        with world.uow() as uow:
            pupil = uow.pupils.get(world.ids["pupil"])
            uow.pupils.update(
                attrs.evolve(pupil, name=PersonName("Proef\nTo: x@evil.example", "K"))
            )
            uow.commit()

        _register(world, definitive=True)

        assert world.sent()[-1].subject == "Aanmelding van Proef To: x@evil.example ontvangen"

    def test_vo_user_sees_pupil_once_registered_definitively(self, world: World) -> None:
        _register(world, definitive=True)
        assert pupils.get_pupil(world.uow(), world.vo_user(0), 1).id == 1
        with pytest.raises(NotFound):
            pupils.get_pupil(world.uow(), world.vo_user(1), 1)

    def test_all_violations_are_returned(self, world: World) -> None:
        vo0 = world.ids["vo0"]
        with pytest.raises(Rejected) as caught:
            _register(world, definitive=True, ids=(vo0, vo0))
        assert [v.path for v in caught.value.violations] == ["voorkeuren", "voorkeuren.2"]
        assert world.pupil().parent_login is S.ACTIVATED

    def test_changing_a_definitive_registration_only_in_the_week(self, world: World) -> None:
        _register(world, definitive=True)
        with pytest.raises(Rejected, match="niet opgeslagen"):
            _register(world, definitive=False)
        world.clock.set(dt.datetime(2025, 3, 25, 10, tzinfo=dt.UTC))
        _register(world, definitive=False)
        assert world.pupil().parent_login is S.REGISTRATION_COMPLETED  # the first list counts
        _register(world, definitive=True)
        _register(world, definitive=True)
        assert world.pupil().parent_login is S.REGISTRATION_COMPLETED

    def test_registering_again_keeps_the_definitive_list_until_the_new_one_is_definitive(
        self, world: World
    ) -> None:
        vo = [world.ids[f"vo{n}"] for n in range(6)]
        claim = FirstChoiceOptions(priority_claim=PriorityClaim(PriorityKind.SIBLING, "Ada", "1b"))
        _register(world, definitive=True, options=claim)
        first_at = world.clock.now()
        judge = priority.JudgePriority(pupil_id=1, procedure="amstelland", granted=True)
        priority.judge_priority(world.uow(), world.clock, world.vo_user(0), judge)
        world.clock.set(dt.datetime(2025, 3, 25, 10, tzinfo=dt.UTC))
        again = (vo[1], vo[0], vo[2], vo[3], vo[5])
        _register(world, definitive=False, ids=again)
        with world.uow() as uow:
            reg = uow.registrations.for_pupil(1, "amstelland")
            assert reg is not None
            assert reg.has_pending_change
            assert reg.definitive is not None
            assert reg.definitive.school_ids == tuple(vo[:5])
            assert [r.pupil_id for r in uow.registrations.at_school(vo[0])] == [1]
            assert reg.priority_granted is True
            assert reg.history == ()
        assert pupils.get_pupil(world.uow(), world.vo_user(0), 1).id == 1
        _register(world, definitive=True, ids=again)
        with world.uow() as uow:
            reg = uow.registrations.for_pupil(1, "amstelland")
            assert reg is not None
            assert not reg.has_pending_change
            assert reg.effective.school_ids == again
            assert reg.priority_granted is None
            assert [(p.preferences.school_ids, p.definitive_at) for p in reg.history] == [
                (tuple(vo[:5]), first_at)
            ]
            assert uow.registrations.at_school(vo[0]) == []
        with pytest.raises(NotFound):
            pupils.get_pupil(world.uow(), world.vo_user(0), 1)

    def test_a_judgement_stays_when_school_and_claim_stay(self, world: World) -> None:
        vo = [world.ids[f"vo{n}"] for n in range(5)]
        claim = FirstChoiceOptions(priority_claim=PriorityClaim(PriorityKind.SIBLING, "Ada", "1b"))
        _register(world, definitive=True, options=claim)
        judge = priority.JudgePriority(
            pupil_id=1, procedure="amstelland", granted=False, reason="Geen broer of zus"
        )
        priority.judge_priority(world.uow(), world.clock, world.vo_user(0), judge)
        world.clock.set(dt.datetime(2025, 3, 25, 10, tzinfo=dt.UTC))
        _register(world, definitive=True, ids=(vo[0], vo[2], vo[1], vo[3], vo[4]), options=claim)
        with world.uow() as uow:
            reg = uow.registrations.for_pupil(1, "amstelland")
            assert reg is not None
            assert reg.priority_granted is False
            assert len(reg.history) == 1

    def test_parent_needs_an_activated_login(self, world: World) -> None:
        parent = Actor(user_id=1, name="Ouder", role=Role.PARENT, pupil_id=1)
        world.send_login()
        with pytest.raises(IllegalTransition):
            _register(world, definitive=False, parent=parent)

    def test_teacher_may_not_register(self, world: World) -> None:
        with pytest.raises(Forbidden):
            _register(world, definitive=False, parent=world.teacher())

    def test_no_definitive_advice_means_no_registration(self, world: World) -> None:
        world.activate()
        with world.uow() as uow:
            doc = uow.okidocs.for_pupil(1)
            uow.okidocs.update(attrs.evolve(doc, fields={}))
            uow.commit()
        with pytest.raises(Rejected, match="geen definitief advies"):
            _register(world, definitive=False)

    def test_no_mail_without_parent_account(self, world: World) -> None:
        with world.uow() as uow:
            uow.pupils.update(attrs.evolve(uow.pupils.get(1), parent_login=S.ACTIVATED))
            uow.commit()
        _register(world, definitive=True)
        assert world.sent() == []


class TestJudgePriority:
    def _claim(self, world: World) -> None:
        claim = PriorityClaim(PriorityKind.SIBLING, "Anna", "2b")
        _register(world, definitive=True, options=FirstChoiceOptions(priority_claim=claim))

    @pytest.mark.parametrize(("granted", "text"), [(True, "gehonoreerd"), (False, "niet gehon")])
    def test_vo_school_judges_and_parent_is_mailed(
        self, world: World, granted: bool, text: str
    ) -> None:
        self._claim(world)
        cmd = priority.JudgePriority(
            pupil_id=1, procedure="amstelland", granted=granted, reason="Zie brief"
        )
        stored = priority.judge_priority(world.uow(), world.clock, world.vo_user(0), cmd)
        assert stored.priority_granted is granted
        assert text in world.sent()[-1].body
        assert world.audit_actions()[-1] == "voorrang_beoordeeld"

    def test_no_claim_is_a_conflict(self, world: World) -> None:
        _register(world, definitive=True)
        cmd = priority.JudgePriority(pupil_id=1, procedure="amstelland", granted=True)
        with pytest.raises(Conflict):
            priority.judge_priority(world.uow(), world.clock, world.vo_user(0), cmd)

    def test_judgement_without_parent_account_sends_no_mail(self, world: World) -> None:
        self._claim(world)
        with world.uow() as uow:
            store_rows = uow.store.tables["parent_accounts"]
        store_rows.clear()
        sent = len(world.sent())
        cmd = priority.JudgePriority(pupil_id=1, procedure="amstelland", granted=True)
        priority.judge_priority(world.uow(), world.clock, world.vo_user(0), cmd)
        assert len(world.sent()) == sent


class TestPriorityReason:
    """R-AAN-5: the judgement carries a reason (required when refused), the parent sees it."""

    def _claim(self, world: World) -> Actor:
        claim = PriorityClaim(PriorityKind.STAFF_CHILD, "Ria")
        _register(world, definitive=True, options=FirstChoiceOptions(priority_claim=claim))
        return Actor(user_id=1, name="Ouder", role=Role.PARENT, pupil_id=world.ids["pupil"])

    def _judge(self, world: World, granted: bool, reason: str) -> Registration:
        cmd = priority.JudgePriority(
            pupil_id=1, procedure="amstelland", granted=granted, reason=reason
        )
        return priority.judge_priority(world.uow(), world.clock, world.vo_user(0), cmd)

    def test_a_refusal_needs_a_reason_and_nothing_is_stored_without_one(self, world: World) -> None:
        self._claim(world)
        mails = len(world.queued())
        with pytest.raises(Rejected) as caught:
            self._judge(world, False, " \n ")
        assert [v.path for v in caught.value.violations] == ["reden"]
        with world.uow() as uow:
            reg = uow.registrations.for_pupil(1, "amstelland")
        assert reg is not None
        assert reg.priority_granted is None
        assert len(world.queued()) == mails

    def test_the_reason_is_folded_onto_one_line_stored_and_mailed(self, world: World) -> None:
        self._claim(world)
        stored = self._judge(world, False, "Geen medewerker\r\nBcc: x@y.nl  van ons")
        assert stored.priority_reason == "Geen medewerker Bcc: x@y.nl van ons"
        assert stored.priority_granted is False
        body = world.sent()[-1].body
        assert "Deze voorrang is niet gehonoreerd." in body
        assert "Toelichting van de VO-school: Geen medewerker Bcc: x@y.nl van ons" in body

    def test_a_grant_may_go_without_a_reason_and_the_mail_has_none(self, world: World) -> None:
        self._claim(world)
        assert self._judge(world, True, "").priority_reason == ""
        assert "Toelichting" not in world.sent()[-1].body

    def test_a_reason_too_long_is_refused(self, world: World) -> None:
        self._claim(world)
        with pytest.raises(Rejected, match=f"maximaal {MAX_REASON} tekens"):
            self._judge(world, True, "x" * (MAX_REASON + 1))
        assert self._judge(world, True, "x" * MAX_REASON).priority_reason == "x" * MAX_REASON

    def test_the_parent_sees_the_claim_s_state_and_the_reason(self, world: World) -> None:
        parent = self._claim(world)
        seen = priority.priority_state(world.uow(), parent, "amstelland")
        assert (seen.state, seen.reason) == (PriorityState.TO_JUDGE, "")
        assert seen.claim == PriorityClaim(PriorityKind.STAFF_CHILD, "Ria")
        self._judge(world, False, "Niet in dienst")
        seen = priority.priority_state(world.uow(), parent, "amstelland")
        assert (seen.state, seen.reason) == (PriorityState.REFUSED, "Niet in dienst")
        assert seen.state.label == "Niet gehonoreerd"

    def test_the_parent_of_a_pupil_without_a_definitive_claim_sees_none(self, world: World) -> None:
        parent = Actor(user_id=1, name="Ouder", role=Role.PARENT, pupil_id=world.ids["pupil"])
        assert priority.priority_state(world.uow(), parent, "amstelland") == claims.NO_CLAIM
        _register(world, definitive=True)
        assert priority.priority_state(world.uow(), parent, "amstelland") == claims.NO_CLAIM
        anonymous = Actor(user_id=1, name="Ouder", role=Role.PARENT)
        with pytest.raises(NotFound):
            priority.priority_state(world.uow(), anonymous, "amstelland")

    def test_a_draft_s_claim_is_not_judged_before_it_is_definitive(self, world: World) -> None:
        claim = FirstChoiceOptions(priority_claim=PriorityClaim(PriorityKind.SIBLING, "A", "1b"))
        _register(world, definitive=True)
        world.clock.set(dt.datetime(2025, 3, 25, 10, tzinfo=dt.UTC))  # the registration week
        _register(world, definitive=False, options=claim)  # a change in progress
        with pytest.raises(Conflict):
            self._judge(world, True, "")

    def test_only_a_granted_claim_counts_as_priority_in_placement(self, world: World) -> None:
        self._claim(world)
        with world.uow() as uow:
            reg = uow.registrations.for_pupil(1, "amstelland")
        assert reg is not None
        assert not counts_as_priority(reg)
        assert not counts_as_priority(self._judge(world, False, "Geen broer of zus"))
        assert counts_as_priority(self._judge(world, True, ""))
        draft_only = attrs.evolve(reg, definitive=None, priority_granted=True)
        assert not counts_as_priority(draft_only)
