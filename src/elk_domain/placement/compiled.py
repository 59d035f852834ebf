"""An instance checked, drawn and compiled to plain ints: what a run and its continuation after
withdrawals start from (``run.prepare`` makes it)."""

from __future__ import annotations

import attrs

from elk_domain.placement.engine import Problem
from elk_domain.placement.model import Instance


@attrs.frozen
class Compiled:
    """An instance checked, drawn and compiled: what a run and its continuation start from."""

    instance: Instance
    problem: Problem
    starts: list[int]
    ranks: list[int]
