"""OSO code list 2 "Advies VO" → ``Advice``, with honesty about what is known.

The code values are public (they are in Edustandaard's validation stylesheet); their labels
are not (they live in the unpublished "OSO codelijsten" spreadsheet). So every entry is
``confirmed=False`` and carries at most an *inferred* advice. An unconfirmed code becomes
"needs manual entry" unless the regional configuration chooses to trust the inference; then it
becomes an ``InferredAdvice``, which the Oki-doc keeps marked until somebody types the advice.
See docs/decisions/0005-oso-advice-codes.md.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from elk_domain.kernel.advice import Advice, Level


@attrs.frozen
class AdviceCode:
    """One value of code list 2: its inferred meaning and whether that meaning is confirmed."""

    code: str
    inferred: Advice | None
    confirmed: bool = False


@attrs.frozen
class NeedsManualEntry:
    """The code cannot be translated safely; ``message`` (Dutch) names the code."""

    code: str
    message: str


@attrs.frozen
class InferredAdvice:
    """A trusted but unconfirmed translation: used, and marked so that staff check it."""

    code: str
    advice: Advice

    @property
    def message(self) -> str:
        """Dutch: which advice was read from which code, and that it needs checking."""
        return (
            f"Definitief advies {self.advice.code} is afgeleid uit OSO-adviescode {self.code}; "
            "die vertaling is niet officieel bevestigd. Controleer het advies."
        )


_S = Advice.single
_PRO, _B, _K, _GT, _HAVO, _VWO = Level

# Inference: the tens digit reads as the base level (1 pro … 6 vwo); x0 the level alone and
# x1 the combination with the next level. The other units digits (variants such as "with
# LWOO") and 01/70/80 have no inferable meaning and stay None. Nothing here is confirmed.
ADVICE_CODES: Mapping[str, AdviceCode] = {
    entry.code: entry
    for entry in (
        AdviceCode("01", None),
        AdviceCode("10", _S(_PRO)),
        AdviceCode("20", _S(_B)),
        AdviceCode("21", Advice(_B, _K)),
        AdviceCode("22", None),
        AdviceCode("23", None),
        AdviceCode("30", _S(_K)),
        AdviceCode("31", Advice(_K, _GT)),
        AdviceCode("32", None),
        AdviceCode("33", None),
        AdviceCode("34", None),
        AdviceCode("35", None),
        AdviceCode("40", _S(_GT)),
        AdviceCode("41", Advice(_GT, _HAVO)),
        AdviceCode("42", None),
        AdviceCode("43", None),
        AdviceCode("44", None),
        AdviceCode("50", _S(_HAVO)),
        AdviceCode("51", Advice(_HAVO, _VWO)),
        AdviceCode("52", None),
        AdviceCode("60", _S(_VWO)),
        AdviceCode("61", None),
        AdviceCode("70", None),
        AdviceCode("80", None),
    )
}
"""All 24 values of code list 2 (OSO gegevensset 2019.1)."""


def advice_from_oso_code(
    code: str, *, trust_inferred: bool
) -> Advice | InferredAdvice | NeedsManualEntry:
    """Translate an OSO advice code; never a silent guess: doubtful codes need manual entry.

    A confirmed code gives its ``Advice``; an unconfirmed one with an inference gives an
    ``InferredAdvice`` only when the region trusts the inference (``trust_inferred``).
    """
    cleaned = code.strip()
    entry = ADVICE_CODES.get(cleaned)
    if entry is None:
        return NeedsManualEntry(
            cleaned,
            f"OSO-adviescode '{cleaned}' is onbekend. Vul het advies met de hand in.",
        )
    if entry.inferred is not None and entry.confirmed:
        return entry.inferred
    if entry.inferred is not None and trust_inferred:
        return InferredAdvice(cleaned, entry.inferred)
    return NeedsManualEntry(
        cleaned,
        f"OSO-adviescode '{cleaned}' kan niet zeker worden vertaald naar een advies. "
        "Vul het advies met de hand in.",
    )
