"""Sending the parent login (R-OUD-1/2) and the parent setting a password with its link."""

from __future__ import annotations

import datetime as dt
import hashlib

import attrs

from elk_domain.accounts import throttle
from elk_domain.errors import Message, Rejected
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.mail import OutgoingMail
from elk_domain.kernel.mail_queue import queue_mail
from elk_domain.kernel.people import Actor, Role
from elk_domain.kernel.permissions import Action
from elk_domain.kernel.ports import Clock, PasswordHasher, RandomSource
from elk_domain.kernel.support import Subject, audit
from elk_domain.kernel.values import single_line
from elk_domain.organisation.procedure import ParentPortal
from elk_domain.parents.account import ParentAccount, check_parent_password
from elk_domain.parents.eligibility import (
    Eligibility,
    LoginEvent,
    advance,
    first_parent_email,
    login_status,
    parent_login_eligibility,
    require_eligible,
    with_login_status,
)
from elk_domain.parents.ports import ParentsWork
from elk_domain.pupils.access import load_pupil, pupil_subject
from elk_domain.pupils.model import ParentLoginStatus, Pupil

TOKEN_VALIDITY = dt.timedelta(days=30)
INVALID_LINK = Message(
    "Deze link is ongeldig, al gebruikt of verlopen. Vraag een nieuwe link aan met "
    "'Wachtwoord vergeten', of vraag de school om de ouderinlog opnieuw te versturen."
)


@attrs.frozen(kw_only=True)
class PortalLinks:
    """Where parents go: the login page and the set-password page (with a ``{token}`` slot)."""

    login_url: str
    set_password_url: str
    sender: str = "ELK Amstelland"


@attrs.frozen
class SendParentLogin:
    """Send the login for one pupil (never in bulk: each address is checked by the school)."""

    pupil_id: int
    portal: ParentPortal = ParentPortal.ELK


def token_digest(token: str) -> str:
    """What is stored of a set-password token: its SHA-256, so a database leak reveals no link."""
    return hashlib.sha256(token.encode()).hexdigest()


def parent_login_check(
    uow: ParentsWork, clock: Clock, actor: Actor, command: SendParentLogin
) -> Eligibility:
    """Why the button 'Ouderinlog versturen' is (not) available for this pupil."""
    with uow:
        pupil = load_pupil(uow, actor, Action.SEND_PARENT_LOGIN, command.pupil_id)
        return _eligibility(uow, clock, pupil, command.portal)


def _eligibility(uow: ParentsWork, clock: Clock, pupil: Pupil, portal: ParentPortal) -> Eligibility:
    return parent_login_eligibility(
        pupil=pupil,
        okidoc=uow.okidocs.for_pupil(pupil.id),
        timeline=uow.settings.timeline(),
        today=clock.now().date(),
        portal=portal,
    )


def send_parent_login(
    uow: ParentsWork,
    clock: Clock,
    random: RandomSource,
    actor: Actor,
    command: SendParentLogin,
    links: PortalLinks,
) -> Pupil:
    """Create the parent account with a fresh link, queue the mail to the first parent and mark
    the login sent, all in one transaction: "sent" means handed to the outbox (decision 0032)."""
    with uow:
        pupil = load_pupil(uow, actor, Action.SEND_PARENT_LOGIN, command.pupil_id)
        require_eligible(_eligibility(uow, clock, pupil, command.portal))
        email = str(first_parent_email(uow.okidocs.for_pupil(pupil.id)))
        token = random.token()
        _store_account(uow, clock, pupil, command.portal, email, token)
        old = login_status(pupil, command.portal)
        new = advance(old, LoginEvent.SEND)
        stored = uow.pupils.update(with_login_status(pupil, command.portal, new))
        change = FieldChange(f"ouderinlog.{command.portal.value}", old.value, new.value)
        again = "" if old is ParentLoginStatus.NOT_SENT else "opnieuw "
        subject = pupil_subject(pupil)
        detail = f"{again}naar {email}"
        audit(uow, clock, actor, "ouderinlog_verstuurd", subject, change, detail=detail)
        queue_mail(uow, clock, _login_mail(pupil, email, token, command.portal, links))
        uow.commit()
        return stored


def _store_account(
    uow: ParentsWork, clock: Clock, pupil: Pupil, portal: ParentPortal, email: str, token: str
) -> None:
    existing = uow.parent_accounts.for_pupil(pupil.id, portal)
    account = existing or ParentAccount(id=0, pupil_id=pupil.id, portal=portal, email=email)
    fresh = attrs.evolve(
        account,
        email=email,
        token_digest=token_digest(token),
        token_expires_at=clock.now() + TOKEN_VALIDITY,
    )
    if existing is None:
        uow.parent_accounts.add(fresh)
    else:
        uow.parent_accounts.update(fresh)


def _login_mail(
    pupil: Pupil, email: str, token: str, portal: ParentPortal, links: PortalLinks
) -> OutgoingMail:
    first = pupil.name.first
    days = TOKEN_VALIDITY.days
    body = f"""Beste ouder/verzorger,

Allereerst: BEWAAR DEZE MAIL GOED.

U kunt een account aanmaken voor het {portal.label} van {links.sender} om {first} aan te melden \
voor een middelbare school. Stel een wachtwoord in via de volgende link ({days} dagen geldig):
{links.set_password_url.format(token=token)}

De gebruikersnaam is het ELK-nummer van uw kind: {pupil.elk_number}

Vervolgens logt u in op {links.login_url} met de gebruikersnaam (het ELK-nummer van uw kind) \
en het door u ingestelde wachtwoord.

Na het inloggen vult u het aanmeldingsformulier in en meldt u {first} aan. U kunt op ieder \
moment stoppen en later verder gaan.

Met vriendelijke groet,
{links.sender}
"""
    subject = single_line(f"{links.sender}: account aanmaken om {first} aan te melden")
    return OutgoingMail(to=email, subject=subject, body=body)


def parent_actor(account: ParentAccount) -> Actor:
    """The actor for a parent: one account per pupil, acting for that pupil only."""
    return Actor(
        user_id=account.id, name="Ouder/verzorger", role=Role.PARENT, pupil_id=account.pupil_id
    )


@attrs.frozen
class SetParentPassword:
    """The form behind the link in the mail: the password twice."""

    token: str
    password: str
    repeat: str


def set_parent_password(
    uow: ParentsWork, clock: Clock, hasher: PasswordHasher, command: SetParentPassword
) -> Actor:
    """Set the password once per link; the first time activates the login (R-OUD-2).

    Every earlier session of the account ends, and failed logins under its ELK number are
    forgotten: the parent who just proved to read the first parent's mail may log in at once.
    """
    with uow:
        account, pupil = link_account(uow, clock, command.token)
        check_parent_password(str(pupil.elk_number), command.password, command.repeat)
        account = uow.parent_accounts.update(
            attrs.evolve(
                account,
                password_hash=hasher.hash(command.password),
                token_digest=None,
                token_expires_at=None,
                session_version=account.session_version + 1,
            )
        )
        uow.throttle.clear(parent_key(str(pupil.elk_number)))
        actor = parent_actor(account)
        if login_status(pupil, account.portal) is ParentLoginStatus.SENT:
            activated = advance(ParentLoginStatus.SENT, LoginEvent.ACTIVATE)
            uow.pupils.update(with_login_status(pupil, account.portal, activated))
        subject = Subject(type="parent_account", id=account.id, school_id=pupil.school_id)
        audit(uow, clock, actor, "ouderwachtwoord_ingesteld", subject)
        uow.commit()
        return actor


def link_account(uow: ParentsWork, clock: Clock, token: str) -> tuple[ParentAccount, Pupil]:
    """The account and pupil of a usable set-password link (in an open unit of work)."""
    account = uow.parent_accounts.by_token_digest(token_digest(token)) if token else None
    expires = None if account is None else account.token_expires_at
    if account is None or expires is None or expires < clock.now():
        raise Rejected(INVALID_LINK)
    return account, uow.pupils.get(account.pupil_id)


def parent_key(elk_number: str) -> str:
    """The throttle key of a parent login: the same counting as a staff account's."""
    return throttle.throttle_key("ouder", elk_number)
