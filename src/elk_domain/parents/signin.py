"""Parents log in with the ELK number and their password (R-AUTH-6), by the staff's rules.

The same throttle as staff (``accounts.attempts``: counted in the database before any hash is
computed, per account and per client address), the same session rule (a ``session_version``
that logout and a new password bump), and "wachtwoord vergeten" that answers the same whether
or not the number is known and sends its link to the first parent's address through the outbox.
See docs/decisions/0045-parent-login.md.
"""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.accounts import throttle
from elk_domain.accounts.attempts import count_attempt, reserve_attempt, settle_success
from elk_domain.errors import Message, NotFound, Rejected
from elk_domain.kernel.mail import OutgoingMail
from elk_domain.kernel.mail_queue import queue_mail
from elk_domain.kernel.password_rules import MAX_PASSWORD_LENGTH, verify_without_account
from elk_domain.kernel.people import Actor
from elk_domain.kernel.ports import Clock, PasswordHasher, RandomSource
from elk_domain.kernel.support import Subject, audit
from elk_domain.kernel.values import ElkNumber
from elk_domain.organisation.procedure import ParentPortal
from elk_domain.parents.account import ParentAccount
from elk_domain.parents.login import (
    PortalLinks,
    link_account,
    parent_actor,
    parent_key,
    token_digest,
)
from elk_domain.parents.ports import ParentsWork

LOGIN_FAILED = Message("ELK-nummer of wachtwoord onjuist.")
EMPTY_FORM = Message("Vul het ELK-nummer van uw kind en uw wachtwoord in.")


RESET_VALIDITY = dt.timedelta(hours=2)  # as a staff reset link
RESET_SENT = Message(
    "Als dit ELK-nummer bekend is, krijgt de eerste ouder/verzorger binnen enkele minuten een "
    "e-mail met een link om een nieuw wachtwoord in te stellen."
)


@attrs.frozen
class ParentSignIn:
    """The parents' login form, with the client's address for per-address throttling."""

    elk_number: str
    password: str
    client: str = ""


@attrs.frozen
class ParentLogin:
    """A successful parent login: the actor and the session version to keep in the session."""

    actor: Actor
    session_version: int


def sign_in_parent(
    uow: ParentsWork, clock: Clock, hasher: PasswordHasher, command: ParentSignIn
) -> ParentLogin:
    """Check ELK number and password (throttled); one generic Rejected for every failure."""
    if not command.elk_number.strip() or not command.password:
        raise Rejected(EMPTY_FORM)
    number = _normalised(command.elk_number)
    account_key = parent_key(number)
    client_key = throttle.throttle_key("client", command.client)
    keys = [(account_key, throttle.ACCOUNT), (client_key, throttle.CLIENT)]
    reserve_attempt(uow, clock, keys)
    with uow:
        accounts = _accounts(uow, number)
    password = command.password[:MAX_PASSWORD_LENGTH]
    if not accounts:
        verify_without_account(hasher, password)
        raise Rejected(LOGIN_FAILED)  # the attempt stays counted
    account = _matching(hasher, accounts, password)
    if account is None:
        raise Rejected(LOGIN_FAILED)
    with uow:
        settle_success(uow, clear=[account_key], give_back=[client_key])
        uow.commit()
    return ParentLogin(parent_actor(account), account.session_version)


def _normalised(typed: str) -> str:
    """The ELK number as stored ("078018" is 78018), or the typed text when it is none."""
    try:
        return str(ElkNumber.parse(typed))
    except (Rejected, ValueError):  # not digits, too long, or zero
        return typed.strip()


def _all_accounts(uow: ParentsWork, number: str) -> list[ParentAccount]:
    """The child's accounts: the ELK portal's, and the Amsterdam portal's when the school sent
    that login too (R-OUD-2); each has its own password."""
    try:  # 300 typed digits are no ELK number: never ask the database for them
        elk_number = ElkNumber.parse(number)
    except (Rejected, ValueError):
        return []
    found = (uow.parent_accounts.by_elk_number(elk_number.value, p) for p in ParentPortal)
    return [a for a in found if a is not None]


def _accounts(uow: ParentsWork, number: str) -> list[ParentAccount]:
    """The accounts one can log in to: those with a password."""
    return [a for a in _all_accounts(uow, number) if a.password_hash is not None]


def _account(uow: ParentsWork, number: str) -> ParentAccount | None:
    """The account a forgotten password is reset for: the ELK portal's first."""
    return next(iter(_all_accounts(uow, number)), None)


def _matching(
    hasher: PasswordHasher, accounts: list[ParentAccount], password: str
) -> ParentAccount | None:
    """The account whose password this is; every account is checked, so the time taken does
    not tell which portal a child has."""
    matches = [a for a in accounts if hasher.verify(a.password_hash or "", password)]
    return matches[0] if matches else None


def parent_actor_for(uow: ParentsWork, account_id: int, session_version: int) -> Actor | None:
    """The parent behind a session, or None when the account is gone or logged out since."""
    with uow:
        try:
            account = uow.parent_accounts.get(account_id)
        except NotFound:
            return None
    if account.session_version != session_version or account.password_hash is None:
        return None
    return parent_actor(account)


def end_parent_sessions(uow: ParentsWork, account_id: int) -> None:
    """Log the parent out everywhere: every session cookie issued before now stops working."""
    with uow:
        try:
            account = uow.parent_accounts.get(account_id)
        except NotFound:
            return
        version = account.session_version + 1
        uow.parent_accounts.update(attrs.evolve(account, session_version=version))
        uow.commit()


@attrs.frozen
class ForgotParentPassword:
    """The parents' "wachtwoord vergeten" form."""

    elk_number: str
    client: str = ""


def request_parent_reset(
    uow: ParentsWork,
    clock: Clock,
    random: RandomSource,
    command: ForgotParentPassword,
    links: PortalLinks,
) -> str:
    """Queue a new set-password link to the first parent's address when the number has an
    account; the old link stops working. The answer is always the same, and requests are
    throttled per number and per client (silently), so nobody floods a parent's mailbox."""
    number = _normalised(command.elk_number)
    keys = [
        (throttle.throttle_key("ouder-herstel", number), throttle.MAIL),
        (throttle.throttle_key("reset-client", command.client), throttle.MAIL),
    ]
    with uow:
        try:
            count_attempt(uow, clock.now(), keys)  # every request counts, known or not
        except throttle.Throttled:
            return RESET_SENT
        account = _account(uow, number)
        if account is not None:
            token = random.token()
            account = uow.parent_accounts.update(
                attrs.evolve(
                    account,
                    token_digest=token_digest(token),
                    token_expires_at=clock.now() + RESET_VALIDITY,
                )
            )
            pupil = uow.pupils.get(account.pupil_id)
            subject = Subject(type="parent_account", id=account.id, school_id=pupil.school_id)
            audit(uow, clock, parent_actor(account), "ouderwachtwoord_herstel_gevraagd", subject)
            queue_mail(uow, clock, _reset_mail(account, number, token, links))
        uow.commit()
    return RESET_SENT


def _reset_mail(
    account: ParentAccount, number: str, token: str, links: PortalLinks
) -> OutgoingMail:
    hours = int(RESET_VALIDITY.total_seconds() // 3600)
    body = f"""Beste ouder/verzorger,

Iemand (hopelijk u) heeft gevraagd om een nieuw wachtwoord voor het ouderportaal van \
{links.sender}.
Stel een nieuw wachtwoord in via deze link ({hours} uur geldig, één keer te gebruiken):
{links.set_password_url.format(token=token)}

De gebruikersnaam is het ELK-nummer van uw kind: {number}

Heeft u dit niet gevraagd? Dan kunt u deze e-mail negeren; uw wachtwoord blijft hetzelfde.

Met vriendelijke groet,
{links.sender}
"""
    subject = f"Nieuw wachtwoord voor het ouderportaal van {links.sender}"
    return OutgoingMail(to=account.email, subject=subject, body=body)


@attrs.frozen
class LinkHolder:
    """Whom a usable link is for: shown on the form, so the parent knows the username."""

    elk_number: str
    first_name: str


def check_parent_link(uow: ParentsWork, clock: Clock, token: str) -> LinkHolder:
    """The child of a usable set-password link; Rejected (INVALID_LINK) otherwise."""
    with uow:
        _, pupil = link_account(uow, clock, token)
    return LinkHolder(str(pupil.elk_number), pupil.name.first)
