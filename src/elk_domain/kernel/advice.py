"""School advice levels (pro … vwo), combined advices, and what 'higher' means (R-DT-4)."""

from __future__ import annotations

import enum
import re

import attrs

from elk_domain.errors import Rejected


class Level(enum.Enum):
    """The six VO levels, in ascending order."""

    PRO = "pro"
    VMBO_B = "vmbo-b"
    VMBO_K = "vmbo-k"
    VMBO_GT = "vmbo-gl/tl"
    HAVO = "havo"
    VWO = "vwo"

    @property
    def rank(self) -> int:
        """Position on the ladder: pro 0 … vwo 5."""
        return _ORDER.index(self)

    @property
    def label(self) -> str:
        """How the level is written on screen."""
        return self.value


_ORDER: tuple[Level, ...] = tuple(Level)

# Combined advices of two adjacent levels that the national advice list knows.
_COMBINATIONS = frozenset(
    {
        (Level.VMBO_B, Level.VMBO_K),
        (Level.VMBO_K, Level.VMBO_GT),
        (Level.VMBO_GT, Level.HAVO),
        (Level.HAVO, Level.VWO),
    }
)

_COMBINED_LABELS = {
    (Level.VMBO_B, Level.VMBO_K): "vmbo-b/k",
    (Level.VMBO_K, Level.VMBO_GT): "vmbo-k/gl-tl",
    (Level.VMBO_GT, Level.HAVO): "vmbo-gl-tl/havo",
    (Level.HAVO, Level.VWO): "havo/vwo",
}


@attrs.frozen
class Advice:
    """A school advice or test outcome: one level, or two adjacent levels (low/high)."""

    low: Level
    high: Level

    def __attrs_post_init__(self) -> None:
        if self.low != self.high and (self.low, self.high) not in _COMBINATIONS:
            raise Rejected(
                f"'{self.low.label}/{self.high.label}' is geen bestaand gecombineerd advies."
            )

    @classmethod
    def single(cls, level: Level) -> Advice:
        """An advice of exactly one level."""
        return cls(level, level)

    @property
    def is_combined(self) -> bool:
        """True for a combined advice such as havo/vwo."""
        return self.low != self.high

    @property
    def rank(self) -> int:
        """Ladder position with combined advices between their parts: pro 0, vmbo-b/k 3 … vwo 10."""
        return self.low.rank + self.high.rank

    def is_higher_than(self, other: Advice) -> bool:
        """R-DT-4: True when this advice (the test outcome) lies above ``other`` (the school's)."""
        return self.rank > other.rank

    def levels(self) -> tuple[Level, ...]:
        """The one or two levels this advice covers."""
        return (self.low,) if self.low == self.high else (self.low, self.high)

    @property
    def code(self) -> str:
        """Canonical text form, also used for storage: 'vmbo-k/gl-tl', 'havo'."""
        return _COMBINED_LABELS.get((self.low, self.high), self.low.value)

    def __str__(self) -> str:
        return self.code


# Free-text tokens schools use, mapped to levels.  Longest alternatives first.
_TOKENS: tuple[tuple[str, tuple[Level, ...]], ...] = (
    (r"praktijkonderwijs|pro|pr\.?o\.?", (Level.PRO,)),
    (r"vwo|gymnasium|atheneum", (Level.VWO,)),
    (r"havo", (Level.HAVO,)),
    (
        r"(?:vmbo[\s\-]*)?(?:gl[\s\-/]*tl|g[\s\-/]*t|\(g\)t|gl|tl|gt|t|mavo|theoretisch|gemengd)",
        (Level.VMBO_GT,),
    ),
    (r"(?:vmbo[\s\-]*)?(?:kb|k|kader(?:beroepsgericht)?)", (Level.VMBO_K,)),
    (r"(?:vmbo[\s\-]*)?(?:bb|b|basis(?:beroepsgericht)?)", (Level.VMBO_B,)),
)


def _parse_part(part: str) -> Level:
    cleaned = part.strip().lower().replace("–", "-")
    for pattern, levels in _TOKENS:
        if re.fullmatch(pattern, cleaned):
            return levels[0]
    raise Rejected(f"'{part.strip()}' is geen bekend adviesniveau.")


def parse_advice(text: str) -> Advice:
    """Parse the free-text forms schools use: 'VMBO-TL', 'havo/vwo', 'vmbo kb/vmbo gl-tl'."""
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise Rejected("Er is geen advies ingevuld.")
    for known in Level:
        if cleaned == known.value:
            return Advice.single(known)
    for (low, high), label in _COMBINED_LABELS.items():
        if cleaned == label:
            return Advice(low, high)
    parts = _split_combined(cleaned)
    levels = sorted({_parse_part(p) for p in parts}, key=lambda lv: lv.rank)
    if len(levels) == 1:
        return Advice.single(levels[0])
    if len(levels) == 2:
        return Advice(levels[0], levels[1])
    raise Rejected(f"'{text.strip()}' bevat meer dan twee niveaus.")


def _split_combined(cleaned: str) -> list[str]:
    # "vmbo kb/vmbo gl-tl" and "vmbo-gl/tl" both contain '/'; gl/tl is one level, not two.
    protected = re.sub(r"\bgl\s*/\s*tl\b", "gl-tl", cleaned)
    protected = re.sub(r"\bg\s*/\s*t\b", "gt", protected)
    # "havo-vwo", "mavo-havo", "vmbo-t-havo": a dash between two levels combines them.
    protected = re.sub(r"\b(havo|mavo|t|tl|gt|gl-tl)\s*-\s*(havo|vwo)\b", r"\1/\2", protected)
    parts = [p for p in re.split(r"\s*/\s*|\s+(?:of|en|-)\s+", protected) if p]
    if len(parts) == 2 and parts[1] in {"k", "kb", "b", "bb", "gl-tl", "gt", "tl", "gl", "t"}:
        parts[1] = "vmbo " + parts[1]
    return parts


def readable_advice(raw: object) -> Advice | None:
    """An advice as stored (an Oki-doc field, a column); None when absent or unreadable."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    try:
        return parse_advice(raw)
    except Rejected:
        return None
