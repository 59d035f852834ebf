"""The mechanisms of decision 0050 written out round by round, slowly, on ids: a test oracle."""

from __future__ import annotations

from collections.abc import Mapping

from tests.domain.placement_world import births, effective_list, standing

from elk_domain.placement.model import Instance, Pupil


def reference(instance: Instance, ranks: Mapping[str, int]) -> dict[str, str | None]:
    """Placements as the manual describes them, for the given lottery ranks."""
    room = {p.id: p.capacity for p in instance.programmes}
    placed: dict[str, str | None] = {p.id: None for p in instance.pupils}
    proc = instance.procedure
    if proc == "amsterdam":
        return _deferred_acceptance(instance, ranks, room, list(instance.pupils), round_two=False)
    _first_round(instance, ranks, room, placed)
    refused = [p for p in instance.pupils if placed[p.id] is None and p.stay_equivalent]
    for pupil in sorted(refused, key=lambda p: ranks[p.id]):
        if room[pupil.stay_equivalent or ""] > 0:
            room[pupil.stay_equivalent or ""] -= 1
            placed[pupil.id] = pupil.stay_equivalent
    rest = [p for p in instance.pupils if placed[p.id] is None]
    later = _deferred_acceptance(instance, ranks, room, rest, round_two=True)
    return {pupil_id: placed[pupil_id] or later.get(pupil_id) for pupil_id in placed}


def _first_round(
    instance: Instance,
    ranks: Mapping[str, int],
    room: dict[str, int],
    placed: dict[str, str | None],
) -> None:
    grouped = {p.id for members in births(instance) for p in members}
    units = [[p] for p in instance.pupils if p.choices and p.id not in grouped]
    units += births(instance)

    def unit_standing(unit: list[Pupil]) -> tuple[int, int]:
        return max(standing("amstelland", p, p.choices[0], ranks[p.id]) for p in unit)

    for unit in sorted(units, key=unit_standing):
        first = unit[0].choices[0]
        if room[first] >= len(unit):
            room[first] -= len(unit)
            for pupil in unit:
                placed[pupil.id] = first


def _deferred_acceptance(
    instance: Instance,
    ranks: Mapping[str, int],
    room: Mapping[str, int],
    pupils: list[Pupil],
    round_two: bool,
) -> dict[str, str | None]:
    """Textbook DA: every free pupil proposes at once; each programme keeps its best."""
    proc = instance.procedure
    lists = {}
    for p in pupils:
        wanted = effective_list(proc, p)
        lists[p.id] = wanted[(2 if p.stay_equivalent else 1) :] if round_two else wanted
    by_id = {p.id: p for p in pupils}
    following = {p.id: 0 for p in pupils}
    held: dict[str, list[str]] = {programme: [] for programme in room}
    free = [p.id for p in pupils]
    while free:
        proposals: dict[str, list[str]] = {}
        for pupil_id in free:
            if following[pupil_id] < len(lists[pupil_id]):
                target = lists[pupil_id][following[pupil_id]]
                following[pupil_id] += 1
                proposals.setdefault(target, []).append(pupil_id)
        free = []
        for programme, newcomers in proposals.items():
            pool = held[programme] + newcomers
            pool.sort(key=lambda i: standing(proc, by_id[i], programme, ranks[i]))
            held[programme], rejected = pool[: room[programme]], pool[room[programme] :]
            free.extend(rejected)
        free = [i for i in free if following[i] < len(lists[i])]
    result: dict[str, str | None] = {p.id: None for p in pupils}
    for programme, pupil_ids in held.items():
        for pupil_id in pupil_ids:
            result[pupil_id] = programme
    return result
