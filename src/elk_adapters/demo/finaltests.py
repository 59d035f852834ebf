"""The demo's doorstroomtoets results (issue 17, item 7): a realistic spread for R-DT-4.

The outcome follows the pupil's ability with the noise of a single test day, so it lands above,
on and below the school advice. Where it is above, the school has raised the advice, or kept it
with a motivation and the date the parents were involved, or not yet answered (the pupil is
flagged on "Invoeren doorstroomtoets" and in the overview). A few pupils have no result yet.
"""

from __future__ import annotations

import datetime as dt
import enum
import random

import attrs

from elk_adapters.demo.pupils import advice_for
from elk_domain.kernel.advice import Advice
from elk_domain.kernel.values import SchoolYear

#: The doorstroomtoetsen admitted in 2024-2026 (decision 0047), with their score scales.
TESTS = (
    ("Route 8", ("Taal", "Rekenen"), (100, 300)),
    ("IEP Doorstroomtoets", ("Lezen", "Taalverzorging", "Rekenen"), (50, 100)),
    ("DIA-doorstroomtoets", ("Lezen", "Taalverzorging", "Rekenen"), (200, 300)),
    ("AMN Doorstroomtoets", ("Lezen", "Taalverzorging", "Rekenen"), (100, 200)),
)
TEST_DAY_NOISE = 0.5  # standard deviation, in the ability scale of ``advice_for``


class Reaction(enum.Enum):
    """What the school did about an outcome above its advice (R-DT-4)."""

    RAISED = "bijgesteld"
    KEPT = "gemotiveerd"
    PENDING = "nog niet"


@attrs.frozen(kw_only=True)
class FinalTestPlan:
    """One pupil's doorstroomtoets: which test, when, the outcome, the scores, the advice."""

    test: str
    taken_on: dt.date
    outcome: Advice
    scores: str
    definitive: Advice
    reaction: Reaction | None = None  # set when the outcome is above the school advice
    parents_involved: dt.date | None = None


def taken_on_for(year: SchoolYear, today: dt.date) -> dt.date:
    """Mid-February of the school year; earlier in the year the demo (whose periods are all
    open around today) pretends the test was taken two weeks ago."""
    february = dt.date(year.start + 1, 2, 11)
    return february if february <= today else today - dt.timedelta(days=14)


def plan_final_test(
    serial: int, ability: float, advice: Advice, year: SchoolYear, today: dt.date
) -> FinalTestPlan | None:
    """The pupil's result, or None (one in twenty has none yet); deterministic per ``serial``."""
    rng = random.Random(f"doorstroomtoets-{serial}")  # noqa: S311 - demo data
    if rng.random() < 0.05:
        return None
    test, parts, (low, high) = rng.choice(TESTS)
    outcome = advice_for(ability + rng.gauss(0, TEST_DAY_NOISE))
    middle = (ability + 3) / 6
    scores = "; ".join(
        f"{part}: {round(low + (high - low) * min(1, max(0, rng.gauss(middle, 0.1))))}"
        for part in parts
    )
    taken_on = taken_on_for(year, today)
    plan = FinalTestPlan(
        test=test, taken_on=taken_on, outcome=outcome, scores=scores, definitive=advice
    )
    if not outcome.is_higher_than(advice):
        return plan
    reaction = rng.choices(list(Reaction), weights=(45, 35, 20))[0]
    if reaction is Reaction.RAISED:
        return attrs.evolve(plan, definitive=outcome, reaction=reaction)
    if reaction is Reaction.KEPT:
        involved = taken_on + dt.timedelta(days=rng.randrange(5, 12))
        return attrs.evolve(plan, reaction=reaction, parents_involved=min(involved, today))
    return attrs.evolve(plan, reaction=reaction)
