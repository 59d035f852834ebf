"""What the parents withheld (OPT-UIT) stays out of the Oki-doc, and the Oki-doc says so.

A dossier names, per category of "Categorie uitlevering", whether the parents withheld it
(``OsoDossier.withheld``). A LAS must then leave that category's data out; the official business
rules flag a dossier that does not. ELK does not rely on the LAS: ``delivered`` drops whatever a
dossier still carries of a withheld category before the merge sees it, and ``recorded`` is what
the Oki-doc remembers, so its fields read "niet uitgeleverd via OSO" (decision 0044).
"""

from __future__ import annotations

import attrs

from elk_domain.kernel.audit import FieldChange
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.catalogue.oso_categories import labels
from elk_domain.oso.dossiers.dossier import OsoDossier

#: The name of the change when the withheld categories change (audit, sync result).
CHANGE_LABEL = "Niet uitgeleverd via OSO"

#: The dossier section an attachment hangs under (``DossierAttachment.kind``) → its category.
_ATTACHMENT_CATEGORIES = {
    "onderwijsbehoeften": "onderwijsondersteuning",
    "diagnose": "onderwijsondersteuning",
    "opp": "onderwijsondersteuning",
    "tlv": "onderwijsondersteuning",
    "lwoo": "onderwijsondersteuning",
    "rvc": "onderwijsondersteuning",
    "verzuim": "verzuim",
    "doorstroomtoets": "eindtoetsbo",
    "toets": "toetsresultaten",
    "handelingsplan": "handelingsplannen",
    "overig": "bijlagedocs",
}


def delivered(dossier: OsoDossier) -> OsoDossier:
    """The dossier without any data of the categories it says the parents withheld."""
    out = dossier.withheld
    if not out:
        return dossier
    return attrs.evolve(
        dossier,
        fields={p: v for p, v in dossier.fields.items() if f.spec_for(p).category not in out},
        advice_code=None if "overstapadvies" in out else dossier.advice_code,
        test_results=() if "toetsresultaten" in out else dossier.test_results,
        final_test_results=() if "eindtoetsbo" in out else dossier.final_test_results,
        career=() if "schoolloopbaan" in out else dossier.career,
        group_name="" if "schoolloopbaan" in out else dossier.group_name,
        attachments=tuple(
            a for a in dossier.attachments if _ATTACHMENT_CATEGORIES.get(a.kind) not in out
        ),
    )


def recorded(
    before: frozenset[str], dossier: OsoDossier, *, only: frozenset[str] | None = None
) -> frozenset[str]:
    """The withheld categories the Oki-doc remembers after merging ``dossier``: the dossier's
    word on the categories the merge read (``only``; None: all), the earlier word on the rest."""
    if only is None:
        return frozenset(dossier.withheld)
    return (before - only) | (dossier.withheld & only)


def withheld_changes(before: frozenset[str], after: frozenset[str]) -> list[FieldChange]:
    """The change to audit and show when the withheld categories changed (else none)."""
    if before == after:
        return []
    return [FieldChange(CHANGE_LABEL, labels(before) or None, labels(after) or None)]
