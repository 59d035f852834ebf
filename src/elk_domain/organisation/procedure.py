"""Regional procedures as data: how long a preference list must be, per advice (R-AAN-2), the
parents' portals, and whether the Ind. LWOO/PrO tab is used.

See docs/decisions/0009-regional-procedures.md for how the Amsterdam numbers were read.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from elk_domain.errors import Rejected
from elk_domain.kernel.advice import Advice, Level


class ParentPortal(enum.Enum):
    """R-OUD-2: the ELK parent portal, and the separate login for the Amsterdam portal."""

    ELK = "elk"
    AMSTERDAM = "amsterdam"

    @property
    def label(self) -> str:
        """Dutch name of the portal."""
        return "ouderportaal ELK Amsterdam" if self is ParentPortal.AMSTERDAM else "ouderportaal"


@attrs.frozen
class ListLengthRule:
    """Advices from ``lowest`` up to ``highest`` (both included) need ``length`` schools."""

    lowest: Advice
    highest: Advice
    length: int

    def applies(self, advice: Advice) -> bool:
        """True when the advice lies within this rule's range."""
        return self.lowest.rank <= advice.rank <= self.highest.rank


@attrs.frozen(kw_only=True)
class RegionalProcedure:
    """One region's registration rules; a new region is a new value, not new code."""

    name: str
    label: str
    list_length_rules: tuple[ListLengthRule, ...]
    exact_length: bool = True  # False: the length is a minimum and longer lists are welcome
    uses_lwoo_pro_tab: bool = False
    portal: ParentPortal = ParentPortal.ELK
    # R-AAN-6: school types (as in the school's data, any case) a pupil can only choose from
    # the school's orientation list, when found placeable there.
    orientation_school_types: frozenset[str] = frozenset()

    def needs_orientation(self, school_type: str) -> bool:
        """True when a school of this type is chosen only from its orientation list."""
        return school_type.strip().casefold() in self.orientation_school_types

    def required_length(self, advice: Advice) -> int:
        """How many schools a definitive list holds (or at least holds) for this advice."""
        for rule in self.list_length_rules:
            if rule.applies(advice):
                return rule.length
        raise Rejected(f"De procedure {self.label} kent geen lijstlengte voor advies {advice}.")


def _single(level: Level) -> Advice:
    return Advice.single(level)


AMSTELLAND = RegionalProcedure(
    name="amstelland",
    label="Kernprocedure Amstelland",
    list_length_rules=(
        ListLengthRule(_single(Level.PRO), Advice(Level.VMBO_K, Level.VMBO_GT), 2),
        ListLengthRule(_single(Level.VMBO_GT), _single(Level.VWO), 5),
    ),
)

AMSTERDAM = RegionalProcedure(
    name="amsterdam",
    label="Kernprocedure Amsterdam",
    list_length_rules=(
        ListLengthRule(_single(Level.PRO), _single(Level.VMBO_K), 4),
        ListLengthRule(Advice(Level.VMBO_K, Level.VMBO_GT), _single(Level.VMBO_GT), 6),
        ListLengthRule(Advice(Level.VMBO_GT, Level.HAVO), _single(Level.VWO), 12),
    ),
    exact_length=False,
    uses_lwoo_pro_tab=True,
    portal=ParentPortal.AMSTERDAM,
    orientation_school_types=frozenset({"praktijkonderwijs", "tussenvoorziening", "kovo"}),
)

PROCEDURES: Mapping[str, RegionalProcedure] = {p.name: p for p in (AMSTELLAND, AMSTERDAM)}
"""The known procedures by name."""


def procedure_named(name: str) -> RegionalProcedure:
    """The procedure called ``name``; NotFound-like Rejected for an unknown name."""
    try:
        return PROCEDURES[name]
    except KeyError:
        raise Rejected(f"'{name}' is geen bekende aanmeldprocedure.") from None


def uses_lwoo_pro(procedure: str) -> bool:
    """Whether the installation's regional procedure has the Ind. LWOO/PrO tab (R-OKI-1)."""
    found = PROCEDURES.get(procedure)
    return found is not None and found.uses_lwoo_pro_tab
