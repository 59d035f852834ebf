"""The Oki-doc lifecycle (R-OKI-2, R-OKI-3) as one transition table, like h11's ``_state.py``.

``apply`` only consults the table. The guards (no missing fields for COMPLETE, a valid
inspection for RECORD_INSPECTION, a reason for REOPEN) live in ``guard`` so that the use cases
and the stateful tests share them. See docs/decisions/0004-okidoc-lifecycle.md.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from elk_domain.errors import IllegalTransition, Rejected, Violation
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import OkiDoc, OkiStatus
from elk_domain.okidoc.reconsideration import reconsideration_violations
from elk_domain.okidoc.rules import inspection_violations, missing_required


class OkiAction(enum.Enum):
    """Everything that can happen to an Oki-doc; the value is the Dutch name for messages."""

    EDIT = "wijzigen"
    EDIT_FINAL_TEST = "doorstroomtoets/definitief advies invullen"
    INVALIDATE = "verplicht veld leegmaken"
    COMPLETE = "volledig maken"
    RECORD_INSPECTION = "inzage ouders vastleggen"
    REOPEN = "heropenen"
    ADD_NOTE = "notitie toevoegen"
    ADD_ATTACHMENT = "bijlage toevoegen"
    OSO_MERGE = "synchroniseren met OSO"
    OSO_FINAL_TEST = "doorstroomtoets/definitief advies synchroniseren"


_ONV, _VOL, _DEF = OkiStatus.ONVOLLEDIG, OkiStatus.VOLLEDIG, OkiStatus.DEFINITIEF
_A = OkiAction

TRANSITIONS: Mapping[tuple[OkiStatus, OkiAction], OkiStatus] = {
    (_ONV, _A.EDIT): _ONV,
    (_ONV, _A.EDIT_FINAL_TEST): _ONV,
    (_ONV, _A.COMPLETE): _VOL,
    (_ONV, _A.ADD_NOTE): _ONV,
    (_ONV, _A.ADD_ATTACHMENT): _ONV,
    (_ONV, _A.OSO_MERGE): _ONV,
    (_ONV, _A.OSO_FINAL_TEST): _ONV,
    (_VOL, _A.EDIT): _VOL,
    (_VOL, _A.EDIT_FINAL_TEST): _VOL,
    (_VOL, _A.INVALIDATE): _ONV,
    (_VOL, _A.RECORD_INSPECTION): _DEF,
    (_VOL, _A.ADD_NOTE): _VOL,
    (_VOL, _A.ADD_ATTACHMENT): _VOL,
    (_VOL, _A.OSO_MERGE): _VOL,
    (_VOL, _A.OSO_FINAL_TEST): _VOL,
    # Definitief is locked except for what arrives after the parents' inspection; the parents
    # saw the attachments too, so none is added after it (decision 0034).
    (_DEF, _A.EDIT_FINAL_TEST): _DEF,
    (_DEF, _A.OSO_FINAL_TEST): _DEF,
    (_DEF, _A.ADD_NOTE): _DEF,
    (_DEF, _A.REOPEN): _VOL,
}
"""(status, action) → next status. A missing pair is an illegal transition."""

_LOCKED = "Het Oki-doc is definitief en kan niet meer worden gewijzigd."
_MESSAGES: Mapping[tuple[OkiStatus, OkiAction], str] = {
    (_DEF, _A.EDIT): _LOCKED,
    (_DEF, _A.OSO_MERGE): _LOCKED
    + " Alleen doorstroomtoets en definitief advies worden nog bijgewerkt.",
    (_DEF, _A.ADD_ATTACHMENT): "Het Oki-doc is definitief: er kunnen geen bijlagen meer worden "
    "toegevoegd. Moet er toch een bijlage bij, vraag dan de schoolbeheerder het Oki-doc te "
    "heropenen.",
    (_VOL, _A.COMPLETE): "Het Oki-doc is al volledig.",
    (_DEF, _A.COMPLETE): "Het Oki-doc is al definitief.",
    (_ONV, _A.RECORD_INSPECTION): "Maak het Oki-doc eerst volledig: ouders krijgen inzage in een "
    "volledig Oki-doc.",
    (_DEF, _A.RECORD_INSPECTION): "De inzage door de ouders is al vastgelegd.",
    (_ONV, _A.REOPEN): "Alleen een definitief Oki-doc kan worden heropend.",
    (_VOL, _A.REOPEN): "Alleen een definitief Oki-doc kan worden heropend.",
}


def apply(status: OkiStatus, action: OkiAction) -> OkiStatus:
    """The status after ``action``; IllegalTransition (a Conflict) names state and action."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalTransition(
            status.label, action.value, _MESSAGES.get((status, action))
        ) from None


def allows(status: OkiStatus, action: OkiAction) -> bool:
    """Whether ``action`` is possible in ``status`` (to offer a button only where it works)."""
    return (status, action) in TRANSITIONS


def guard(okidoc: OkiDoc, action: OkiAction, *, uses_lwoo_pro: bool = False) -> list[Violation]:
    """What the Oki-doc's content lacks for ``action`` (empty: the action may proceed)."""
    if action is OkiAction.COMPLETE:
        return missing_required(okidoc, uses_lwoo_pro=uses_lwoo_pro)
    if action is OkiAction.RECORD_INSPECTION:  # R-DT-4: a higher test outcome answered first
        return (
            missing_required(okidoc, uses_lwoo_pro=uses_lwoo_pro)
            + inspection_violations(okidoc)
            + reconsideration_violations(okidoc)
        )
    return []


def transition(okidoc: OkiDoc, action: OkiAction, *, uses_lwoo_pro: bool = False) -> OkiStatus:
    """``apply`` plus the guard: Rejected with every violation when the content is not ready."""
    target = apply(okidoc.status, action)
    violations = guard(okidoc, action, uses_lwoo_pro=uses_lwoo_pro)
    if violations:
        raise Rejected(
            f"Het Oki-doc kan niet '{action.value}': er ontbreken nog gegevens.",
            violations=violations,
        )
    return target


def edit_action(okidoc_status: OkiStatus, paths: set[str] | frozenset[str]) -> OkiAction:
    """EDIT_FINAL_TEST when only the final-test fields change (allowed on Definitief), else EDIT."""
    if paths and paths <= f.FINAL_TEST_PATHS:
        return OkiAction.EDIT_FINAL_TEST
    return OkiAction.EDIT


def changed_status(
    before: OkiDoc, after: OkiDoc, action: OkiAction, *, uses_lwoo_pro: bool = False
) -> OkiStatus:
    """The status of ``after``, the content ``action`` made of ``before``'s.

    The one place an edit or an OSO merge gets its status from: the table's target for
    ``action`` (IllegalTransition when the action is not allowed), then ``settle``.
    """
    target = apply(before.status, action)
    return settle(attrs.evolve(after, status=target), uses_lwoo_pro=uses_lwoo_pro)


def settle(okidoc: OkiDoc, *, uses_lwoo_pro: bool = False) -> OkiStatus:
    """The status after a change of content: a Volledig doc with an empty required field drops."""
    if okidoc.status is OkiStatus.VOLLEDIG and missing_required(
        okidoc, uses_lwoo_pro=uses_lwoo_pro
    ):
        return apply(okidoc.status, OkiAction.INVALIDATE)
    return okidoc.status


def require_reason(reason: str) -> str:
    """REOPEN needs a reason for the audit log (e.g. the parents asked for a correction)."""
    cleaned = reason.strip()
    if not cleaned:
        raise Rejected(
            "Geef een reden op om het Oki-doc te heropenen.",
            violations=[Violation("reden", "Vul de reden voor heropenen in.")],
        )
    return cleaned


def state_diagram() -> str:
    """A Mermaid ``stateDiagram-v2`` generated from TRANSITIONS (one edge per state pair)."""
    edges: dict[tuple[OkiStatus, OkiStatus], list[str]] = {}
    for (source, action), target in TRANSITIONS.items():
        edges.setdefault((source, target), []).append(action.value)
    lines = ["stateDiagram-v2", f"    [*] --> {_ONV.label}"]
    for (source, target), actions in edges.items():
        lines.append(f"    {source.label} --> {target.label}: {', '.join(actions)}")
    return "\n".join(lines) + "\n"
