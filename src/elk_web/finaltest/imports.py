"""Importing the provider's result file on the school's page (R-DT-2): upload, preview, import.

The uploaded file waits in the file store; the session holds only its reference
(``StagedUpload``: a random key, the school, the uploader). The preview lists every line with
its verdict and reason; an uncertain line is resolved by choosing one of its candidate pupils
(or left out), and the import saves everything in one transaction.
"""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from elk_domain.access.authorize import Target
from elk_domain.errors import Rejected, Violation
from elk_domain.finaltest.matching import MatchStatus
from elk_domain.finaltest.upload import (
    GONE,
    StagedUpload,
    import_page,
    import_staged,
    stage_upload,
)
from elk_domain.kernel.permissions import Action
from elk_domain.organisation.procedure import uses_lwoo_pro
from elk_web.context import current_actor, services
from elk_web.finaltest._blueprint import bp
from elk_web.numbers import whole_number_or
from elk_web.permission import authorize
from elk_web.session import login_required

#: The session's reference to the uploaded file (never the file or its preview).
UPLOAD = "doorstroomtoets_bestand"
_CHOICE = re.compile(r"^regel-(\d{1,6})$")


def _staged() -> StagedUpload | None:
    return StagedUpload.from_dict(session.get(UPLOAD))


def _render(
    *,
    status: int = 200,
    message: str = "",
    violations: tuple[Violation, ...] | list[Violation] = (),
    choices: dict[int, int] | None = None,
) -> tuple[str, int]:
    s = services()
    staged = _staged()
    page = import_page(s.reader(), s.files, s.final_test_results, current_actor(), staged)
    if page.gone:
        session.pop(UPLOAD, None)
    return render_template(
        "finaltest/import.html",
        page=page,
        staged=staged if page.preview is not None else None,
        statuses=MatchStatus,
        gone=GONE if page.gone else "",
        message=message,
        violations=violations,
        choices=choices or {},
    ), status


@bp.get("/importeren")
@login_required
def import_form() -> tuple[str, int]:
    """The upload form, and the preview of the uploaded file with its choices."""
    authorize(Action.IMPORT_FINAL_TEST, Target.own())
    return _render()


@bp.post("/importeren")
@login_required
def upload() -> Response | tuple[str, int]:
    """Keep the uploaded file (after the hostile-file checks) and show its preview."""
    authorize(Action.IMPORT_FINAL_TEST, Target.own())
    file = request.files.get("bestand")
    data = file.read() if file is not None else b""
    s = services()
    try:
        staged, _preview = stage_upload(
            s.uow(),
            s.files,
            s.final_test_results,
            current_actor(),
            filename=(file.filename or "") if file is not None else "",
            data=data,
            replaces=_staged(),
        )
    except Rejected as error:
        return _render(status=422, message=error.message, violations=error.violations)
    session[UPLOAD] = staged.as_dict()
    return redirect(url_for(".import_form"))


def _choices() -> dict[int, int]:
    """Line number -> chosen pupil id; a line left out (empty) is no choice."""
    chosen = {}
    for name, raw in request.form.items():
        found = _CHOICE.match(name)
        if found and raw.strip():
            chosen[int(found.group(1))] = whole_number_or(raw, -1)
    return chosen


@bp.post("/importeren/inlezen")
@login_required
def import_file() -> Response | tuple[str, int]:
    """Import the kept file with the school's choices, in one transaction."""
    authorize(Action.IMPORT_FINAL_TEST, Target.own())
    staged = _staged()
    if staged is None:
        return _render(status=422, message="Upload eerst het bestand van de toetsaanbieder.")
    choices = _choices()
    s = services()
    try:
        report = import_staged(
            s.uow(),
            s.files,
            s.clock,
            s.final_test_results,
            current_actor(),
            staged,
            choices,
            uses_lwoo_pro=uses_lwoo_pro(s.settings.procedure),
        )
    except Rejected as error:
        return _render(
            status=422, message=error.message, violations=error.violations, choices=choices
        )
    session.pop(UPLOAD, None)
    flash(report.message, "success")
    left = len(report.preview.lines) - report.changed - report.unchanged
    if left:
        flash(
            f"{left} regel{'' if left == 1 else 's'} niet ingelezen (niet gevonden, onzeker of "
            "ongeldig): vul die hieronder met de hand in.",
            "warning",
        )
    return redirect(url_for(".index"))
