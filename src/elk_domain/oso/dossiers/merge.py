"""Merging an OSO dossier into an Oki-doc (R-OSO-4..6): pure, previewable, idempotent.

FILL only fills what is empty; OVERWRITE replaces OSO fields (also hand-edited ones) and never
touches other fields; FINAL_TEST_ONLY touches only the doorstroomtoets, the definitive advice and
the final-test results. Records (test results, career, attachments) are added once by natural key.
The OSO advice code fills the definitive advice only when it translates (decision 0005); a
translation the region merely trusts is stored marked ``inferred_from`` its code.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping

import attrs

from elk_domain.errors import IllegalTransition, Violation
from elk_domain.kernel.advice import Advice
from elk_domain.kernel.audit import FieldChange
from elk_domain.okidoc import fields as f
from elk_domain.okidoc import lifecycle
from elk_domain.okidoc.model import (
    Attachment,
    CareerEntry,
    FieldValue,
    OkiDoc,
    Provenance,
    Scalar,
    Source,
    TestResult,
)
from elk_domain.okidoc.testresults.scores import retain_recent
from elk_domain.oso.dossiers.advice_codes import (
    InferredAdvice,
    NeedsManualEntry,
    advice_from_oso_code,
)
from elk_domain.oso.dossiers.dossier import DossierAttachment, OsoDossier, RuleMessage
from elk_domain.oso.dossiers.withheld import delivered, recorded, withheld_changes


class MergeMode(enum.Enum):
    """How a dossier is merged; the value is the Dutch name on the buttons."""

    FILL = "aanvullen"
    OVERWRITE = "overschrijven"
    FINAL_TEST_ONLY = "alleen doorstroomtoets en definitief advies"


@attrs.frozen(kw_only=True)
class MergeResult:
    """The merged Oki-doc and what changed; also the preview shown before overwriting."""

    okidoc: OkiDoc
    changes: tuple[FieldChange, ...] = ()
    new_attachments: tuple[DossierAttachment, ...] = ()
    added_test_results: int = 0
    refused: str | None = None
    needs_manual: tuple[Violation, ...] = ()
    # The definitive advice taken from a trusted, unconfirmed advice code: staff check it.
    to_check: tuple[Violation, ...] = ()
    # What the official business rules said about the dossier: the school fixes it in its LAS.
    rule_messages: tuple[RuleMessage, ...] = ()

    @property
    def changed(self) -> bool:
        """True when saving the result would change anything."""
        return bool(self.changes or self.new_attachments)


def merge(
    okidoc: OkiDoc,
    dossier: OsoDossier,
    mode: MergeMode,
    *,
    at: dt.datetime,
    trust_inferred_advice: bool = False,
    uses_lwoo_pro: bool = False,
) -> MergeResult:
    """Merge ``dossier`` into ``okidoc`` as of ``at`` (which decides the retention window).

    The status comes from the lifecycle (``changed_status``); where it forbids the merge
    (Definitief), the result is ``refused`` and the Oki-doc unchanged. Data of a category the
    parents withheld is never taken, even when the LAS sent it (``withheld.delivered``).
    """
    dossier = delivered(dossier)
    incoming, advice = _incoming_fields(okidoc, dossier, mode, trust_inferred_advice)
    inferred_from = advice.code if isinstance(advice, InferredAdvice) else ""
    fields, changes = _merge_fields(okidoc, incoming, mode, dossier, inferred_from)
    results, added, result_changes = _merge_results(okidoc, dossier, mode, at.date())
    career, career_changes = _merge_career(okidoc, dossier, mode)
    withheld = recorded(okidoc.withheld, dossier, only=_READS.get(mode))
    changes += (*result_changes, *career_changes, *withheld_changes(okidoc.withheld, withheld))
    merged = attrs.evolve(
        okidoc, fields=fields, test_results=results, career=career, withheld=withheld
    )
    try:
        status = lifecycle.changed_status(
            okidoc, merged, _ACTIONS[mode], uses_lwoo_pro=uses_lwoo_pro
        )
    except IllegalTransition as error:
        return MergeResult(
            okidoc=okidoc, refused=error.message, rule_messages=dossier.rule_messages
        )
    manual, to_check = _advice_notices(advice, changes)
    return MergeResult(
        okidoc=attrs.evolve(merged, status=status),
        changes=tuple(changes),
        new_attachments=_new_attachments(okidoc, dossier, mode),
        added_test_results=added,
        needs_manual=manual,
        to_check=to_check,
        rule_messages=dossier.rule_messages,
    )


#: The categories a mode reads when it does not read the whole dossier.
_READS = {MergeMode.FINAL_TEST_ONLY: frozenset({"eindtoetsbo"})}


_ACTIONS = {
    MergeMode.FILL: lifecycle.OkiAction.OSO_MERGE,
    MergeMode.OVERWRITE: lifecycle.OkiAction.OSO_MERGE,
    MergeMode.FINAL_TEST_ONLY: lifecycle.OkiAction.OSO_FINAL_TEST,
}


AdviceOutcome = Advice | InferredAdvice | NeedsManualEntry | None


def _incoming_fields(
    okidoc: OkiDoc, dossier: OsoDossier, mode: MergeMode, trust: bool
) -> tuple[dict[str, Scalar], AdviceOutcome]:
    """The dossier's values to merge, and what its advice code gave (None: not asked)."""
    incoming = {
        path: value
        for path, value in dossier.fields.items()
        if not (isinstance(value, str) and not value.strip())
        and (mode is not MergeMode.FINAL_TEST_ONLY or path in f.FINAL_TEST_PATHS)
    }
    if dossier.advice_code is None or not dossier.advice_code.strip():
        return incoming, None
    if mode is MergeMode.FILL and okidoc.is_filled(f.ADVICE_DEFINITIVE):
        return incoming, None
    advice = advice_from_oso_code(dossier.advice_code, trust_inferred=trust)
    if isinstance(advice, Advice):
        incoming[f.ADVICE_DEFINITIVE] = advice.code
    elif isinstance(advice, InferredAdvice):
        incoming[f.ADVICE_DEFINITIVE] = advice.advice.code
    return incoming, advice


def _advice_notices(
    advice: AdviceOutcome, changes: Iterable[FieldChange]
) -> tuple[tuple[Violation, ...], tuple[Violation, ...]]:
    """(needs manual entry, to check): an inferred advice is named only when it was taken."""
    if isinstance(advice, NeedsManualEntry):
        return (Violation(f.ADVICE_DEFINITIVE, advice.message),), ()
    if isinstance(advice, InferredAdvice) and any(c.path == f.ADVICE_DEFINITIVE for c in changes):
        return (), (Violation(f.ADVICE_DEFINITIVE, advice.message),)
    return (), ()


def _same(old: Scalar | None, new: Scalar) -> bool:
    # True == 1 in Python; a changed kind of value is a change.
    return type(old) is type(new) and old == new


def _merge_fields(
    okidoc: OkiDoc,
    incoming: Mapping[str, Scalar],
    mode: MergeMode,
    dossier: OsoDossier,
    inferred_from: str,
) -> tuple[dict[str, FieldValue], list[FieldChange]]:
    provenance = Provenance(Source.OSO, dossier.dossier_date, by=dossier.sender_label)
    advice_provenance = attrs.evolve(provenance, inferred_from=inferred_from)
    fields = dict(okidoc.fields)
    changes: list[FieldChange] = []
    for path, value in sorted(incoming.items()):
        old = okidoc.value(path)
        if (mode is MergeMode.FILL and okidoc.is_filled(path)) or _same(old, value):
            continue
        stamp = advice_provenance if path == f.ADVICE_DEFINITIVE else provenance
        fields[path] = FieldValue(value, stamp)
        changes.append(FieldChange(path, f.text_of(old), f.text_of(value)))
    return fields, changes


def _result_label(result: TestResult) -> str:
    return f"toetsresultaat {result.test_name} {result.subject} {result.taken_on.isoformat()}"


def _result_text(result: TestResult) -> str:
    parts = (
        ("score", result.score),
        ("DLE", result.dle),
        ("DL", result.dl),
        ("niveau", result.level),
    )
    return ", ".join([f"{k} {v}" for k, v in parts if v is not None and v != ""])


def _merge_results(
    okidoc: OkiDoc, dossier: OsoDossier, mode: MergeMode, today: dt.date
) -> tuple[tuple[TestResult, ...], int, list[FieldChange]]:
    if mode is MergeMode.FINAL_TEST_ONLY:
        incoming = dossier.final_test_results
    else:
        incoming = (*dossier.test_results, *dossier.final_test_results)
    merged = {r.key: r for r in okidoc.test_results}
    added, changes = 0, []
    for key, result in _unique(retain_recent(incoming, today)).items():
        old = merged.get(key)
        if old is None:
            added += 1
            changes.append(FieldChange(_result_label(result), None, _result_text(result)))
        elif mode is MergeMode.FILL or old == result:
            continue
        else:
            changes.append(
                FieldChange(_result_label(result), _result_text(old), _result_text(result))
            )
        merged[key] = result
    kept = retain_recent(merged.values(), today)
    # By identity: ``retain_recent`` keeps the very objects, and ``not in kept`` compared each
    # result with every kept one (quadratic in the dozens of tests of a dossier).
    kept_ids = {id(r) for r in kept}
    dropped = [r for r in merged.values() if id(r) not in kept_ids]
    changes.extend(FieldChange(_result_label(r), _result_text(r), None) for r in dropped)
    return kept, added, changes


def _unique(results: Iterable[TestResult]) -> dict[tuple[str, str, dt.date], TestResult]:
    """The first result per natural key, by key (each key computed once)."""
    seen: dict[tuple[str, str, dt.date], TestResult] = {}
    for result in results:
        seen.setdefault(result.key, result)
    return seen


def _merge_career(
    okidoc: OkiDoc, dossier: OsoDossier, mode: MergeMode
) -> tuple[tuple[CareerEntry, ...], list[FieldChange]]:
    if mode is MergeMode.FINAL_TEST_ONLY:
        return okidoc.career, []
    merged = {entry.key: entry for entry in okidoc.career}
    changes: list[FieldChange] = []
    for entry in dossier.career:
        old = merged.get(entry.key)
        if old == entry or (old is not None and mode is MergeMode.FILL):
            continue
        label = f"schoolloopbaan {entry.school_name} {entry.start.isoformat()}"
        changes.append(FieldChange(label, _career_text(old), _career_text(entry)))
        merged[entry.key] = entry
    return tuple(sorted(merged.values(), key=lambda e: (e.start, e.school_name))), changes


def _career_text(entry: CareerEntry | None) -> str | None:
    if entry is None:
        return None
    end = entry.end.isoformat() if entry.end else "heden"
    return f"{entry.school_name} {entry.group} {entry.start.isoformat()} t/m {end}".strip()


def _new_attachments(
    okidoc: OkiDoc, dossier: OsoDossier, mode: MergeMode
) -> tuple[DossierAttachment, ...]:
    if mode is MergeMode.FINAL_TEST_ONLY:
        return ()
    known = {a.sha256 for a in okidoc.attachments}
    fresh: list[DossierAttachment] = []
    for attachment in dossier.attachments:
        if attachment.sha256 not in known:
            known.add(attachment.sha256)
            fresh.append(attachment)
    return tuple(fresh)


def attachment_record(
    attachment: DossierAttachment, *, storage_key: str, at: dt.datetime, by: str
) -> Attachment:
    """The Oki-doc record for a dossier attachment whose bytes are stored under ``storage_key``."""
    return Attachment(
        kind=attachment.kind,
        filename=attachment.filename,
        content_type=attachment.content_type,
        size=attachment.size,
        sha256=attachment.sha256,
        storage_key=storage_key,
        added_at=at,
        added_by=by,
        source=Source.OSO,
    )
