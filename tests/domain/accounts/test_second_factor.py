"""Changing the second factor needs the password and the current factor; audited and mailed.
Also: attempts are counted before the check, and an empty login form is not an attempt."""

from __future__ import annotations

import datetime as dt

import attrs
import pyotp
import pytest

from elk_domain.accounts import throttle
from elk_domain.accounts.attempts import count_attempt, reserve_attempt, settle_success
from elk_domain.accounts.auth import actor_of
from elk_domain.accounts.impersonation import impersonated_actor, start_impersonation
from elk_domain.accounts.passwords import AccountLinks
from elk_domain.accounts.second_factor import (
    ALREADY_OFF,
    ALREADY_ON,
    REQUIRED,
    ChangeSecondFactor,
    DisableSecondFactor,
    Enrolled,
    LinkApp,
    change_second_factor,
    confirm_enrolment,
    disable_second_factor,
)
from elk_domain.accounts.signin import EMPTY_FORM, Pending, SignIn, recovery_digest, sign_in
from elk_domain.errors import Forbidden, Rejected
from elk_domain.kernel.mail import OutgoingMail
from elk_domain.kernel.mail_queue import deliver_pending_mail
from elk_domain.kernel.people import Actor, Role, User
from elk_domain.testing import (
    FixedClock,
    InMemoryMailer,
    InMemoryStore,
    InMemoryUnitOfWork,
    InsecurePlainHasher,
    SeededRandom,
)

PASSWORD = "een goed wachtwoord"
OLD = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NEW = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
LINKS = AccountLinks(login_url="https://elk.test/inloggen", set_password_url="https://x/{token}")


@attrs.define
class World:
    store: InMemoryStore
    clock: FixedClock
    hasher: InsecurePlainHasher
    random: SeededRandom
    mailer: InMemoryMailer
    teacher: User  # end user with 2FA (optional for the role)
    admin: User  # school administrator with 2FA (required)
    contact: User  # board contact with 2FA

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)

    def user(self, user_id: int) -> User:
        return self.uow().users.get(user_id)

    def actor(self, user: User) -> Actor:
        return actor_of(self.uow(), self.user(user.id))

    def code(self, secret: str) -> str:
        return str(pyotp.TOTP(secret).at(self.clock.now()))

    def change(self, user: User, **fields: str) -> Enrolled:
        command = ChangeSecondFactor(
            fields.get("password", PASSWORD),
            fields.get("current", self.code(OLD)),
            NEW,
            fields.get("code", self.code(NEW)),
        )
        return change_second_factor(
            self.uow(), self.clock, self.random, self.hasher, self.actor(user), command, LINKS
        )

    def sent(self) -> list[OutgoingMail]:
        deliver_pending_mail(self.uow(), self.clock, self.mailer)
        return self.mailer.sent

    def actions(self) -> list[str]:
        return [entry.action for entry in self.store.audit]


@pytest.fixture
def world() -> World:
    store, hasher = InMemoryStore(), InsecurePlainHasher()
    uow = InMemoryUnitOfWork(store)

    def user(email: str, role: Role, **extra: object) -> User:
        place = {"board_id": 1, "school_id": 1, **extra}
        return uow.users.add(
            User(id=0, email=email, display_name=email.split("@")[0].title(), role=role,
                 password_hash=hasher.hash(PASSWORD), totp_secret=OLD,
                 **place)  # type: ignore[arg-type]
        )  # fmt: skip

    teacher = user("juf@elk.test", Role.END_USER)
    admin = user("beheer@elk.test", Role.SCHOOL_ADMIN)
    contact = user("bestuur@elk.test", Role.BOARD_CONTACT, school_id=None)
    uow.commit()
    return World(store, FixedClock(), hasher, SeededRandom(2), InMemoryMailer(), teacher, admin,
                 contact)  # fmt: skip


class TestChange:
    def test_password_and_current_code_replace_the_app_end_sessions_audit_and_mail(
        self, world: World
    ) -> None:
        enrolled = world.change(world.admin)
        stored = world.user(world.admin.id)
        assert stored.totp_secret == NEW
        assert stored.recovery_codes == {recovery_digest(c) for c in enrolled.recovery_codes}
        assert stored.session_version == world.admin.session_version + 1
        assert enrolled.login.session_version == stored.session_version
        assert enrolled.login.actor.second_factor
        assert world.actions() == ["tweestapsverificatie_gewijzigd"]
        [notice] = world.sent()
        assert (notice.to, notice.subject) == (
            world.admin.email,
            "Uw tweestapsverificatie is gewijzigd",
        )
        for secret in (OLD, NEW, *enrolled.recovery_codes):
            assert secret not in notice.body

    @pytest.mark.parametrize(
        ("fields", "paths"),
        [
            ({"password": "fout"}, ["wachtwoord"]),
            ({"current": "000000"}, ["huidige_code"]),
            ({"code": "000000"}, ["code"]),
            (
                {"password": "fout", "current": "", "code": ""},
                ["wachtwoord", "huidige_code", "code"],
            ),
        ],
    )
    def test_each_missing_proof_is_named_and_nothing_changes(
        self, world: World, fields: dict[str, str], paths: list[str]
    ) -> None:
        with pytest.raises(Rejected) as refused:
            world.change(world.admin, **fields)
        assert [v.path for v in refused.value.violations] == paths
        assert world.user(world.admin.id).totp_secret == OLD
        assert world.actions() == []
        assert world.sent() == []

    def test_a_recovery_code_stands_in_for_the_current_code_and_is_used_up(
        self, world: World
    ) -> None:
        uow = world.uow()
        digest = recovery_digest("abcde-fghij")
        uow.users.update(attrs.evolve(world.admin, recovery_codes=frozenset({digest})))
        uow.commit()
        enrolled = world.change(world.admin, current="ABCDE FGHIJ")
        assert digest not in world.user(world.admin.id).recovery_codes
        assert len(enrolled.recovery_codes) == 10

    def test_switching_2fa_on_when_logged_in_needs_the_password_only(self, world: World) -> None:
        uow = world.uow()
        uow.users.update(attrs.evolve(world.teacher, totp_secret=None))
        uow.commit()
        with pytest.raises(Rejected):
            world.change(world.teacher, password="fout", current="")
        world.change(world.teacher, current="")
        assert world.user(world.teacher.id).totp_secret == NEW
        assert world.actions() == ["tweestapsverificatie_aangezet"]
        assert world.sent()[0].subject == "Uw tweestapsverificatie is aangezet"

    def test_guessing_is_throttled_with_the_login(self, world: World) -> None:
        for _ in range(throttle.ACCOUNT.free):
            with pytest.raises(Rejected):
                world.change(world.admin, password="fout")
        with pytest.raises(throttle.Throttled):
            world.change(world.admin)
        with pytest.raises(throttle.Throttled):  # the login form shares the budget
            sign_in(world.uow(), world.clock, world.hasher, SignIn(world.admin.email, PASSWORD))

    def test_a_helper_cannot_change_the_helped_users_2fa(self, world: World) -> None:
        helped = attrs.evolve(world.actor(world.teacher), impersonator_id=world.contact.id)
        command = ChangeSecondFactor(PASSWORD, world.code(OLD), NEW, world.code(NEW))
        with pytest.raises(Forbidden):
            change_second_factor(world.uow(), world.clock, world.random, world.hasher, helped,
                                 command, LINKS)  # fmt: skip


class TestEnrolmentWhileSigningIn:
    def test_a_password_alone_never_replaces_an_existing_factor(self, world: World) -> None:
        pending = Pending(world.admin.id, world.admin.session_version)
        with pytest.raises(Rejected, match=ALREADY_ON):
            confirm_enrolment(world.uow(), world.clock, world.random, pending,
                              LinkApp(NEW, world.code(NEW)), LINKS)  # fmt: skip
        assert world.user(world.admin.id).totp_secret == OLD

    def test_a_first_app_is_linked_audited_and_mailed(self, world: World) -> None:
        uow = world.uow()
        uow.users.update(attrs.evolve(world.admin, totp_secret=None))
        uow.commit()
        pending = Pending(world.admin.id, world.admin.session_version)
        enrolled = confirm_enrolment(world.uow(), world.clock, world.random, pending,
                                     LinkApp(NEW, world.code(NEW)), LINKS)  # fmt: skip
        assert enrolled.login.actor.second_factor
        assert world.actions() == ["tweestapsverificatie_aangezet"]
        assert [m.to for m in world.sent()] == [world.admin.email]


class TestDisable:
    def disable(self, world: World, user: User, password: str, code: str) -> None:
        disable_second_factor(world.uow(), world.clock, world.hasher, world.actor(user),
                              DisableSecondFactor(password, code), LINKS)  # fmt: skip

    def test_an_end_user_switches_2fa_off_with_password_and_code(self, world: World) -> None:
        with pytest.raises(Rejected) as refused:
            self.disable(world, world.teacher, PASSWORD, "000000")
        assert [v.path for v in refused.value.violations] == ["huidige_code"]
        assert world.user(world.teacher.id).totp_secret == OLD
        self.disable(world, world.teacher, PASSWORD, world.code(OLD))
        stored = world.user(world.teacher.id)
        assert (stored.totp_secret, stored.recovery_codes) == (None, frozenset())
        assert stored.session_version == world.teacher.session_version + 1
        assert world.actions() == ["tweestapsverificatie_uitgezet"]
        [notice] = world.sent()
        assert "Uw tweestapsverificatie is uitgezet" in notice.body
        with pytest.raises(Rejected, match=ALREADY_OFF):
            self.disable(world, world.teacher, PASSWORD, "")

    def test_a_role_that_must_use_2fa_cannot_switch_it_off(self, world: World) -> None:
        with pytest.raises(Forbidden, match=REQUIRED):
            self.disable(world, world.admin, PASSWORD, world.code(OLD))
        assert world.user(world.admin.id).totp_secret == OLD


class TestImpersonationCarriesTheHelpersFactor:
    def test_the_helped_actor_has_the_helpers_second_factor(self, world: World) -> None:
        contact = world.actor(world.contact)
        started = start_impersonation(world.uow(), world.clock, contact, world.admin.id)
        assert started.actor.second_factor
        uow = world.uow()
        uow.users.update(attrs.evolve(world.user(world.contact.id), totp_secret=None))
        uow.commit()
        helped = impersonated_actor(world.uow(), world.admin.id, started.session_version,
                                    world.contact.id, started.impersonator_version)  # fmt: skip
        assert helped is None  # the helper lost the factor: the session ends

    def test_a_helper_without_a_second_factor_cannot_start(self, world: World) -> None:
        contact = attrs.evolve(world.actor(world.contact), second_factor=False)
        with pytest.raises(Forbidden):
            start_impersonation(world.uow(), world.clock, contact, world.teacher.id)


class TestAttempts:
    def test_an_empty_login_form_is_named_and_not_counted(self, world: World) -> None:
        for email, password in (("", PASSWORD), (world.teacher.email, ""), ("  ", "")):
            with pytest.raises(Rejected, match=EMPTY_FORM):
                sign_in(world.uow(), world.clock, world.hasher, SignIn(email, password, "1.2.3.4"))
        assert world.store.tables["throttle"] == {}

    def test_attempts_are_counted_before_the_check_and_a_success_gives_the_client_one_back(
        self, world: World
    ) -> None:
        keys = [("a" * 64, throttle.ACCOUNT), ("b" * 64, throttle.CLIENT)]
        reserve_attempt(world.uow(), world.clock, keys)
        reserve_attempt(world.uow(), world.clock, keys)
        uow = world.uow()
        settle_success(uow, clear=["a" * 64], give_back=["b" * 64, "c" * 64])
        uow.commit()
        now = world.clock.now()
        assert throttle.current(world.uow().throttle.get("a" * 64), throttle.ACCOUNT, now) == 0
        client = world.uow().throttle.get("b" * 64)
        assert client is not None
        assert client.failures == 1
        assert world.uow().throttle.get("c" * 64) is None  # never counted: nothing to give back

    def test_beyond_the_free_attempts_nothing_more_is_counted(self, world: World) -> None:
        keys = [("d" * 64, throttle.ACCOUNT)]
        for _ in range(throttle.ACCOUNT.free):
            reserve_attempt(world.uow(), world.clock, keys)
        uow = world.uow()
        with pytest.raises(throttle.Throttled):
            count_attempt(uow, world.clock.now(), keys)
        world.clock.advance(dt.timedelta(seconds=15))
        reserve_attempt(world.uow(), world.clock, keys)
        stored = world.uow().throttle.get("d" * 64)
        assert stored is not None
        assert stored.failures == throttle.ACCOUNT.free + 1

    def test_a_zero_count_is_not_given_back_below_zero(self, world: World) -> None:
        uow = world.uow()
        uow.throttle.save(throttle.Attempts(key="e" * 64, failures=0))
        settle_success(uow, clear=[], give_back=["e" * 64])
        stored = uow.throttle.get("e" * 64)
        assert stored is not None
        assert stored.failures == 0
