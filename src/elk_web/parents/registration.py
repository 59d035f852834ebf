"""Registering the child at VO schools (R-AAN-1..4): the editor with the invulhulp, the check
page with the risk warning, "Definitief maken", the registration and its PDF.

One form carries the list, the first-choice options and the invulhulp's "Toevoegen" buttons, so
that whatever button a parent presses, nothing typed is lost; every press is saved at once (a
parent can stop at any moment). Without JavaScript every step works with buttons; dragging is
an extra that posts the new order. See docs/parents.md.
"""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response as Redirect

from elk_domain.documents.documents import DocumentKind, render_document
from elk_domain.errors import ElkError, Rejected
from elk_domain.kernel.advice import Level
from elk_domain.parents.editing import (
    DiscardChange,
    EditRegistration,
    ListAction,
    MakeDefinitive,
    discard_change,
    edit_registration,
    make_definitive,
)
from elk_domain.parents.page import (
    RegistrationPage,
    RegistrationQuery,
    SchoolFilter,
    registration_page,
)
from elk_domain.parents.registration import FirstChoiceOptions, PriorityClaim, PriorityKind
from elk_web.context import services
from elk_web.parents._blueprint import bp, field, own, own_child, parent_required
from elk_web.parents.links import portal_links
from elk_web.views import Page, pdf_response

FILTERS = ("zoek", "niveau", "plaats")
_ACTIONS = {a.value: a for a in ListAction}
_PRIORITY = {k.value: k for k in PriorityKind}
MAX_ID_DIGITS = 9


def _filters(source: dict[str, str]) -> dict[str, str]:
    return {name: source.get(name, "")[:100] for name in FILTERS if source.get(name)}


def _page(filters: dict[str, str]) -> RegistrationPage:
    s, actor = services(), own()
    levels = {level.value: level for level in Level}
    shown = SchoolFilter(text=filters.get("zoek", ""), level=levels.get(filters.get("niveau", "")),
                         city=filters.get("plaats", ""))  # fmt: skip
    query = RegistrationQuery(
        pupil_id=own_child(actor), procedure=s.settings.procedure, shown=shown
    )
    return registration_page(s.reader(), s.clock, actor, query)


def _render(
    template: str, page: RegistrationPage, error: ElkError | None = None, **kw: object
) -> Page:
    html = render_template(template, page=page, error=error, levels=list(Level), **kw)
    return (html, 422) if error else html


@bp.route("/aanmelden", methods=["GET", "POST"])
@parent_required
def register() -> Page:
    """The editor: the ranked list, the first-choice options and the invulhulp."""
    filters = _filters(request.form if request.method == "POST" else request.args)
    if request.method == "GET":
        return _render("parents/register.html", _page(filters), filters=filters)
    s = services()
    try:
        command = _command()
        edit_registration(s.uow(), s.clock, own(), command)
    except Rejected as refused:
        typed = _typed_options()
        return _render(
            "parents/register.html", _page(filters), refused, filters=filters, typed=typed
        )
    if request.form.get("actie") == "volgende":
        return redirect(url_for("parents.check"))
    anchor = "invulhulp" if command.action is ListAction.ADD else "voorkeurslijst"
    return redirect(url_for("parents.register", _anchor=anchor, **filters))  # type: ignore[arg-type]


def _command() -> EditRegistration:
    """The pressed button ("toevoegen:12", "omhoog:12", "opslaan", "volgende", "volgorde")."""
    name, _, raw_id = field("actie").partition(":")
    action = ListAction.KEEP if name == "volgende" else _ACTIONS.get(name)
    if action is None or (raw_id and not _is_id(raw_id)):
        raise Rejected(gettext("Deze knop kennen we niet. Laad de pagina opnieuw."))
    order = tuple(
        int(i) for i in field("volgorde").split(",") if i.isdigit() and len(i) <= MAX_ID_DIGITS
    )
    return EditRegistration(
        pupil_id=own_child(own()), procedure=services().settings.procedure, action=action,
        school_id=int(raw_id or 0), order=order, options=_options(),
    )  # fmt: skip


def _is_id(text: str) -> bool:
    return text.isdigit() and len(text) <= MAX_ID_DIGITS


def _options() -> FirstChoiceOptions | None:
    """The first-choice options, when the form showed them (absent boxes are unticked)."""
    if request.form.get("opties") != "1":
        return None
    kind = field("voorrang")
    if kind and kind not in _PRIORITY:
        raise Rejected(gettext("Kies of er voorrang is, en welke."))
    claim = None if not kind else PriorityClaim(_PRIORITY[kind], field("voorrang_naam"),
                                                field("voorrang_klas"))  # fmt: skip
    return FirstChoiceOptions(
        priority_claim=claim,
        equivalent_level=request.form.get("gelijkwaardig") == "ja",
        multiple_birth=request.form.get("meerling") == "ja",
    )


def _typed_options() -> dict[str, str]:
    """What the parent typed in the options, shown again after a refusal."""
    names = ("opties", "voorrang", "voorrang_naam", "voorrang_klas", "gelijkwaardig", "meerling")
    return {name: field(name) for name in names}


@bp.get("/aanmelden/controleren")
@parent_required
def check() -> Page:
    """The list as it will be sent, the risk warning, and "Definitief maken"."""
    return _render("parents/check.html", _page({}))


@bp.post("/aanmelden/definitief")
@parent_required
def definitive() -> Page:
    """R-AAN-4: make the list definitive; the confirmation mail goes out through the outbox."""
    s, actor = services(), own()
    command = MakeDefinitive(pupil_id=own_child(actor), procedure=s.settings.procedure)
    try:
        make_definitive(s.uow(), s.clock, actor, command, login_url=portal_links().login_url)
    except Rejected as refused:
        return _render("parents/check.html", _page({}), refused)
    flash(gettext("Uw aanmelding is definitief. U krijgt een bevestiging per e-mail."), "success")
    return redirect(url_for("parents.registration"))


@bp.post("/aanmelden/terug")
@parent_required
def discard() -> Redirect:
    """Throw away a new list started next to the definitive one; the definitive one stays."""
    s, actor = services(), own()
    command = DiscardChange(pupil_id=own_child(actor), procedure=s.settings.procedure)
    discard_change(s.uow(), s.clock, actor, command)
    flash(
        gettext("De nieuwe lijst is weggegooid. Uw definitieve aanmelding blijft staan."), "success"
    )
    return redirect(url_for("parents.registration"))


@bp.get("/aanmelding")
@parent_required
def registration() -> Page:
    """The registration as it stands: status, the definitive list, earlier lists, the PDF."""
    return _render("parents/registration.html", _page({}))


@bp.get("/aanmelding.pdf")
@parent_required
def registration_pdf() -> Response:
    """The registration form as a PDF (R-DOC-1), for the parent's own child only."""
    s, actor = services(), own()
    document = render_document(
        s.uow(), s.clock, s.documents, actor, DocumentKind.REGISTRATION, own_child(actor),
        procedure=s.settings.procedure,
    )  # fmt: skip
    return pdf_response(document.data, document.filename)
