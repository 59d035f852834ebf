"""What a run produces: placements, lottery ranks, reserve lists and the audit (R-PL-2)."""

from __future__ import annotations

from collections.abc import Mapping

import attrs


@attrs.frozen(kw_only=True)
class Cutoff:
    """An over-subscribed programme: who got in last, and how many wait on its reserve list."""

    programme: str
    capacity: int
    placed: int
    reserve: int
    last_rank: int | None  # the lottery rank of the last pupil placed; None when nobody was
    last_class: str | None  # that pupil's standing class ("voorrang", "eerste keuze", …)


@attrs.frozen(kw_only=True)
class Audit:
    """The checks of a run, published with it: stability, outcomes per choice, cut-offs."""

    blocking_pairs: int  # must be 0 (against priorities and lottery)
    placed_by_choice: tuple[int, ...]  # index 0: placed at choice 1, index 1: at choice 2, …
    placed_equivalent: int  # Amstelland: placed at the equivalent level of the first choice
    unplaced: int
    withdrawn: int
    oversubscribed: tuple[Cutoff, ...]
    swap_pupils: int  # pupils who could swap places with another so that both are better off


@attrs.frozen(kw_only=True)
class Result:
    """The outcome of one run; recomputable from the instance and the seed."""

    procedure: str
    seed_commitment: str
    placements: Mapping[str, str | None]
    lottery: Mapping[str, int]  # rank, lower wins
    reserve: Mapping[str, tuple[str, ...]]  # programme → pupils who want it more, best first
    audit: Audit
    withdrawn: tuple[tuple[str, ...], ...] = ()  # the batches of withdrawals, in order
