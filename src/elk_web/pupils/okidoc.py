"""The Oki-doc editor: one page per tab, one form per tab, POST-redirect-GET (R-OKI-1..3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from elk_domain.access.authorize import Target
from elk_domain.errors import Conflict, Rejected, Violation
from elk_domain.kernel.permissions import Action
from elk_domain.okidoc import okidocs
from elk_domain.okidoc.attachments import ATTACHMENT_KINDS
from elk_domain.okidoc.edit import (
    ConcurrentChange,
    EditConflict,
    confirm_inferred_advice,
    edit_fields,
)
from elk_domain.okidoc.fields import Tab
from elk_domain.okidoc.page import (
    TAB_SLUGS,
    advice_choices,
    field_location,
    okidoc_page,
    tab_for_slug,
)
from elk_domain.organisation.procedure import uses_lwoo_pro
from elk_domain.vo.dossier import record_dossier_view
from elk_web.context import current_actor, services
from elk_web.numbers import whole_number_or
from elk_web.permission import authorize
from elk_web.pupils._blueprint import bp
from elk_web.session import login_required


def _procedure() -> str:
    return services().settings.procedure


def _version() -> int:
    return whole_number_or(request.form.get("expected_version"), -1)


def render_tab(
    pupil_id: int,
    tab: Tab,
    *,
    status: int = 200,
    form: Mapping[str, str] | None = None,
    violations: Sequence[Violation] = (),
    conflict: Sequence[ConcurrentChange] = (),
    version: int | None = None,
    message: str = "",
) -> tuple[str, int]:
    parents = request.args.get("ouders", "")
    page = okidoc_page(
        services().reader(),
        current_actor(),
        pupil_id,
        procedure=_procedure(),
        parents=whole_number_or(parents, 0),
    )
    html = render_template(
        "pupils/okidoc.html",
        page=page,
        tab=tab,
        tab_slug=TAB_SLUGS[tab],
        form=form or {},
        errors={v.path: v.message for v in violations},
        violations=violations,
        conflict=conflict,
        version=page.okidoc.version if version is None else version,
        message=message,
        advice_choices=advice_choices(),
        attachment_kinds=ATTACHMENT_KINDS,
        today=services().clock.now().date(),
        field_location=field_location,
    )
    return html, status


@bp.get("/<int:pupil_id>/oki-doc")
@login_required
def okidoc(pupil_id: int) -> tuple[str, int]:
    """The Oki-doc on one tab (``?tab=advies``); Definitief shows everything read-only.

    A VO school's view is audited once the page is built (R-AUTH-5, decision 0046).
    """
    tab = tab_for_slug(request.args.get("tab", ""), procedure=_procedure())
    page = render_tab(pupil_id, tab)
    s = services()
    record_dossier_view(s.uow(), s.clock, current_actor(), pupil_id, f"Oki-doc, tab {tab.label}")
    return page


@bp.post("/<int:pupil_id>/oki-doc")
@login_required
def save(pupil_id: int) -> Response | tuple[str, int]:
    """Save one tab; a stale version shows the other person's change and keeps the input."""
    authorize(Action.EDIT_OKIDOC, Target.pupil(pupil_id))
    tab = tab_for_slug(request.args.get("tab", ""), procedure=_procedure())
    submitted = {
        k: v for k, v in request.form.items() if k not in {"csrf_token", "expected_version"}
    }
    try:  # one use case: permission, version, parse, save; nothing to check here first
        edit_fields(
            services().uow(),
            services().clock,
            current_actor(),
            pupil_id,
            _version(),
            submitted,
            uses_lwoo_pro=_uses_lwoo(),
        )
    except EditConflict as conflict:
        return render_tab(
            pupil_id,
            tab,
            status=409,
            form=conflict.form,
            conflict=conflict.changes,
            version=conflict.version,
            message=conflict.message,
        )
    except Rejected as error:
        return render_tab(
            pupil_id,
            tab,
            status=422,
            form=submitted,
            violations=error.violations,
            version=_version(),
            message=error.message,
        )
    flash("De wijzigingen zijn opgeslagen.", "success")
    return redirect(url_for("pupils.okidoc", pupil_id=pupil_id, tab=TAB_SLUGS[tab]))


@bp.post("/<int:pupil_id>/oki-doc/advies-gecontroleerd")
@login_required
def confirm_advice(pupil_id: int) -> Response | tuple[str, int]:
    """The button "Advies klopt": the teacher checked an advice inferred from its OSO code
    (decision 0005); a stale page or an advice without the mark says why on the Advies tab."""
    authorize(Action.EDIT_OKIDOC, Target.pupil(pupil_id))
    version = whole_number_or(request.form.get("expected_version"), -1)
    s = services()
    try:
        confirm_inferred_advice(s.uow(), s.clock, current_actor(), pupil_id, version)
    except EditConflict as conflict:
        return render_tab(
            pupil_id, Tab.ADVIES, status=409, conflict=conflict.changes,
            version=conflict.version, message=conflict.message,
        )  # fmt: skip
    except Conflict as refused:
        return render_tab(pupil_id, Tab.ADVIES, status=409, message=refused.message)
    flash("Het advies is gecontroleerd: de markering 'controleer' is weg.", "success")
    return redirect(url_for("pupils.okidoc", pupil_id=pupil_id, tab=TAB_SLUGS[Tab.ADVIES]))


@bp.post("/<int:pupil_id>/oki-doc/volledig")
@login_required
def complete(pupil_id: int) -> Response | tuple[str, int]:
    """R-OKI-2: "Volledig maken"; when fields are missing, list them with links."""
    authorize(Action.FINALIZE_OKIDOC, Target.pupil(pupil_id))
    try:
        okidocs.complete(
            services().uow(),
            services().clock,
            current_actor(),
            pupil_id,
            _version(),
            uses_lwoo_pro=_uses_lwoo(),
        )
    except Rejected as error:
        return render_tab(
            pupil_id, Tab.OVERZICHT, status=422, violations=error.violations, message=error.message
        )
    flash("Het Oki-doc is Volledig. Geef de ouders inzage en leg dat hieronder vast.", "success")
    return redirect(url_for("pupils.okidoc", pupil_id=pupil_id, tab="overzicht"))


def _uses_lwoo() -> bool:
    return uses_lwoo_pro(_procedure())


@bp.post("/<int:pupil_id>/oki-doc/inzage")
@login_required
def inspection(pupil_id: int) -> Response | tuple[str, int]:
    """R-OKI-3: record the parents' inspection; the Oki-doc becomes Definitief."""
    authorize(Action.FINALIZE_OKIDOC, Target.pupil(pupil_id))
    raw_date = request.form.get("inzage_datum", "").strip()
    agree = request.form.get("akkoord", "")
    form = {
        "overzicht.inzage_datum": raw_date,
        "overzicht.akkoord_ouders": agree,
        "overzicht.zienswijze_ouders": request.form.get("zienswijze", ""),
    }
    problems = []
    try:
        inspected_on = dt.date.fromisoformat(raw_date)
    except ValueError:
        problems.append(Violation("overzicht.inzage_datum", "Vul de datum van inzage in."))
    if agree not in {"ja", "nee"}:
        problems.append(
            Violation("overzicht.akkoord_ouders", "Geef aan of de ouders akkoord zijn.")
        )
    try:
        if problems:
            raise Rejected("De inzage is niet vastgelegd.", violations=problems)
        command = okidocs.RecordInspection(
            pupil_id=pupil_id,
            expected_version=_version(),
            inspected_on=inspected_on,
            parents_agree=agree == "ja",
            parents_view=form["overzicht.zienswijze_ouders"],
            uses_lwoo_pro=_uses_lwoo(),
        )
        okidocs.record_inspection(services().uow(), services().clock, current_actor(), command)
    except Rejected as error:
        return render_tab(
            pupil_id,
            Tab.OVERZICHT,
            status=422,
            form=form,
            violations=error.violations,
            message=error.message,
        )
    flash("De inzage is vastgelegd. Het Oki-doc is nu Definitief.", "success")
    return redirect(url_for("pupils.okidoc", pupil_id=pupil_id, tab="overzicht"))
