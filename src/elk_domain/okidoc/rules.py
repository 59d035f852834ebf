"""Pure checks on an Oki-doc (R-OKI-1..3, R-OKI-5): every violation at once, in Dutch.

The inspection fields (Overzicht) are not required for Volledig: parents inspect a Volledig
Oki-doc, so they can only be filled afterwards. ``inspection_violations`` checks them when the
inspection is recorded.

A required field of an OSO category the parents withheld (``OkiDoc.withheld``) is not missing:
``withheld_required`` names it as "niet uitgeleverd via OSO" (decision 0044).
"""

from __future__ import annotations

import enum

from elk_domain.errors import Violation
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.fields import FieldSpec, Tab
from elk_domain.okidoc.model import OkiDoc


def _missing(spec: FieldSpec) -> Violation:
    return Violation(spec.path, f"Vul '{spec.label}' in (tabblad {spec.tab.label}).")


def _withheld(spec: FieldSpec) -> Violation:
    return Violation(
        spec.path,
        f"'{spec.label}' (tabblad {spec.tab.label}) is niet uitgeleverd via OSO: de ouders "
        "willen niet dat deze gegevens via OSO worden doorgegeven. U hoeft dit niet in te vullen.",
    )


def is_withheld(okidoc: OkiDoc, path: str) -> bool:
    """True when ``path`` belongs to an OSO category the parents withheld (OPT-UIT)."""
    category = f.spec_for(path).category
    return bool(category) and category in okidoc.withheld


def missing_required(okidoc: OkiDoc, *, uses_lwoo_pro: bool = False) -> list[Violation]:
    """All required fields that are still empty, including the conditional ones, in tab order.

    A field of a category the parents withheld is not asked for: ``withheld_required`` names it.
    """
    return [v for v in _empty_required(okidoc, uses_lwoo_pro) if not is_withheld(okidoc, v.path)]


def withheld_required(okidoc: OkiDoc, *, uses_lwoo_pro: bool = False) -> list[Violation]:
    """The required fields left empty because the parents withheld their category, in tab order;
    each message says so instead of asking staff to fill it."""
    return [
        _withheld(f.spec_for(v.path))
        for v in _empty_required(okidoc, uses_lwoo_pro)
        if is_withheld(okidoc, v.path)
    ]


def _empty_required(okidoc: OkiDoc, uses_lwoo_pro: bool) -> list[Violation]:
    violations: list[Violation] = []
    for tab in Tab:
        if tab is Tab.LWOO_PRO and not uses_lwoo_pro:
            continue
        for spec in f.fields_of(tab, parents=1):
            if spec.required and not okidoc.is_filled(spec.path):
                violations.append(_missing(spec))
            violations.extend(_conditional(okidoc, spec))
    return violations


def _conditional(okidoc: OkiDoc, spec: FieldSpec) -> list[Violation]:
    """Fields that become required by another field's answer."""
    needed: list[str] = []
    if spec.choices == f.SUPPORT_LEVELS and okidoc.value(spec.path) == f.SUPPORT_NEEDED:
        needed.append(f.explanation_path(spec.path))
    elif spec.path == f.ADVICE_EXTRA_SUPPORT and okidoc.value(spec.path) is True:
        needed.append(f.ADVICE_EXTRA_SUPPORT_EXPLANATION)
    elif spec.path == f.LWOO_LAT and okidoc.value(spec.path) is True:
        needed.extend((f.LWOO_CAP, f.LWOO_CONSENT))
    return [_missing(f.spec_for(p)) for p in needed if not okidoc.is_filled(p)]


def tab_complete(okidoc: OkiDoc, tab: Tab, *, uses_lwoo_pro: bool = False) -> bool:
    """R-OKI-2: the check mark above a tab once its own required fields are filled."""
    return not any(
        f.spec_for(v.path).tab is tab for v in missing_required(okidoc, uses_lwoo_pro=uses_lwoo_pro)
    )


def inspection_violations(okidoc: OkiDoc) -> list[Violation]:
    """R-OKI-3: an inspection needs its date and an answer; disagreement needs the parents' view."""
    violations: list[Violation] = []
    for path in (f.INSPECTION_DATE, f.PARENTS_AGREE):
        if not okidoc.is_filled(path):
            violations.append(_missing(f.spec_for(path)))
    if okidoc.value(f.PARENTS_AGREE) is False and not okidoc.is_filled(f.PARENTS_VIEW):
        violations.append(
            Violation(
                f.PARENTS_VIEW,
                "De ouders zijn niet akkoord: vul hun reden of zienswijze in (tabblad Overzicht).",
            )
        )
    return violations


def needs_extra_support(okidoc: OkiDoc) -> bool:
    """The overview's marker: the Oki-doc says the pupil needs extra support in VO."""
    return okidoc.value(f.ADVICE_EXTRA_SUPPORT) is True


class LeerrendementIndication(enum.Enum):
    """R-OKI-5: what a leerrendement indicates, from the chart's 100/75/50 % lines."""

    AT_OR_ABOVE_100 = "op of boven 100%"
    BELOW_100 = "onder 100%"
    INDICATIVE_LWOO = "indicatief voor LWOO"  # at or below 75 %
    INDICATIVE_PRO = "indicatief voor PrO"  # at or below 50 %

    @classmethod
    def of(cls, rate: float) -> LeerrendementIndication:
        """The indication for a leerrendement in percent."""
        if rate <= 50:
            return cls.INDICATIVE_PRO
        if rate <= 75:
            return cls.INDICATIVE_LWOO
        if rate < 100:
            return cls.BELOW_100
        return cls.AT_OR_ABOVE_100


def leerrendement(dle: int | None, dl: int | None) -> float | None:
    """DLE / DL × 100 (percent); None when either is unknown or DL is not positive."""
    if dle is None or dl is None or dl <= 0:
        return None
    return dle / dl * 100
