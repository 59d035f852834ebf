"""The own account: links from mails, the 2FA step of logging in, and own settings (R-AUTH-7)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from elk_domain.accounts import totp
from elk_domain.accounts.passwords import (
    NOT_WHILE_IMPERSONATING,
    ChangePassword,
    ForgotPassword,
    SetPassword,
    change_password,
    check_link,
    own_account,
    request_password_reset,
    set_password_with_link,
    update_own_name,
)
from elk_domain.accounts.second_factor import (
    ChangeSecondFactor,
    DisableSecondFactor,
    Enrolled,
    LinkApp,
    change_second_factor,
    confirm_enrolment,
    disable_second_factor,
)
from elk_domain.accounts.signin import NextStep, pending_step, verify_second_factor
from elk_domain.accounts.throttle import Throttled
from elk_domain.errors import ElkError, Forbidden, Rejected
from elk_domain.kernel.permissions import second_factor_required
from elk_web.account.flow import (
    ENROL_SECRET,
    account_links,
    client_address,
    pending_login,
    pending_target,
)
from elk_web.context import current_actor, current_actor_or_none, services
from elk_web.session import forget_session, login_required, start_session
from elk_web.views import Page

bp = Blueprint("account", __name__, url_prefix="/account")

MAX_FIELD = 300


def _field(name: str) -> str:
    return request.form.get(name, "")[:MAX_FIELD]


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
def forgot_password() -> Page:
    """Ask for a reset link; the answer never says whether the address is known."""
    sent = None
    if request.method == "POST":
        command = ForgotPassword(_field("email"), client=client_address())
        s = services()
        sent = request_password_reset(s.uow(), s.clock, s.random, command, account_links())
    return render_template("account/forgot.html", sent=sent)


@bp.route("/wachtwoord-instellen/<token>", methods=["GET", "POST"])
def set_password(token: str) -> Page:
    """The page behind an invite or reset link: choose a password, typed twice."""
    s = services()
    error: ElkError | None = None
    try:
        user = check_link(s.uow(), s.clock, token[:MAX_FIELD])
    except Rejected as refused:
        return render_template("account/set_password.html", user=None, error=refused), 422
    if request.method == "POST":
        command = SetPassword(token, _field("password"), _field("repeat"))
        try:
            set_password_with_link(s.uow(), s.clock, s.hasher, command, account_links())
        except Rejected as refused:
            error = refused
        else:
            forget_session()
            flash("Uw wachtwoord is ingesteld. Log in met uw e-mailadres en wachtwoord.", "success")
            return redirect(url_for("auth.login"))
    html = render_template("account/set_password.html", user=user, error=error)
    return (html, 422) if error else html


@bp.route("/inloggen/code", methods=["GET", "POST"])
def code() -> Page:
    """Second step of logging in: the code from the authenticator app or a recovery code."""
    pending = pending_login()
    if pending is None:
        return _restart()
    error: ElkError | None = None
    if request.method == "POST":
        s = services()
        try:
            login = verify_second_factor(s.uow(), s.clock, pending, _field("code"))
        except Rejected as refused:
            error = refused
        else:
            target = pending_target()
            start_session(login)
            return redirect(target)
    status = 429 if isinstance(error, Throttled) else 422 if error else 200
    return render_template("account/code.html", error=error), status


@bp.route("/tweestapsverificatie", methods=["GET", "POST"])
def enrol() -> Page:
    """Link an authenticator app: while logging in (a role that needs one), or logged in to
    switch it on or move it to another phone (then with the password and the current code)."""
    actor = current_actor_or_none()
    if actor is None:
        return _enrol_while_signing_in()
    if actor.impersonator_id is not None:
        raise Forbidden(NOT_WHILE_IMPERSONATING)
    s, secret, error = services(), _enrol_secret(), None
    if request.method == "POST":
        command = ChangeSecondFactor(
            _field("password"), _field("huidige_code"), secret, _field("code")
        )
        try:
            enrolled = change_second_factor(
                s.uow(), s.clock, s.random, s.hasher, actor, command, account_links()
            )
        except Rejected as refused:
            error = refused
        else:
            start_session(enrolled.login)
            return _recovery_codes(enrolled, url_for("account.settings"))
    account = own_account(s.reader(), actor)
    return _enrol_page(secret, account.email, error, logged_in=True, has_app=actor.second_factor)


def _enrol_while_signing_in() -> Page:
    pending = pending_login()
    if pending is None:
        return _restart()
    s = services()
    try:
        step = pending_step(s.uow(), pending)
    except Rejected:
        return _restart()
    if step is NextStep.CODE:  # before any secret is made: a password alone never links an app
        return redirect(url_for("account.code"))
    secret, error = _enrol_secret(), None
    if request.method == "POST":
        command = LinkApp(secret, _field("code"))
        try:
            enrolled = confirm_enrolment(
                s.uow(), s.clock, s.random, pending, command, account_links()
            )
        except Rejected as refused:
            error = refused
        else:
            target = pending_target()
            start_session(enrolled.login)
            return _recovery_codes(enrolled, target)
    return _enrol_page(secret, "ELK", error, logged_in=False, has_app=False)


def _enrol_secret() -> str:
    """The secret being linked: made once, kept in the (signed) session until it is confirmed."""
    secret = session.get(ENROL_SECRET)
    if not isinstance(secret, str):
        secret = session[ENROL_SECRET] = totp.new_secret(services().random)
    return secret


def _enrol_page(
    secret: str, account: str, error: ElkError | None, *, logged_in: bool, has_app: bool
) -> Page:
    html = render_template(
        "account/enrol.html",
        secret=totp.grouped(secret),
        uri=totp.provisioning_uri(secret, account),
        error=error,
        logged_in=logged_in,
        has_app=has_app,
    )
    return (html, _status(error)) if error else html


def _status(error: ElkError) -> int:
    return 429 if isinstance(error, Throttled) else 422


def _recovery_codes(enrolled: Enrolled, target: str) -> str:
    """Show the recovery codes once (the new session started already)."""
    codes = enrolled.recovery_codes
    return render_template("account/recovery_codes.html", codes=codes, target=target)


@bp.post("/tweestapsverificatie/uitzetten")
@login_required
def disable_2fa() -> Page:
    """Switch 2FA off (roles that may go without), with the password and the current code."""
    s = services()
    command = DisableSecondFactor(_field("password"), _field("huidige_code"))
    try:
        login = disable_second_factor(
            s.uow(), s.clock, s.hasher, current_actor(), command, account_links()
        )
    except Rejected as refused:
        return _settings_page(refused, "tweestapsverificatie"), _status(refused)
    start_session(login)
    flash("Tweestapsverificatie staat uit. U ontvangt hierover een e-mail.", "success")
    return redirect(url_for("account.settings"))


def _restart() -> Response:
    flash("Uw inlogpoging is verlopen. Log opnieuw in.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/instellingen")
@login_required
def settings() -> str:
    """Own details, password and 2FA."""
    return _settings_page()


def _settings_page(error: ElkError | None = None, form: str = "") -> str:
    user = own_account(services().reader(), current_actor())
    optional = not second_factor_required(user.role)
    return render_template(
        "account/settings.html", user=user, error=error, form=form, may_disable=optional
    )


@bp.post("/instellingen/naam")
@login_required
def rename() -> Page:
    """Change the own name."""
    try:
        update_own_name(services().uow(), services().clock, current_actor(), _field("name"))
    except Rejected as refused:
        return _settings_page(refused, "naam"), 422
    flash("Uw gegevens zijn opgeslagen.", "success")
    return redirect(url_for("account.settings"))


@bp.post("/instellingen/wachtwoord")
@login_required
def password() -> Page:
    """Change the own password; other sessions end, this one continues in a fresh session."""
    s = services()
    command = ChangePassword(_field("current"), _field("new"), _field("repeat"))
    try:
        login = change_password(s.uow(), s.clock, s.hasher, current_actor(), command)
    except Rejected as refused:
        return _settings_page(refused, "wachtwoord"), 422
    start_session(login)
    flash("Uw wachtwoord is gewijzigd.", "success")
    return redirect(url_for("account.settings"))
