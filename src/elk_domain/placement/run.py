"""One run of the placement: check, draw, place, audit. The seam for the CLI and a database run.

``solve`` takes an instance and returns the result with its audit; ``continue_run`` hands the
places of withdrawn pupils down the reserve lists. Both refuse a broken instance at once with
every reason (``Rejected`` with violations).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from elk_domain.errors import Rejected, Violation
from elk_domain.placement.audit import blocking_pairs, holders, reserve_lists, swap_pupils
from elk_domain.placement.compiled import Compiled
from elk_domain.placement.engine import UNPLACED, WITHDRAWN
from elk_domain.placement.lottery import commitment, lottery_ranks
from elk_domain.placement.mechanisms import CLASS_LABELS, MECHANISMS, compile_problem
from elk_domain.placement.model import Instance, check_instance
from elk_domain.placement.result import Audit, Cutoff, Result
from elk_domain.placement.withdrawals import hand_down, positions_of


def prepare(instance: Instance) -> Compiled:
    """Check the instance (all reasons at once), draw the lottery and compile it to ints."""
    violations = check_instance(instance)
    committed = instance.seed_commitment
    if committed is not None and commitment(instance.seed) != committed.lower():
        message = "Het zaad past niet bij de vooraf gepubliceerde SHA-256."
        violations.append(Violation("seed_commitment", message))
    if violations:
        raise Rejected("De invoer voor de plaatsing klopt niet.", violations=violations)
    ranks = lottery_ranks(instance.seed, instance.pupils)
    problem, starts = compile_problem(instance, ranks)
    return Compiled(instance, problem, starts, ranks)


def place(instance: Instance) -> tuple[Compiled, list[int]]:
    """Check, draw and run the procedure's mechanism: each pupil's position in their list."""
    compiled = prepare(instance)
    return compiled, MECHANISMS[instance.procedure](compiled.problem, compiled.starts)


def solve(instance: Instance) -> Result:
    """Place every pupil by the procedure's mechanism; the result carries its audit."""
    return outcome(*place(instance), ())


def continue_run(instance: Instance, previous: Result, withdrawn: Iterable[str]) -> Result:
    """Give the places of withdrawn pupils to the reserve lists; nobody moves to a worse place."""
    compiled = prepare(instance)
    position = positions_of(compiled, previous)
    index = {pupil.id: p for p, pupil in enumerate(instance.pupils)}
    batch = tuple(sorted(set(withdrawn)))
    unknown = [pupil_id for pupil_id in batch if pupil_id not in index]
    if unknown:
        raise Rejected(f"Onbekende leerlingen teruggetrokken: {', '.join(unknown[:10])}.")
    hand_down(compiled.problem, position, [index[pupil_id] for pupil_id in batch])
    return outcome(compiled, position, (*previous.withdrawn, batch))


def outcome(
    compiled: Compiled, position: list[int], withdrawn: tuple[tuple[str, ...], ...]
) -> Result:
    """The result of a run from the positions: placements, lottery, reserve lists, audit."""
    instance, problem = compiled.instance, compiled.problem
    ids = [pupil.id for pupil in instance.pupils]
    programme_ids = [programme.id for programme in instance.programmes]
    placements = {
        ids[p]: programme_ids[problem.lists[p][index]] if index >= 0 else None
        for p, index in enumerate(position)
    }
    waiting = reserve_lists(problem, position)
    reserve = {programme_ids[s]: tuple(ids[p] for p in row) for s, row in enumerate(waiting)}
    return Result(
        procedure=instance.procedure,
        seed_commitment=commitment(instance.seed),
        placements=placements,
        lottery=dict(zip(ids, compiled.ranks, strict=True)),
        reserve=reserve,
        audit=_audit(compiled, position, waiting),
        withdrawn=withdrawn,
    )


def _audit(compiled: Compiled, position: list[int], waiting: list[list[int]]) -> Audit:
    problem = compiled.problem
    held = holders(problem, position)
    by_choice, equivalent = _placed_by_choice(compiled, position)
    return Audit(
        blocking_pairs=blocking_pairs(problem, position, held),
        placed_by_choice=by_choice,
        placed_equivalent=equivalent,
        unplaced=position.count(UNPLACED),
        withdrawn=position.count(WITHDRAWN),
        oversubscribed=_cutoffs(compiled, held, waiting),
        swap_pupils=swap_pupils(problem, position),
    )


def _placed_by_choice(compiled: Compiled, position: Sequence[int]) -> tuple[tuple[int, ...], int]:
    """How many were placed at choice 1, 2, …, and how many at their equivalent level."""
    counts: list[int] = []
    equivalent = 0
    lists, programmes = compiled.problem.lists, compiled.instance.programmes
    for p, index in enumerate(position):
        if index < 0:
            continue
        if index == 1 and compiled.starts[p] == 2:
            equivalent += 1
            continue
        choice = compiled.instance.pupils[p].choices.index(programmes[lists[p][index]].id)
        counts.extend([0] * (choice + 1 - len(counts)))
        counts[choice] += 1
    return tuple(counts), equivalent


def _cutoffs(
    compiled: Compiled, held: list[list[int]], waiting: list[list[int]]
) -> tuple[Cutoff, ...]:
    """The programmes someone wanted more than their placement, with the last one placed."""
    problem, labels = compiled.problem, CLASS_LABELS[compiled.instance.procedure]
    found = []
    for s, programme in enumerate(compiled.instance.programmes):
        if not waiting[s]:
            continue
        last = held[s][-1] if held[s] else None
        found.append(
            Cutoff(
                programme=programme.id,
                capacity=programme.capacity,
                placed=len(held[s]),
                reserve=len(waiting[s]),
                last_rank=None if last is None else last % problem.stride,
                last_class=None if last is None else labels[last // problem.stride],
            )
        )
    return tuple(found)


def replay(instance: Instance, withdrawn: Iterable[Iterable[str]]) -> Result:
    """The run as published: solved, then continued once per batch of withdrawals, in order."""
    result = solve(instance)
    for batch in withdrawn:
        result = continue_run(instance, result, batch)
    return result
