"""PDF downloads (R-DOC-1): a pupil's Oki-doc and registration form, and the LAT consent form.

The same use case as ``elk docs export``, so the same permission check: who may see the pupil
may print them; a pupil out of reach is a 404, as on the screen.
"""

from __future__ import annotations

from flask import Blueprint, Response

from elk_domain.documents.documents import (
    DocumentKind,
    PdfFile,
    render_consent_form,
    render_document,
)
from elk_domain.vo.dossier import record_dossier_view
from elk_web.context import current_actor, services
from elk_web.session import login_required
from elk_web.views import pdf_response

bp = Blueprint("documents", __name__, url_prefix="/documenten")


def _pdf(document: PdfFile) -> Response:
    return pdf_response(document.data, document.filename)


def _pupil_pdf(kind: DocumentKind, pupil_id: int) -> Response:
    elk = services()
    document = render_document(
        elk.uow(),
        elk.clock,
        elk.documents,
        current_actor(),
        kind,
        pupil_id,
        procedure=elk.settings.procedure,
    )
    return _pdf(document)


@bp.get("/leerling/<int:pupil_id>/oki-doc.pdf")
@login_required
def okidoc_pdf(pupil_id: int) -> Response:
    """R-LL-3 "Oki-doc PDF": every tab and the DLE chart; a VO school's download is audited."""
    response = _pupil_pdf(DocumentKind.OKIDOC, pupil_id)
    s = services()
    record_dossier_view(s.uow(), s.clock, current_actor(), pupil_id, "Oki-doc PDF")
    return response


@bp.get("/leerling/<int:pupil_id>/aanmeldformulier.pdf")
@login_required
def registration_pdf(pupil_id: int) -> Response:
    """R-LL-3 "Aanmeldformulier PDF": the preference list, or that there is no registration."""
    return _pupil_pdf(DocumentKind.REGISTRATION, pupil_id)


@bp.get("/toestemmingsformulier-lat.pdf")
@login_required
def consent_form() -> Response:
    """The blank consent form for the LAT (Amsterdam route), for parents to sign."""
    elk = services()
    return _pdf(render_consent_form(elk.clock, elk.documents))
