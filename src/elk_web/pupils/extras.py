"""The row menu's pages (R-LL-3): attachments, notes, reason not placed, parent login, history."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response as FlaskResponse
from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from elk_domain.access.authorize import Target
from elk_domain.errors import Conflict, Rejected
from elk_domain.kernel.permissions import Action
from elk_domain.logbooks.okidoc_history import okidoc_history
from elk_domain.okidoc.attachments import Upload, attachment_file, upload_attachment
from elk_domain.okidoc.fields import Tab
from elk_domain.organisation.procedure import ParentPortal
from elk_domain.parents.eligibility import status_label
from elk_domain.parents.login import SendParentLogin, parent_login_check, send_parent_login
from elk_domain.pupils.model import NoteVisibility, ReasonNotPlaced
from elk_domain.pupils.notes import AddNote, add_note, list_notes
from elk_domain.pupils.pupils import SetReasonNotPlaced, get_pupil, set_reason_not_placed
from elk_domain.vo.dossier import record_dossier_view
from elk_web.context import current_actor, services
from elk_web.errors import STATUS_BY_KIND
from elk_web.parents.links import portal_links
from elk_web.permission import authorize
from elk_web.pupils._blueprint import bp
from elk_web.pupils.okidoc import render_tab
from elk_web.session import login_required


@bp.post("/<int:pupil_id>/oki-doc/bijlagen")
@login_required
def upload(pupil_id: int) -> Response | tuple[str, int]:
    """Upload an attachment; its type is recognised by content, never by name.

    A refusal (a bad file: 422; a Definitief Oki-doc or a concurrent change: 409) is shown on
    the Bijlagen tab.
    """
    authorize(Action.EDIT_OKIDOC, Target.pupil(pupil_id))
    file = request.files.get("bestand")
    data = file.read() if file is not None else b""
    command = Upload(
        pupil_id=pupil_id,
        kind=request.form.get("soort", ""),
        filename=(file.filename or "") if file is not None else "",
        data=data,
    )
    s = services()
    try:
        added = upload_attachment(s.uow(), s.files, s.clock, current_actor(), command)
    except (Rejected, Conflict) as error:
        return render_tab(
            pupil_id,
            Tab.BIJLAGEN,
            status=STATUS_BY_KIND[error.kind],
            violations=error.violations,
            message=error.message,
        )
    flash(f"De bijlage '{added.filename}' is toegevoegd.", "success")
    return redirect(url_for("pupils.okidoc", pupil_id=pupil_id, tab="bijlagen"))


@bp.get("/<int:pupil_id>/oki-doc/bijlagen/<sha256>")
@login_required
def attachment(pupil_id: int, sha256: str) -> FlaskResponse:
    """Download an attachment (always as a download, never rendered inline)."""
    s = services()
    record, data = attachment_file(s.uow(), s.files, current_actor(), pupil_id, sha256)
    response = FlaskResponse(data, mimetype=record.content_type)
    response.headers["Content-Disposition"] = _disposition(record.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _disposition(filename: str) -> str:
    ascii_name = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


@bp.route("/<int:pupil_id>/notities", methods=["GET", "POST"])
@login_required
def notes(pupil_id: int) -> Response | tuple[str, int]:
    """R-LL-3 Notities: read the notes the user may see; add one for the own school or also VO."""
    s = services()
    status, error, text = 200, None, ""
    if request.method == "POST":
        authorize(Action.ADD_NOTE, Target.pupil(pupil_id))
        text = request.form.get("tekst", "")
        visibility = (
            NoteVisibility.ALSO_VO
            if request.form.get("zichtbaarheid") == NoteVisibility.ALSO_VO.value
            else NoteVisibility.OWN_ORGANISATION
        )
        try:
            add_note(s.uow(), s.clock, current_actor(), AddNote(pupil_id, text, visibility))
        except Rejected as refused:
            status, error = 422, refused
        else:
            flash("De notitie is toegevoegd.", "success")
            return redirect(url_for("pupils.notes", pupil_id=pupil_id))
    pupil = get_pupil(s.uow(), current_actor(), pupil_id)
    items = list_notes(s.uow(), current_actor(), pupil_id)
    record_dossier_view(s.uow(), s.clock, current_actor(), pupil_id, "Notities")  # VO only
    html = render_template(
        "pupils/notes.html",
        pupil=pupil,
        notes=items,
        error=error,
        text=text,
        visibilities=NoteVisibility,
    )
    return html, status


@bp.route("/<int:pupil_id>/reden-niet-plaatsen", methods=["GET", "POST"])
@login_required
def reason(pupil_id: int) -> Response | str:
    """R-LL-3 Reden niet plaatsen VO: uitgeschreven, verhuisd, groep-8-doubleerder (or none)."""
    s = services()
    if request.method == "POST":
        authorize(Action.SET_REASON_NOT_PLACED, Target.pupil(pupil_id))
        raw = request.form.get("reden", "")
        choice = next((r for r in ReasonNotPlaced if r.value == raw), None)
        set_reason_not_placed(
            s.uow(), s.clock, current_actor(), SetReasonNotPlaced(pupil_id, choice)
        )
        flash("De reden niet plaatsen is opgeslagen.", "success")
        return redirect(url_for("pupils.index"))
    pupil = get_pupil(s.uow(), current_actor(), pupil_id)
    return render_template("pupils/reason.html", pupil=pupil, reasons=ReasonNotPlaced)


@bp.route("/<int:pupil_id>/ouderinlog", methods=["GET", "POST"])
@login_required
def parent_login(pupil_id: int) -> Response | str:
    """R-OUD-1 Ouderinlog versturen, per pupil; the page says why it is not (yet) possible."""
    if request.method == "POST":
        authorize(Action.SEND_PARENT_LOGIN, Target.pupil(pupil_id))
    s = services()
    portal = (
        ParentPortal.AMSTERDAM if request.values.get("portaal") == "amsterdam" else ParentPortal.ELK
    )
    command = SendParentLogin(pupil_id, portal)
    if request.method == "POST":
        send_parent_login(s.uow(), s.clock, s.random, current_actor(), command, portal_links())
        flash("De ouderinlog is verstuurd naar het e-mailadres van de eerste ouder.", "success")
        return redirect(url_for("pupils.index"))
    pupil = get_pupil(s.uow(), current_actor(), pupil_id)
    eligibility = parent_login_check(s.uow(), s.clock, current_actor(), command)
    return render_template(
        "pupils/parent_login.html",
        pupil=pupil,
        eligibility=eligibility,
        portal=portal,
        status_label=status_label,
    )


@bp.get("/<int:pupil_id>/oki-doc/geschiedenis")
@login_required
def history(pupil_id: int) -> str:
    """Who changed which field of the Oki-doc when, including OSO syncs."""
    pupil, lines = okidoc_history(services().reader(), current_actor(), pupil_id)
    return render_template("pupils/history.html", pupil=pupil, lines=lines)
