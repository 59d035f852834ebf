"""Saving typed Oki-doc fields (R-OKI-1..3): one use case, one unit of work.

In one transaction: read the pupil and check the permission (before looking at the input),
read the Oki-doc and check the version, keep only the fields whose input differs from what is
stored (an OSO value the form shows unchanged is never re-parsed, so never rejected), parse
them all (every error at once), apply, audit, commit. A stale version, seen when reading or
when the UPDATE finds the row changed after this transaction read it (PostgreSQL), raises
``EditConflict``: the other person's changes from the audit log, and the form with what the
user typed. Nothing is overwritten silently, nothing typed is lost. See decision 0037.

``confirm_inferred_advice`` ("Advies klopt") is the other edit a teacher makes here: it clears
the "controleer" mark of an advice inferred from its OSO code, the same way (decision 0005).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from elk_domain.errors import Conflict, Rejected, Violation
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action
from elk_domain.kernel.ports import Clock
from elk_domain.okidoc import fields as f
from elk_domain.okidoc import lifecycle
from elk_domain.okidoc.model import OkiDoc, Provenance, Scalar, Source
from elk_domain.okidoc.okidocs import set_values
from elk_domain.okidoc.ports import OkidocWork
from elk_domain.okidoc.saving import OkidocChange, save_okidoc
from elk_domain.pupils.access import load_pupil
from elk_domain.pupils.model import Pupil

ADVICE_CHECKED = "okidoc.advies_gecontroleerd"
NOTHING_TO_CHECK = (
    "Dit advies is niet (meer) afgeleid uit een OSO-adviescode: er is niets te controleren."
)
_INSPECTION_INPUT = frozenset({f.INSPECTION_DATE, f.PARENTS_AGREE, f.PARENTS_VIEW})
_NOT_FIELDS = {"status": "Status", "bijlage": "Bijlagen"}  # audited changes that are no field


@attrs.frozen(kw_only=True)
class ConcurrentChange:
    """A field someone else changed since the user opened the form."""

    path: str
    label: str
    theirs: str
    yours: str | None  # None: the field is not on the submitted form
    by: str
    at: dt.datetime
    clash: bool  # the user changed it too, to something else


def _who_changed_what(changes: Sequence[ConcurrentChange]) -> str:
    by_person: dict[str, list[str]] = {}
    for change in changes:
        by_person.setdefault(change.by, []).append(change.label)
    return " ".join(f"{who} wijzigde: {', '.join(labels)}." for who, labels in by_person.items())


class EditConflict(Conflict):
    """The Oki-doc changed since the form was opened; carries the other person's changes."""

    def __init__(
        self, changes: Sequence[ConcurrentChange], version: int, form: Mapping[str, str]
    ) -> None:
        named = _who_changed_what(changes)
        super().__init__(
            "Iemand anders heeft dit Oki-doc opgeslagen nadat u het opende. "
            + (named + " " if named else "")
            + "Uw invoer is nog niet opgeslagen. Controleer de wijzigingen en sla opnieuw op."
        )
        self.changes = tuple(changes)
        self.version = version
        self.form = dict(form)


def _label(path: str) -> str:
    if path in _NOT_FIELDS:
        return _NOT_FIELDS[path]
    return f.spec_for(path).label if f.is_known(path) else path


def concurrent_changes(
    uow: OkidocWork, okidoc: OkiDoc, expected_version: int, submitted: Mapping[str, str]
) -> tuple[list[ConcurrentChange], dict[str, str]]:
    """Others' changes since ``expected_version`` and the form with their untouched fields."""
    saves = max(0, okidoc.version - expected_version)
    entries = list(uow.audit.for_subject("okidoc", okidoc.id))[-saves:] if saves else []
    original: dict[str, str | None] = {}
    latest: dict[str, tuple[str, dt.datetime, str]] = {}
    for entry in entries:
        for change in entry.changes:
            original.setdefault(change.path, change.old)
            latest[change.path] = (entry.actor_name, entry.at, change.new or "")
    form = dict(submitted)
    result = []
    for path, (by, at, new) in latest.items():
        theirs = (f.text_of(okidoc.value(path)) or "") if f.is_known(path) else new
        yours = submitted.get(path)
        clash = yours is not None and yours.strip() != (original[path] or "") and yours != theirs
        if yours is not None and not clash:
            form[path] = theirs  # the user left it alone: take the other person's value
        result.append(
            ConcurrentChange(
                path=path, label=_label(path), theirs=theirs, yours=yours, by=by, at=at, clash=clash
            )
        )
    return result, form


def _conflict(
    uow: OkidocWork, okidoc: OkiDoc, expected_version: int, submitted: Mapping[str, str]
) -> EditConflict:
    changes, form = concurrent_changes(uow, okidoc, expected_version, submitted)
    return EditConflict(changes, okidoc.version, form)


def edit_fields(
    uow: OkidocWork,
    clock: Clock,
    actor: Actor,
    pupil_id: int,
    expected_version: int,
    submitted: Mapping[str, str],
    *,
    uses_lwoo_pro: bool = False,
) -> OkiDoc:
    """Save form input (a tab, or the final-test row) in one unit of work.

    Rejected lists every field that does not parse; EditConflict when someone else saved the
    Oki-doc after ``expected_version`` was read, also when that happens during this save.
    """
    with uow:
        pupil = load_pupil(uow, actor, Action.EDIT_OKIDOC, pupil_id)
        okidoc = uow.okidocs.for_pupil(pupil.id)
        if okidoc.version != expected_version:
            raise _conflict(uow, okidoc, expected_version, submitted)
        now = clock.now()
        updated, changes = _apply(okidoc, _changed(okidoc, submitted), actor, now, uses_lwoo_pro)
        if not changes:
            return okidoc
        edited = OkidocChange(action="okidoc.wijzigen", at=now, changes=tuple(changes))
        return _save(uow, _Save(actor, pupil, edited), updated, expected_version, submitted)


@attrs.frozen
class _Save:
    """Who saves which pupil's Oki-doc, and the change the audit log records."""

    actor: Actor
    pupil: Pupil
    change: OkidocChange


def _save(
    uow: OkidocWork,
    save: _Save,
    updated: OkiDoc,
    expected_version: int,
    submitted: Mapping[str, str],
) -> OkiDoc:
    """Store, audit and commit; EditConflict when another save landed meanwhile."""
    try:
        return save_okidoc(uow, save.actor, save.pupil, updated, save.change)
    except Conflict:
        # Another transaction saved it after this one read it (the UPDATE matched no row,
        # or the commit was refused): tell what they changed, keep what was typed.
        uow.rollback()
        current = uow.okidocs.for_pupil(save.pupil.id)
        raise _conflict(uow, current, expected_version, submitted) from None


def confirm_inferred_advice(
    uow: OkidocWork, clock: Clock, actor: Actor, pupil_id: int, expected_version: int
) -> OkiDoc:
    """Clear the "afgeleid uit code NN — controleer" mark of the definitive advice when the
    teacher found it right ("Advies klopt", decision 0005). The value and its OSO source stay;
    the check is audited. One unit of work; a stale version is an EditConflict, an advice
    without the mark a Conflict."""
    with uow:
        pupil = load_pupil(uow, actor, Action.EDIT_OKIDOC, pupil_id)
        okidoc = uow.okidocs.for_pupil(pupil.id)
        if okidoc.version != expected_version:
            raise _conflict(uow, okidoc, expected_version, {})
        field = okidoc.fields.get(f.ADVICE_DEFINITIVE)
        if field is None or not field.provenance.inferred_from:
            raise Conflict(NOTHING_TO_CHECK)
        lifecycle.apply(okidoc.status, lifecycle.edit_action(okidoc.status, {f.ADVICE_DEFINITIVE}))
        checked = attrs.evolve(field, provenance=attrs.evolve(field.provenance, inferred_from=""))
        updated = attrs.evolve(okidoc, fields={**okidoc.fields, f.ADVICE_DEFINITIVE: checked})
        text = f.text_of(field.value)
        change = FieldChange(f.ADVICE_DEFINITIVE, text, text)
        detail = f"OSO-adviescode {field.provenance.inferred_from} klopt"
        audited = OkidocChange(
            action=ADVICE_CHECKED, at=clock.now(), changes=(change,), detail=detail
        )
        return _save(uow, _Save(actor, pupil, audited), updated, expected_version, {})


def apply_input(
    okidoc: OkiDoc,
    submitted: Mapping[str, str],
    actor: Actor,
    now: dt.datetime,
    *,
    uses_lwoo_pro: bool = False,
) -> tuple[OkiDoc, list[FieldChange]]:
    """The Oki-doc with typed input applied as ``edit_fields`` does it (parsed, every error at
    once; the status settled), without storing: for a use case that saves many together."""
    return _apply(okidoc, _changed(okidoc, submitted), actor, now, uses_lwoo_pro)


def _changed(okidoc: OkiDoc, submitted: Mapping[str, str]) -> dict[str, str]:
    return {
        path: raw.strip()
        for path, raw in submitted.items()
        if raw.strip() != (f.text_of(okidoc.value(path)) or "")
    }


def _apply(
    okidoc: OkiDoc, changed: Mapping[str, str], actor: Actor, now: dt.datetime, lwoo: bool
) -> tuple[OkiDoc, list[FieldChange]]:
    """The Oki-doc with the parsed input, the staff member and the settled status set."""
    parsed = _parse_changes(okidoc, changed)
    provenance = Provenance(Source.HAND, now, actor.name)
    updated, changes = set_values(okidoc, parsed, provenance)
    if not changes:
        return okidoc, []
    action = lifecycle.edit_action(okidoc.status, _paths(changes))
    if _paths(changes) & _INSPECTION_INPUT:
        updated, more = set_values(updated, {f.STAFF_MEMBER: actor.name}, provenance)
        changes += more
    status = lifecycle.changed_status(okidoc, updated, action, uses_lwoo_pro=lwoo)
    return attrs.evolve(updated, status=status), changes


def _paths(changes: Iterable[FieldChange]) -> frozenset[str]:
    return frozenset(c.path for c in changes)


def _parse_changes(okidoc: OkiDoc, changes: Mapping[str, str]) -> dict[str, Scalar | None]:
    parsed: dict[str, Scalar | None] = {}
    violations: list[Violation] = []
    for path, raw in changes.items():
        try:
            if path == f.STAFF_MEMBER:
                raise Rejected("Medewerker wordt automatisch ingevuld met uw naam.")
            country_path = f.country_path_for(path)
            country = changes.get(country_path, "") if country_path else ""
            if country_path and not country.strip():
                country = str(okidoc.value(country_path) or "NL")
            parsed[path] = f.parse_value(f.spec_for(path), raw, country=country or "NL")
        except Rejected as error:
            violations.append(Violation(path, error.message))
    if violations:
        raise Rejected("Niet alle velden zijn goed ingevuld.", violations=violations)
    return parsed
