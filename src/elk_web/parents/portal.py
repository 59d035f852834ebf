"""The parents' portal (R-OUD-2, R-AUTH-6): set a password with the mailed link, log in with the
child's ELK number, "wachtwoord vergeten", log out, and the home page of the own child.

A parent's session reaches only this blueprint (``session._keep_parents_in_their_portal``), and
every page shows the child of the session, never a child named in the URL.
See docs/decisions/0045-parent-login.md.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from elk_domain.accounts.auth import Login
from elk_domain.accounts.throttle import Throttled
from elk_domain.errors import ElkError, Rejected
from elk_domain.kernel.password_rules import MIN_PASSWORD_LENGTH
from elk_domain.parents.correction import RequestCorrection, child_data, request_correction
from elk_domain.parents.login import SetParentPassword, set_parent_password
from elk_domain.parents.signin import (
    ForgotParentPassword,
    ParentSignIn,
    check_parent_link,
    request_parent_reset,
    sign_in_parent,
)
from elk_domain.pupils.pupils import get_pupil
from elk_web.account.flow import client_address
from elk_web.auth import log_out, safe_next
from elk_web.context import current_actor_or_none, services
from elk_web.language import remember_language
from elk_web.parents._blueprint import (
    MAX_FIELD,
    MAX_MESSAGE_FIELD,
    bp,
    field,
    own,
    parent,
    parent_required,
)
from elk_web.parents.links import portal_links
from elk_web.session import forget_session, start_session
from elk_web.views import Page


@bp.route("/inloggen", methods=["GET", "POST"])
def login() -> Page:
    """Log in with the child's ELK number and the password (throttled as staff logins)."""
    home = url_for("parents.home")
    target = safe_next(request.args.get("next"), home)
    target = target if target.startswith(home) else home  # a parent's pages only
    if request.method == "GET" and parent() is not None:
        return redirect(target)
    number, error = request.args.get("elk", "")[:20], None
    if request.method == "POST":
        number = field("elk_nummer")
        command = ParentSignIn(number, field("wachtwoord"), client=client_address())
        s = services()
        try:
            result = sign_in_parent(s.uow(), s.clock, s.hasher, command)
        except Rejected as refused:
            error = refused
        else:
            start_session(Login(result.actor, result.session_version))
            return redirect(target)
    nxt = request.args.get("next")
    html = render_template("parents/login.html", number=number, error=error, next=nxt)
    return (html, _status(error)) if error else html


@bp.post("/taal")
def choose_language() -> Response:
    """The switch on every parents' page: remember Dutch or English, back to the same page."""
    home = url_for("parents.home")
    target = safe_next(request.form.get("next"), home)
    response = redirect(target if target.startswith(home) else home)  # a parents' page only
    remember_language(response, request.form.get("taal", ""))
    return response


def _status(error: ElkError) -> int:
    return 429 if isinstance(error, Throttled) else 422


@bp.post("/uitloggen")
def logout() -> Response:
    """End the session here and everywhere (a copied cookie stops working too)."""
    log_out(current_actor_or_none())
    forget_session()
    flash(gettext("U bent uitgelogd."), "success")
    return redirect(url_for("parents.login"))


@bp.route("/wachtwoord-instellen/<token>", methods=["GET", "POST"])
def set_password(token: str) -> Page:
    """The page behind the link in the mail: the password twice, its strength shown."""
    s = services()
    token = token[:MAX_FIELD]
    try:
        holder = check_parent_link(s.uow(), s.clock, token)
    except Rejected as refused:
        html = render_template("parents/set_password.html", holder=None, error=refused)
        return html, 422
    error: ElkError | None = None
    if request.method == "POST":
        command = SetParentPassword(token, field("wachtwoord"), field("herhaling"))
        try:
            set_parent_password(s.uow(), s.clock, s.hasher, command)
        except Rejected as refused:
            error = refused
        else:
            forget_session()
            done = gettext("Uw wachtwoord is ingesteld. "
                           "Log nu in met het ELK-nummer en uw wachtwoord.")  # fmt: skip
            flash(done, "success")
            return redirect(url_for("parents.login", elk=holder.elk_number))
    html = render_template(
        "parents/set_password.html", holder=holder, error=error, minimum=MIN_PASSWORD_LENGTH
    )
    return (html, 422) if error else html


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
def forgot_password() -> Page:
    """Ask for a new link; it goes to the first parent's address, whatever number is typed."""
    sent = None
    if request.method == "POST":
        command = ForgotParentPassword(field("elk_nummer"), client=client_address())
        s = services()
        sent = request_parent_reset(s.uow(), s.clock, s.random, command, portal_links())
    return render_template("parents/forgot.html", sent=sent)


@bp.get("/")
@parent_required
def home() -> str:
    """The parent's start page: whose parent they are logged in as, and what comes next."""
    actor = own()
    pupil = get_pupil(services().reader(), actor, actor.pupil_id or 0)  # a parent has one
    return render_template("parents/home.html", pupil=pupil)


@bp.route("/gegevens", methods=["GET", "POST"])
@parent_required
def data() -> Page:
    """R-OUD-3: the child's data as the school has it; "Klopt er iets niet?" tells the school."""
    s, error, message = services(), None, ""
    if request.method == "POST":
        message = request.form.get("bericht", "")[:MAX_MESSAGE_FIELD]
        try:
            request_correction(s.uow(), s.clock, own(), RequestCorrection(message))
        except Rejected as refused:
            error = refused
        else:
            flash(gettext("Uw bericht is naar de school gestuurd. De school past de gegevens aan."),
                  "success")  # fmt: skip
            return redirect(url_for("parents.data"))
    shown = child_data(s.reader(), own())
    html = render_template("parents/data.html", data=shown, error=error, message=message)
    return (html, 422) if error else html
