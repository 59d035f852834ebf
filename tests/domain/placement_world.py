"""Placement test support: random instances and an oracle written at the level of ids.

The oracle knows the rules from decision 0050, not the engine: standings as (class, lottery
rank), the effective list of an Amstelland pupil, a slow blocking-pair count, and a
round-by-round reference of both mechanisms (simultaneous-proposal deferred acceptance).
"""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import strategies as st

from elk_domain.placement.mechanisms import MECHANISMS, compile_problem
from elk_domain.placement.model import Instance, Programme, Pupil
from elk_domain.placement.result import Result

PROCEDURES = ("amstelland", "amsterdam")


@st.composite
def instances(
    draw: st.DrawFn,
    procedure: str | None = None,
    max_pupils: int = 25,
    twins: bool = True,
) -> Instance:
    """A random valid instance: up to 4 schools with 1–2 levels, lists of up to 5."""
    programmes: list[Programme] = []
    for school in range(draw(st.integers(1, 4))):
        for level in ("havo", "vwo")[: draw(st.integers(1, 2))]:
            capacity = draw(st.integers(0, 4))
            name = f"s{school}"
            programmes.append(
                Programme(id=f"{name}{level}", school=name, level=level, capacity=capacity)
            )
    ids = [p.id for p in programmes]
    pupils = []
    for number in range(draw(st.integers(0, max_pupils))):
        choices = tuple(draw(st.lists(st.sampled_from(ids), unique=True, max_size=5)))
        pupils.append(
            Pupil(
                id=f"{number + 1000}",
                choices=choices,
                priority=bool(choices) and draw(st.booleans()),
                stay_equivalent=_stay(draw, programmes, choices),
                multiple_birth_group=draw(st.sampled_from([None, None, "g1", "g2"]))
                if twins
                else None,
            )
        )
    return Instance(
        procedure=procedure or draw(st.sampled_from(PROCEDURES)),
        seed=draw(st.text(min_size=1, max_size=8)),
        programmes=tuple(programmes),
        pupils=tuple(_same_priority_per_birth(pupils)),
    )


def _stay(draw: st.DrawFn, programmes: list[Programme], choices: tuple[str, ...]) -> str | None:
    if not choices:
        return None
    school = next(p.school for p in programmes if p.id == choices[0])
    others = [p.id for p in programmes if p.school == school and p.id != choices[0]]
    return draw(st.sampled_from([None, *others])) if others else None


def _same_priority_per_birth(pupils: list[Pupil]) -> list[Pupil]:
    """Members of a multiple birth at one first choice share their priority (decision 0050)."""
    first: dict[tuple[str, str], bool] = {}
    fixed = []
    for pupil in pupils:
        if pupil.multiple_birth_group and pupil.choices:
            key = (pupil.multiple_birth_group, pupil.choices[0])
            priority = first.setdefault(key, pupil.priority)
            pupil = Pupil(
                id=pupil.id,
                choices=pupil.choices,
                priority=priority,
                stay_equivalent=pupil.stay_equivalent,
                multiple_birth_group=pupil.multiple_birth_group,
            )
        fixed.append(pupil)
    return fixed


def effective_list(procedure: str, pupil: Pupil) -> list[str]:
    """Amstelland: first choice, the equivalent level, then choices 2–5; Amsterdam: the list."""
    if procedure != "amstelland" or pupil.stay_equivalent is None:
        return list(pupil.choices)
    later = [c for c in pupil.choices[1:] if c != pupil.stay_equivalent]
    return [pupil.choices[0], pupil.stay_equivalent, *later]


def standing(procedure: str, pupil: Pupil, programme: str, rank: int) -> tuple[int, int]:
    """The pupil's standing at a programme of their effective list: (class, rank), lower wins."""
    first = pupil.choices[0] == programme
    if procedure == "amsterdam":
        return (0 if first and pupil.priority else 1, rank)
    if first:
        return (0 if pupil.priority else 1, rank)
    return (2 if programme == pupil.stay_equivalent else 3, rank)


def births(instance: Instance) -> list[list[Pupil]]:
    """Amstelland's multiple births: two or more registered together at one first choice."""
    if instance.procedure != "amstelland":
        return []
    together: dict[tuple[str, str], list[Pupil]] = {}
    for pupil in instance.pupils:
        if pupil.multiple_birth_group and pupil.choices:
            key = (pupil.multiple_birth_group, pupil.choices[0])
            together.setdefault(key, []).append(pupil)
    return [members for members in together.values() if len(members) > 1]


def blocking_pairs(instance: Instance, result: Result) -> list[tuple[str, str]]:
    """Every (pupil, programme) pair that blocks the result, counted the slow way."""
    gone = {i for batch in result.withdrawn for i in batch}
    capacity = {p.id: p.capacity for p in instance.programmes}
    by_id = {p.id: p for p in instance.pupils}
    proc, rank = instance.procedure, result.lottery
    holders: dict[str, list[tuple[int, int]]] = {p: [] for p in capacity}
    for pupil_id, programme in result.placements.items():
        if programme is not None:
            holders[programme].append(standing(proc, by_id[pupil_id], programme, rank[pupil_id]))
    in_birth = {p.id for members in births(instance) for p in members}
    found = []
    for pupil in instance.pupils:
        if pupil.id in gone:
            continue
        wanted = effective_list(proc, pupil)
        placed = result.placements[pupil.id]
        for programme in wanted[: wanted.index(placed) if placed else len(wanted)]:
            if programme == pupil.choices[0] and pupil.id in in_birth:
                continue
            mine = standing(proc, pupil, programme, rank[pupil.id])
            held = holders[programme]
            if len(held) < capacity[programme] or any(other > mine for other in held):
                found.append((pupil.id, programme))
    return found + _birth_pairs(instance, result, holders, gone)


def _birth_pairs(
    instance: Instance,
    result: Result,
    holders: Mapping[str, list[tuple[int, int]]],
    gone: set[str],
) -> list[tuple[str, str]]:
    capacity = {p.id: p.capacity for p in instance.programmes}
    found = []
    for members in births(instance):
        first = members[0].choices[0]
        out = [p for p in members if p.id not in gone and result.placements[p.id] != first]
        if not out:
            continue
        unit = max(standing("amstelland", p, first, result.lottery[p.id]) for p in out)
        free = capacity[first] - len(holders[first])
        if free + sum(1 for other in holders[first] if other > unit) >= len(out):
            found.extend((p.id, first) for p in out)
    return found


def place(instance: Instance, ranks: Mapping[str, int]) -> dict[str, str | None]:
    """The engine's placements for given lottery ranks (no seed): for exhaustive checks."""
    problem, starts = compile_problem(instance, [ranks[p.id] for p in instance.pupils])
    position = MECHANISMS[instance.procedure](problem, starts)
    ids = [p.id for p in instance.programmes]
    return {
        pupil.id: ids[problem.lists[p][i]] if i >= 0 else None
        for p, (pupil, i) in enumerate(zip(instance.pupils, position, strict=True))
    }
