"""Staff sign-in, 2FA, throttling and the own account, on the in-memory ports."""

from __future__ import annotations

import datetime as dt

import attrs
import pyotp
import pytest

from elk_domain.accounts import throttle, totp
from elk_domain.accounts.auth import LOGIN_FAILED
from elk_domain.accounts.passwords import (
    INVALID_LINK,
    RESET_SENT,
    AccountLinks,
    ChangePassword,
    ForgotPassword,
    SetPassword,
    change_password,
    check_link,
    check_password,
    invite_mail,
    issue_link,
    own_account,
    request_password_reset,
    set_password_with_link,
    update_own_name,
)
from elk_domain.accounts.second_factor import LinkApp, confirm_enrolment
from elk_domain.accounts.signin import (
    CODE_FAILED,
    SESSION_ENDED,
    NextStep,
    PasswordChecked,
    Pending,
    SignIn,
    new_recovery_codes,
    pending_step,
    recovery_digest,
    second_factor_required,
    sign_in,
    verify_second_factor,
)
from elk_domain.accounts.tokens import AccountToken, TokenPurpose, digest_of
from elk_domain.errors import Forbidden, NotFound, Rejected
from elk_domain.kernel.mail import OutgoingMail
from elk_domain.kernel.mail_queue import deliver_pending_mail
from elk_domain.kernel.people import Actor, Role, User
from elk_domain.testing import (
    FixedClock,
    InMemoryMailer,
    InMemoryStore,
    InMemoryThrottleRepository,
    InMemoryUnitOfWork,
    InsecurePlainHasher,
    SeededRandom,
)

PASSWORD = "een goed wachtwoord"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NEW = "nieuw wachtwoord!"
LINKS = AccountLinks(
    login_url="https://elk.test/inloggen", set_password_url="https://elk.test/w/{token}"
)


@attrs.define
class World:
    store: InMemoryStore
    clock: FixedClock
    hasher: InsecurePlainHasher
    mailer: InMemoryMailer
    random: SeededRandom
    teacher: User
    admin: User  # school administrator with 2FA

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)

    def user(self, user_id: int) -> User:
        return self.uow().users.get(user_id)

    def sign_in(self, email: str, password: str, client: str = "") -> PasswordChecked:
        return sign_in(self.uow(), self.clock, self.hasher, SignIn(email, password, client))

    def set_password(self, command: SetPassword) -> User:
        return set_password_with_link(self.uow(), self.clock, self.hasher, command, LINKS)

    def sent(self) -> list[OutgoingMail]:
        """The mail sent after a delivery round of the outbox."""
        deliver_pending_mail(self.uow(), self.clock, self.mailer)
        return self.mailer.sent

    def code(self, secret: str = SECRET, offset: int = 0) -> str:
        return str(pyotp.TOTP(secret).at(self.clock.now() + dt.timedelta(seconds=offset)))


@pytest.fixture
def world() -> World:
    store, hasher = InMemoryStore(), InsecurePlainHasher()
    uow = InMemoryUnitOfWork(store)
    teacher = uow.users.add(
        User(id=0, email="juf@school.test", display_name="Juf", role=Role.END_USER, school_id=1,
             password_hash=hasher.hash(PASSWORD))
    )  # fmt: skip
    admin = uow.users.add(
        User(id=0, email="beheer@school.test", display_name="Beheer", role=Role.SCHOOL_ADMIN,
             school_id=1, password_hash=hasher.hash(PASSWORD), totp_secret=SECRET)
    )  # fmt: skip
    uow.commit()
    return World(store, FixedClock(), hasher, InMemoryMailer(), SeededRandom(1), teacher, admin)


def actor(user: User, **changes: object) -> Actor:
    base = Actor(user_id=user.id, name=user.display_name, role=user.role, school_id=user.school_id)
    return attrs.evolve(base, **changes)  # type: ignore[misc]


class TestTotp:
    def test_codes_match_pyotp(self, world: World) -> None:
        step = totp.time_step(world.clock.now())
        assert totp.code_at(SECRET, step) == world.code()

    def test_accepts_one_step_of_drift_and_nothing_older_than_the_last_step(
        self, world: World
    ) -> None:
        now = world.clock.now()
        step = totp.time_step(now)
        assert totp.matching_step(SECRET, world.code(offset=-30), now) == step - 1
        assert totp.matching_step(SECRET, world.code(offset=30), now) == step + 1
        assert totp.matching_step(SECRET, world.code(offset=-90), now) is None
        assert totp.matching_step(SECRET, world.code(), now, after=step) is None
        assert totp.matching_step(SECRET, "12a456", now) is None

    def test_new_secrets_are_base32_and_work_in_an_app(self, world: World) -> None:
        secret = totp.new_secret(world.random)
        assert len(secret) == 32
        assert totp.matching_step(
            secret, pyotp.TOTP(secret).at(world.clock.now()), world.clock.now()
        )
        uri = totp.provisioning_uri(secret, "juf@school.test")
        assert uri.startswith("otpauth://totp/ELK%3Ajuf%40school.test?secret=")
        assert pyotp.parse_uri(uri).secret == secret
        assert totp.grouped("ABCDEFGH") == "ABCD EFGH"


class TestThrottlePolicy:
    def test_free_attempts_then_a_doubling_wait_up_to_the_cap(self) -> None:
        now = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
        policy = throttle.ACCOUNT
        attempts = None
        waits = []
        for _ in range(12):
            attempts = throttle.after_failure(attempts, "k", policy, now)
            waits.append(throttle.wait_seconds(attempts, policy, now))
        assert waits[:4] == [0, 0, 0, 0]
        assert waits[4:8] == [15, 30, 60, 120]
        assert max(waits) == 300  # a teacher waits five minutes at most

    def test_failures_are_forgotten_after_a_quiet_hour(self) -> None:
        now = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
        attempts = throttle.Attempts(key="k", failures=9, last_failure_at=now)
        later = now + dt.timedelta(hours=1, seconds=1)
        assert throttle.current(attempts, throttle.ACCOUNT, later) == 0
        assert throttle.wait_seconds(attempts, throttle.ACCOUNT, later) == 0
        assert throttle.wait_seconds(None, throttle.ACCOUNT, now) == 0

    def test_keys_are_digests_and_the_message_is_dutch(self) -> None:
        key = throttle.throttle_key("account", " Juf@School.test ")
        assert key == throttle.throttle_key("account", "juf@school.test")
        assert "juf" not in key
        assert "1 minuut" in throttle.Throttled(15).message
        assert "3 minuten" in throttle.Throttled(150).message

    def test_the_memory_repository_refuses_a_key_that_is_no_digest(self) -> None:
        store = InMemoryStore()
        repository = InMemoryThrottleRepository(store, InMemoryUnitOfWork(store)._work)
        with pytest.raises(NotFound):
            repository.get("geen digest")
        repository.clear(throttle.throttle_key("x", "y"))  # missing: ignored


class TestSignIn:
    def test_an_end_user_is_logged_in_at_once(self, world: World) -> None:
        result = sign_in(
            world.uow(), world.clock, world.hasher, SignIn("juf@school.test", PASSWORD)
        )
        assert result.step is NextStep.NONE
        assert result.login.actor.user_id == world.teacher.id

    def test_an_enrolled_user_must_give_a_code(self, world: World) -> None:
        result = sign_in(
            world.uow(), world.clock, world.hasher, SignIn(world.admin.email, PASSWORD)
        )
        assert result.step is NextStep.CODE

    def test_a_required_role_without_2fa_must_enrol(self, world: World) -> None:
        uow = world.uow()
        uow.users.update(attrs.evolve(world.admin, totp_secret=None))
        uow.commit()
        result = sign_in(
            world.uow(), world.clock, world.hasher, SignIn(world.admin.email, PASSWORD)
        )
        assert result.step is NextStep.ENROL
        assert second_factor_required(Role.BOARD_CONTACT)
        assert not second_factor_required(Role.END_USER)

    def test_failures_are_throttled_before_any_hash_and_a_success_resets_the_account(
        self, world: World
    ) -> None:
        wrong = SignIn(world.teacher.email, "fout", client="10.0.0.1")
        for _ in range(5):
            with pytest.raises(Rejected, match=LOGIN_FAILED):
                sign_in(world.uow(), world.clock, world.hasher, wrong)
        with pytest.raises(throttle.Throttled):
            world.sign_in(world.teacher.email, PASSWORD)
        world.clock.advance(dt.timedelta(seconds=15))
        world.sign_in(world.teacher.email, PASSWORD)
        key = throttle.throttle_key("account", world.teacher.email)
        assert (
            throttle.current(world.uow().throttle.get(key), throttle.ACCOUNT, world.clock.now())
            == 0
        )


class TestSecondFactor:
    def pending(self, world: World) -> Pending:
        return Pending(world.admin.id, world.admin.session_version)

    def test_a_code_logs_in_once_per_time_step(self, world: World) -> None:
        login = verify_second_factor(world.uow(), world.clock, self.pending(world), world.code())
        assert login.actor.user_id == world.admin.id
        with pytest.raises(Rejected, match=CODE_FAILED):
            verify_second_factor(world.uow(), world.clock, self.pending(world), world.code())
        world.clock.advance(dt.timedelta(seconds=30))
        verify_second_factor(world.uow(), world.clock, self.pending(world), world.code())

    def test_a_recovery_code_works_once_and_is_audited(self, world: World) -> None:
        uow = world.uow()
        uow.users.update(
            attrs.evolve(world.admin, recovery_codes=frozenset({recovery_digest("abcde-fghij")}))
        )
        uow.commit()
        verify_second_factor(world.uow(), world.clock, self.pending(world), "ABCDE FGHIJ")
        assert world.user(world.admin.id).recovery_codes == frozenset()
        assert world.store.audit[-1].action == "herstelcode_gebruikt"
        with pytest.raises(Rejected):
            verify_second_factor(world.uow(), world.clock, self.pending(world), "abcde-fghij")

    def test_guessing_codes_is_throttled(self, world: World) -> None:
        for _ in range(5):
            with pytest.raises(Rejected):
                verify_second_factor(world.uow(), world.clock, self.pending(world), "000000")
        with pytest.raises(throttle.Throttled):
            verify_second_factor(world.uow(), world.clock, self.pending(world), world.code())

    @pytest.mark.parametrize("change", ["gone", "disabled", "logged_out", "no_secret"])
    def test_a_stale_pending_login_is_refused(self, world: World, change: str) -> None:
        pending = self.pending(world)
        uow = world.uow()
        if change == "gone":
            pending = Pending(999, 1)
        elif change == "disabled":
            uow.users.update(attrs.evolve(world.admin, active=False))
        elif change == "logged_out":
            uow.users.update(attrs.evolve(world.admin, session_version=2))
        else:
            uow.users.update(attrs.evolve(world.admin, totp_secret=None))
        uow.commit()
        with pytest.raises(Rejected, match=SESSION_ENDED):
            verify_second_factor(world.uow(), world.clock, pending, world.code())

    def test_a_pending_user_with_an_app_belongs_on_the_code_page(self, world: World) -> None:
        assert pending_step(world.uow(), self.pending(world)) is NextStep.CODE
        uow = world.uow()
        uow.users.update(attrs.evolve(world.admin, totp_secret=None))
        uow.commit()
        assert pending_step(world.uow(), self.pending(world)) is NextStep.ENROL
        with pytest.raises(Rejected, match=SESSION_ENDED):
            pending_step(world.uow(), Pending(999, 1))

    def test_enrolment_needs_a_matching_code_and_hands_out_ten_recovery_codes(
        self, world: World
    ) -> None:
        pending = Pending(world.teacher.id, world.teacher.session_version)
        secret = totp.new_secret(world.random)
        with pytest.raises(Rejected, match="klopt niet"):
            confirm_enrolment(world.uow(), world.clock, world.random, pending,
                              LinkApp(secret, "000000"), LINKS)  # fmt: skip
        code = world.code(secret)
        enrolled = confirm_enrolment(
            world.uow(), world.clock, world.random, pending, LinkApp(secret, code), LINKS
        )
        pending = Pending(world.teacher.id, enrolled.login.session_version)
        assert len(set(enrolled.recovery_codes)) == 10
        stored = world.user(world.teacher.id)
        assert stored.totp_secret == secret
        assert stored.recovery_codes == {recovery_digest(c) for c in enrolled.recovery_codes}
        with pytest.raises(Rejected):  # the enrolment code cannot log in again
            verify_second_factor(world.uow(), world.clock, pending, code)

    def test_recovery_codes_look_alike(self, world: World) -> None:
        codes = new_recovery_codes(world.random)
        assert all(len(c) == 11 and c[5] == "-" for c in codes)


class TestLinks:
    def test_a_link_sets_the_password_once_and_ends_other_sessions(self, world: World) -> None:
        uow = world.uow()
        token = issue_link(uow, world.clock, world.random, world.teacher, TokenPurpose.INVITE)
        uow.commit()
        assert check_link(world.uow(), world.clock, token).id == world.teacher.id
        command = SetPassword(token, "nieuw wachtwoord!", "nieuw wachtwoord!")
        user = world.set_password(command)
        assert user.session_version == world.teacher.session_version + 1
        assert world.hasher.verify(user.password_hash or "", "nieuw wachtwoord!")
        assert "juf@school.test" in world.sent()[-1].body
        assert world.store.audit[-1].action == "wachtwoord_ingesteld"
        with pytest.raises(Rejected, match=INVALID_LINK):
            world.set_password(command)

    def test_links_expire_and_die_with_a_disabled_account(self, world: World) -> None:
        uow = world.uow()
        token = issue_link(uow, world.clock, world.random, world.teacher, TokenPurpose.RESET)
        uow.commit()
        world.clock.advance(TokenPurpose.RESET.validity)
        with pytest.raises(Rejected):
            check_link(world.uow(), world.clock, token)
        with pytest.raises(Rejected):
            check_link(world.uow(), world.clock, "")
        uow = world.uow()
        fresh = issue_link(uow, world.clock, world.random, world.teacher, TokenPurpose.INVITE)
        uow.users.update(attrs.evolve(world.teacher, active=False))
        uow.commit()
        with pytest.raises(Rejected):
            check_link(world.uow(), world.clock, fresh)

    def test_the_invite_mail_names_the_username_and_the_link(self, world: World) -> None:
        mail = invite_mail(world.teacher, "TOKEN", LINKS)
        assert "https://elk.test/w/TOKEN" in mail.body
        assert "juf@school.test" in mail.body

    def test_forgot_password_mails_only_known_active_users_and_says_the_same(
        self, world: World
    ) -> None:
        answers = [
            request_password_reset(world.uow(), world.clock, world.random,
                                   ForgotPassword(email, client=email), LINKS)
            for email in (world.teacher.email, "onbekend@school.test", "")
        ]  # fmt: skip
        assert answers == [RESET_SENT] * 3
        assert [m.to for m in world.sent()] == [world.teacher.email]
        token = world.mailer.sent[0].body.split("https://elk.test/w/")[1].split()[0]
        command = SetPassword(token, "nieuw wachtwoord!", "nieuw wachtwoord!")
        world.set_password(command)
        assert world.store.audit[-1].action == "wachtwoord_hersteld"

    def test_forgot_password_is_silently_throttled(self, world: World) -> None:
        for _ in range(5):
            request_password_reset(world.uow(), world.clock, world.random,
                                   ForgotPassword(world.teacher.email), LINKS)  # fmt: skip
        assert len(world.sent()) == 3

    def test_a_new_link_revokes_the_old_one(self, world: World) -> None:
        uow = world.uow()
        old = issue_link(uow, world.clock, world.random, world.teacher, TokenPurpose.INVITE)
        issue_link(uow, world.clock, world.random, world.teacher, TokenPurpose.INVITE)
        uow.commit()
        record = world.uow().account_tokens.by_digest(digest_of(old))
        assert record is not None
        assert record.used_at is not None
        assert len(world.uow().account_tokens.for_user(world.teacher.id)) == 2
        with pytest.raises(NotFound):
            world.uow().account_tokens.update(attrs.evolve(record, id=999))

    @pytest.mark.parametrize(
        ("password", "repeat", "message"),
        [
            ("kort", "kort", "minstens 10"),
            ("x" * 257, "x" * 257, "hoogstens 256"),
            ("JUF@school.test", "JUF@school.test", "geen goed wachtwoord"),
            ("lang genoeg hoor", "anders", "niet gelijk"),
        ],
    )
    def test_password_rules(self, world: World, password: str, repeat: str, message: str) -> None:
        with pytest.raises(Rejected) as refused:
            check_password(world.teacher, password, repeat)
        assert any(message in v.message for v in refused.value.violations)


class TestOwnSettings:
    def test_changing_the_password_needs_the_current_one_and_bumps_the_session(
        self, world: World
    ) -> None:
        me = actor(world.teacher)
        with pytest.raises(Rejected, match="niet gewijzigd"):
            change_password(world.uow(), world.clock, world.hasher, me,
                            ChangePassword("fout", NEW, NEW))  # fmt: skip
        login = change_password(world.uow(), world.clock, world.hasher, me,
                                ChangePassword(PASSWORD, NEW, NEW))  # fmt: skip
        assert login.session_version == world.teacher.session_version + 1

    def test_the_own_name_is_trimmed_and_audited_once(self, world: World) -> None:
        me = actor(world.teacher)
        assert (
            update_own_name(world.uow(), world.clock, me, "  Juf   Eva ").display_name == "Juf Eva"
        )
        assert update_own_name(world.uow(), world.clock, me, "Juf Eva").version == 2
        assert [e.action for e in world.store.audit] == ["naam_gewijzigd"]
        with pytest.raises(Rejected):
            update_own_name(world.uow(), world.clock, me, "   ")
        assert own_account(world.uow(), me).display_name == "Juf Eva"

    def test_a_helper_cannot_change_the_helped_users_account(self, world: World) -> None:
        helped = actor(world.teacher, impersonator_id=world.admin.id)
        with pytest.raises(Forbidden):
            update_own_name(world.uow(), world.clock, helped, "Gekaapt")
        with pytest.raises(Forbidden):
            change_password(world.uow(), world.clock, world.hasher, helped,
                            ChangePassword(PASSWORD, NEW, NEW))  # fmt: skip


def test_account_tokens_know_when_they_are_usable() -> None:
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    token = AccountToken(id=1, user_id=1, purpose=TokenPurpose.INVITE, digest="d", created_at=now,
                         expires_at=now + TokenPurpose.INVITE.validity)  # fmt: skip
    assert token.usable(now)
    assert not attrs.evolve(token, used_at=now).usable(now)
    assert not token.usable(token.expires_at)
