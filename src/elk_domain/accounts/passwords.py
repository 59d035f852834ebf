"""A staff user's own account: the link from the invite or reset mail, and own settings.

Links are single-use and expire (``TokenPurpose.validity``); a new link revokes older ones.
"Wachtwoord vergeten" answers the same whether or not the address exists (R-AUTH-7). Mail is
queued in the outbox in the same transaction (``kernel.mail_queue``), never sent in a request.
"""

from __future__ import annotations

import attrs

from elk_domain.accounts import throttle
from elk_domain.accounts.attempts import count_attempt
from elk_domain.accounts.auth import Login, actor_of
from elk_domain.accounts.ports import AccountsWork
from elk_domain.accounts.signin import user_subject
from elk_domain.accounts.tokens import AccountToken, TokenPurpose, digest_of
from elk_domain.errors import Forbidden, Rejected, Violation
from elk_domain.kernel.mail import OutgoingMail
from elk_domain.kernel.mail_queue import queue_mail
from elk_domain.kernel.password_rules import (
    check_new_password,
)
from elk_domain.kernel.people import Actor, User
from elk_domain.kernel.ports import Clock, PasswordHasher, RandomSource
from elk_domain.kernel.support import audit

INVALID_LINK = "Deze link is ongeldig, al gebruikt of verlopen. Vraag een nieuwe link aan."
RESET_SENT = (
    "Als dit e-mailadres bij ELK bekend is, ontvangt u binnen enkele minuten een e-mail met een "
    "link om een nieuw wachtwoord in te stellen."
)
NOT_WHILE_IMPERSONATING = "Dit kan niet terwijl u bent ingelogd als een andere gebruiker."


@attrs.frozen(kw_only=True)
class AccountLinks:
    """Where mails point: the login page and the set-password page (with a ``{token}`` slot)."""

    login_url: str
    set_password_url: str
    sender: str = "ELK Amstelland"


def issue_link(
    uow: AccountsWork, clock: Clock, random: RandomSource, user: User, purpose: TokenPurpose
) -> str:
    """A fresh single-use token for ``user``; earlier unused links of the user stop working."""
    now = clock.now()
    for old in uow.account_tokens.for_user(user.id):
        if old.used_at is None:
            uow.account_tokens.update(attrs.evolve(old, used_at=now))
    token = random.token()
    uow.account_tokens.add(
        AccountToken(
            id=0,
            user_id=user.id,
            purpose=purpose,
            digest=digest_of(token),
            created_at=now,
            expires_at=now + purpose.validity,
        )
    )
    return token


def invite_mail(user: User, token: str, links: AccountLinks) -> OutgoingMail:
    """The invite of R-AUTH-7: the username is the address, the link sets the password."""
    days = TokenPurpose.INVITE.validity.days
    body = f"""Beste {user.display_name},

U bent als gebruiker toegevoegd aan {links.sender} (rol: {user.role.label}).
Uw gebruikersnaam is uw e-mailadres: {user.email}

Kies een wachtwoord via deze link ({days} dagen geldig, één keer te gebruiken):
{links.set_password_url.format(token=token)}

Daarna logt u in op {links.login_url}

Met vriendelijke groet,
{links.sender}
"""
    return OutgoingMail(to=user.email, subject=f"Welkom bij {links.sender}", body=body)


def _reset_mail(user: User, token: str, links: AccountLinks) -> OutgoingMail:
    hours = int(TokenPurpose.RESET.validity.total_seconds() // 3600)
    body = f"""Beste {user.display_name},

Iemand (hopelijk u) heeft gevraagd om een nieuw wachtwoord voor {links.sender}.
Stel een nieuw wachtwoord in via deze link ({hours} uur geldig, één keer te gebruiken):
{links.set_password_url.format(token=token)}

Heeft u dit niet gevraagd? Dan kunt u deze e-mail negeren; uw wachtwoord blijft ongewijzigd.

Met vriendelijke groet,
{links.sender}
"""
    return OutgoingMail(to=user.email, subject=f"Nieuw wachtwoord voor {links.sender}", body=body)


@attrs.frozen
class ForgotPassword:
    """The "Wachtwoord vergeten" form."""

    email: str
    client: str = ""


def request_password_reset(
    uow: AccountsWork,
    clock: Clock,
    random: RandomSource,
    command: ForgotPassword,
    links: AccountLinks,
) -> str:
    """Queue a reset link when the address belongs to an active user; the answer is always the
    same, and so is the work done in the request: one transaction, no mail server.

    Requests are throttled per address and per client (silently: the answer does not change),
    so the form cannot be used to flood someone's mailbox.
    """
    keys = [
        (throttle.throttle_key("reset", command.email), throttle.MAIL),
        (throttle.throttle_key("reset-client", command.client), throttle.MAIL),
    ]
    with uow:
        try:
            count_attempt(uow, clock.now(), keys)  # every request counts, known or not
        except throttle.Throttled:
            return RESET_SENT
        user = uow.users.by_email(command.email) if command.email.strip() else None
        if user is not None and user.active:
            token = issue_link(uow, clock, random, user, TokenPurpose.RESET)
            audit(uow, clock, actor_of(uow, user), "wachtwoordherstel_gevraagd", user_subject(user))
            queue_mail(uow, clock, _reset_mail(user, token, links))
        uow.commit()
    return RESET_SENT


@attrs.frozen
class SetPassword:
    """The form behind an invite or reset link: the password twice."""

    token: str
    password: str
    repeat: str


def check_link(uow: AccountsWork, clock: Clock, token: str) -> User:
    """The user of a usable link (to greet them on the form); Rejected otherwise."""
    with uow:
        return _link_user(uow, clock, token)[1]


def _link_user(uow: AccountsWork, clock: Clock, token: str) -> tuple[AccountToken, User]:
    record = uow.account_tokens.by_digest(digest_of(token)) if token else None
    if record is None or not record.usable(clock.now()):
        raise Rejected(INVALID_LINK)
    user = uow.users.get(record.user_id)
    if not user.active:
        raise Rejected(INVALID_LINK)
    return record, user


def set_password_with_link(
    uow: AccountsWork,
    clock: Clock,
    hasher: PasswordHasher,
    command: SetPassword,
    links: AccountLinks,
) -> User:
    """Set the password once per link; all existing sessions of the user end."""
    with uow:
        record, user = _link_user(uow, clock, command.token)
        check_password(user, command.password, command.repeat)
        uow.account_tokens.update(attrs.evolve(record, used_at=clock.now()))
        stored = uow.users.update(
            attrs.evolve(
                user,
                password_hash=hasher.hash(command.password),
                session_version=user.session_version + 1,
            )
        )
        uow.throttle.clear(throttle.throttle_key("account", user.email))
        action = (
            "wachtwoord_ingesteld"
            if record.purpose is TokenPurpose.INVITE
            else "wachtwoord_hersteld"
        )
        audit(uow, clock, actor_of(uow, user), action, user_subject(user))
        queue_mail(uow, clock, _username_mail(user, links))
        uow.commit()
        return stored


def _username_mail(user: User, links: AccountLinks) -> OutgoingMail:
    body = f"""Beste {user.display_name},

Uw wachtwoord voor {links.sender} is ingesteld. Bewaar deze e-mail goed.
Uw gebruikersnaam is uw e-mailadres: {user.email}
Inloggen: {links.login_url}
Wachtwoord vergeten? Gebruik de knop 'Wachtwoord vergeten' op de inlogpagina.

Met vriendelijke groet,
{links.sender}
"""
    return OutgoingMail(to=user.email, subject=f"Uw gebruikersnaam voor {links.sender}", body=body)


def check_password(user: User, password: str, repeat: str) -> None:
    """At least 10 characters, not the e-mail address, typed the same twice."""

    def unsuitable(candidate: str) -> str | None:
        same = candidate.strip().casefold() == user.email.casefold()
        return "Uw e-mailadres is geen goed wachtwoord." if same else None

    check_new_password(password, repeat, unsuitable)


def own_account(uow: AccountsWork, actor: Actor) -> User:
    """The actor's own user record (for the settings page)."""
    with uow:
        return uow.users.get(actor.user_id)


@attrs.frozen
class ChangePassword:
    """The settings form: current password, then the new one twice."""

    current: str
    new: str
    repeat: str


def change_password(
    uow: AccountsWork, clock: Clock, hasher: PasswordHasher, actor: Actor, command: ChangePassword
) -> Login:
    """Change the own password; other sessions end, the caller gets a fresh one."""
    not_impersonating(actor)
    with uow:
        user = uow.users.get(actor.user_id)
        if user.password_hash is None or not hasher.verify(user.password_hash, command.current):
            problem = Violation("huidig", "Het huidige wachtwoord is onjuist.")
            raise Rejected("Het wachtwoord is niet gewijzigd.", violations=[problem])
        check_password(user, command.new, command.repeat)
        stored = uow.users.update(
            attrs.evolve(
                user,
                password_hash=hasher.hash(command.new),
                session_version=user.session_version + 1,
            )
        )
        audit(uow, clock, actor, "wachtwoord_gewijzigd", user_subject(user))
        uow.commit()
        return Login(actor, stored.session_version)


def update_own_name(uow: AccountsWork, clock: Clock, actor: Actor, display_name: str) -> User:
    """Change the name shown in ELK (the e-mail address is the username and stays)."""
    not_impersonating(actor)
    name = " ".join(display_name.split())
    if not name or len(name) > 200:
        problem = Violation("naam", "Vul een naam in van hoogstens 200 tekens.")
        raise Rejected("De gegevens zijn niet opgeslagen.", violations=[problem])
    with uow:
        user = uow.users.get(actor.user_id)
        if user.display_name == name:
            return user
        stored = uow.users.update(attrs.evolve(user, display_name=name))
        audit(uow, clock, actor, "naam_gewijzigd", user_subject(user), detail="eigen gegevens")
        uow.commit()
        return stored


def not_impersonating(actor: Actor) -> None:
    """Own-account changes are refused while helping someone ("inloggen als")."""
    if actor.impersonator_id is not None:
        raise Forbidden(NOT_WHILE_IMPERSONATING)
