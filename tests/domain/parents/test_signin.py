"""Parents log in with the ELK number (R-AUTH-6), under the staff's throttle and session rules."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from tests.domain.test_core_services import LINKS, World

from elk_domain.accounts.throttle import Throttled
from elk_domain.errors import Rejected
from elk_domain.kernel.people import Role
from elk_domain.organisation.procedure import ParentPortal
from elk_domain.parents import login as parent_login
from elk_domain.parents import signin
from elk_domain.parents.account import ParentAccount
from elk_domain.pupils.model import ParentLoginStatus
from elk_domain.testing import InsecurePlainHasher

S = ParentLoginStatus
PASSWORD = "geheim1234"
HASHER = InsecurePlainHasher()


@pytest.fixture
def world() -> World:
    return World().setup()


def _activated(world: World) -> World:
    world.activate()  # sets PASSWORD
    return world


def _sign_in(
    world: World, number: str = "78018", password: str = PASSWORD, client: str = "10.0.0.1"
) -> signin.ParentLogin:
    command = signin.ParentSignIn(number, password, client=client)
    return signin.sign_in_parent(world.uow(), world.clock, HASHER, command)


def _account(world: World) -> ParentAccount:
    with world.uow() as uow:
        account = uow.parent_accounts.for_pupil(world.ids["pupil"], ParentPortal.ELK)
    assert account is not None
    return account


class TestSignInParent:
    def test_elk_number_and_password_log_in_as_a_parent_of_that_child_only(
        self, world: World
    ) -> None:
        login = _sign_in(_activated(world))
        assert login.actor.role is Role.PARENT
        assert login.actor.pupil_id == world.ids["pupil"]
        assert login.session_version == _account(world).session_version

    def test_leading_zeros_and_spaces_in_the_number_do_not_matter(self, world: World) -> None:
        assert _sign_in(_activated(world), number=" 078018 ").actor.pupil_id == world.ids["pupil"]

    @pytest.mark.parametrize("number", ["78018x", "0", "99999", "1234567890", "9" * 300])
    def test_unknown_or_malformed_numbers_fail_like_a_wrong_password(
        self, world: World, number: str
    ) -> None:
        _activated(world)
        with pytest.raises(Rejected, match=signin.LOGIN_FAILED):
            _sign_in(world, number=number)
        with pytest.raises(Rejected, match=signin.LOGIN_FAILED):
            _sign_in(world, password="verkeerd-wachtwoord")

    def test_an_account_without_a_password_yet_cannot_log_in(self, world: World) -> None:
        world.send_login()
        with pytest.raises(Rejected, match=signin.LOGIN_FAILED):
            _sign_in(world)

    @pytest.mark.parametrize(("number", "password"), [("", PASSWORD), ("78018", "")])
    def test_an_empty_field_is_named_and_not_counted(
        self, world: World, number: str, password: str
    ) -> None:
        _activated(world)
        for _ in range(10):
            with pytest.raises(Rejected, match="Vul het ELK-nummer"):
                _sign_in(world, number=number, password=password)
        assert _sign_in(world).actor.role is Role.PARENT

    def test_five_wrong_passwords_make_the_sixth_wait_even_when_right(self, world: World) -> None:
        _activated(world)
        for n in range(5):
            with pytest.raises(Rejected, match=signin.LOGIN_FAILED):
                _sign_in(world, password=f"fout-{n}", client=f"10.0.0.{n}")
        with pytest.raises(Throttled):
            _sign_in(world, client="10.0.1.1")
        world.clock.advance(dt.timedelta(minutes=1))
        assert _sign_in(world).actor.role is Role.PARENT

    def test_a_success_clears_the_failures_of_the_number(self, world: World) -> None:
        _activated(world)
        for n in range(4):
            with pytest.raises(Rejected):
                _sign_in(world, password=f"fout-{n}")
        _sign_in(world)
        for n in range(4):
            with pytest.raises(Rejected, match=signin.LOGIN_FAILED):
                _sign_in(world, password=f"fout-{n}")

    def test_a_new_password_forgets_the_failures(self, world: World) -> None:
        _activated(world)
        for n in range(5):
            with pytest.raises(Rejected):
                _sign_in(world, password=f"fout-{n}", client=f"10.0.0.{n}")
        token = world.send_login()
        command = parent_login.SetParentPassword(token, "nieuw-wachtwoord", "nieuw-wachtwoord")
        parent_login.set_parent_password(world.uow(), world.clock, HASHER, command)
        assert _sign_in(world, password="nieuw-wachtwoord").actor.role is Role.PARENT


class TestParentSessions:
    def test_the_session_of_a_login_resolves_to_the_parent(self, world: World) -> None:
        login = _sign_in(_activated(world))
        actor = signin.parent_actor_for(world.uow(), login.actor.user_id, login.session_version)
        assert actor == login.actor

    def test_logout_ends_every_session_of_the_account(self, world: World) -> None:
        login = _sign_in(_activated(world))
        signin.end_parent_sessions(world.uow(), login.actor.user_id)
        actor = signin.parent_actor_for(world.uow(), login.actor.user_id, login.session_version)
        assert actor is None
        assert _sign_in(world).session_version == login.session_version + 1

    def test_a_new_password_ends_the_earlier_sessions(self, world: World) -> None:
        login = _sign_in(_activated(world))
        token = world.send_login()
        command = parent_login.SetParentPassword(token, "nieuw-wachtwoord", "nieuw-wachtwoord")
        parent_login.set_parent_password(world.uow(), world.clock, HASHER, command)
        actor = signin.parent_actor_for(world.uow(), login.actor.user_id, login.session_version)
        assert actor is None

    def test_an_unknown_account_has_no_session_and_no_logout(self, world: World) -> None:
        assert signin.parent_actor_for(world.uow(), 999, 1) is None
        signin.end_parent_sessions(world.uow(), 999)  # nothing to end, no error

    def test_an_account_that_lost_its_password_has_no_session(self, world: World) -> None:
        login = _sign_in(_activated(world))
        with world.uow() as uow:
            uow.parent_accounts.update(attrs.evolve(_account(world), password_hash=None))
            uow.commit()
        version = _account(world).session_version
        assert signin.parent_actor_for(world.uow(), login.actor.user_id, version) is None


def _forgot(world: World, number: str = "78018", client: str = "10.0.0.1") -> str:
    command = signin.ForgotParentPassword(number, client=client)
    return signin.request_parent_reset(world.uow(), world.clock, world.random, command, LINKS)


class TestForgotPassword:
    def test_sends_a_fresh_link_to_the_first_parent_and_kills_the_old_one(
        self, world: World
    ) -> None:
        old = world.send_login()
        assert _forgot(world) == signin.RESET_SENT
        [*_, mail] = world.sent()
        assert mail.to == "ouder@example.nl"
        assert "78018" in mail.body
        token = mail.body.split("/wachtwoord/")[1].split()[0]
        assert token != old
        dead = parent_login.SetParentPassword(old, PASSWORD, PASSWORD)
        with pytest.raises(Rejected, match="ongeldig"):
            parent_login.set_parent_password(world.uow(), world.clock, HASHER, dead)
        fresh = parent_login.SetParentPassword(token, PASSWORD, PASSWORD)
        parent_login.set_parent_password(world.uow(), world.clock, HASHER, fresh)
        assert world.pupil().parent_login is S.ACTIVATED
        assert "ouderwachtwoord_herstel_gevraagd" in world.audit_actions()

    def test_the_reset_link_expires_after_two_hours(self, world: World) -> None:
        _activated(world)
        _forgot(world)
        token = world.sent()[-1].body.split("/wachtwoord/")[1].split()[0]
        world.clock.advance(signin.RESET_VALIDITY + dt.timedelta(seconds=1))
        command = parent_login.SetParentPassword(token, "nieuw-wachtwoord", "nieuw-wachtwoord")
        with pytest.raises(Rejected, match="verlopen"):
            parent_login.set_parent_password(world.uow(), world.clock, HASHER, command)

    @pytest.mark.parametrize("number", ["99999", "geen nummer", "", "9" * 300])
    def test_an_unknown_number_gets_the_same_answer_and_no_mail(
        self, world: World, number: str
    ) -> None:
        world.send_login()
        before = len(world.sent())
        assert _forgot(world, number) == signin.RESET_SENT
        assert len(world.sent()) == before

    def test_requests_are_throttled_silently(self, world: World) -> None:
        world.send_login()
        before = len(world.sent())
        answers = {_forgot(world, client=f"10.0.0.{n}") for n in range(6)}
        assert answers == {signin.RESET_SENT}
        assert len(world.sent()) - before == 3  # MAIL: three free, then a wait


class TestCheckLink:
    def test_a_usable_link_names_the_child_and_the_username(self, world: World) -> None:
        token = world.send_login()
        holder = signin.check_parent_link(world.uow(), world.clock, token)
        assert holder == signin.LinkHolder("78018", "Proef")

    @pytest.mark.parametrize("token", ["", "onzin"])
    def test_an_unknown_link_is_refused(self, world: World, token: str) -> None:
        world.send_login()
        with pytest.raises(Rejected, match="ongeldig"):
            signin.check_parent_link(world.uow(), world.clock, token)


class TestPasswordRules:
    @pytest.mark.parametrize(
        ("password", "repeat", "paths"),
        [
            ("kort", "kort", ["wachtwoord"]),
            ("x" * 257, "x" * 257, ["wachtwoord"]),
            ("kind-78018-abc", "kind-78018-abc", ["wachtwoord"]),
            ("lang-genoeg-1", "lang-genoeg-2", ["herhaling"]),
        ],
    )
    def test_refused_passwords_name_the_field(
        self, world: World, password: str, repeat: str, paths: list[str]
    ) -> None:
        token = world.send_login()
        command = parent_login.SetParentPassword(token, password, repeat)
        with pytest.raises(Rejected) as caught:
            parent_login.set_parent_password(world.uow(), world.clock, HASHER, command)
        assert [v.path for v in caught.value.violations] == paths


class TestResend:
    def test_sending_again_kills_the_earlier_link(self, world: World) -> None:
        old = world.send_login()
        new = world.send_login()
        assert world.pupil().parent_login is S.SENT
        dead = parent_login.SetParentPassword(old, PASSWORD, PASSWORD)
        with pytest.raises(Rejected, match="ongeldig"):
            parent_login.set_parent_password(world.uow(), world.clock, HASHER, dead)
        fresh = parent_login.SetParentPassword(new, PASSWORD, PASSWORD)
        parent_login.set_parent_password(world.uow(), world.clock, HASHER, fresh)
        assert world.pupil().parent_login is S.ACTIVATED

    def test_sending_after_activation_keeps_the_status_and_the_password(self, world: World) -> None:
        first = world.activate()
        world.send_login()
        assert world.pupil().parent_login is S.ACTIVATED
        assert world.audit_actions().count("ouderinlog_verstuurd") == 2
        assert _sign_in(world).actor == first  # works until the new link sets another one
