"""Amsterdam's DA-STB equals the student-optimal stable matching of PyPI ``matching`` (1.4.3).

The library is an independent implementation of hospital/resident deferred acceptance; the
hospitals' preferences are our standings (priority class, then lottery rank).
"""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import given, settings
from matching.games import HospitalResident
from tests.domain.placement_world import instances, standing

from elk_domain.placement.model import Instance, Programme, Pupil
from elk_domain.placement.run import solve


def student_optimal(instance: Instance, lottery: dict[str, int]) -> dict[str, str | None]:
    """The library's resident-optimal matching for the instance under the given lottery."""
    open_ = {p.id: p.capacity for p in instance.programmes if p.capacity > 0}
    wanted = {p.id: [c for c in p.choices if c in open_] for p in instance.pupils}
    applicants: dict[str, list[Pupil]] = {programme: [] for programme in open_}
    for pupil in instance.pupils:
        for programme in wanted[pupil.id]:
            applicants[programme].append(pupil)
    ranked = {
        programme: [
            p.id
            for p in sorted(
                pupils, key=lambda p: standing("amsterdam", p, programme, lottery[p.id])
            )
        ]
        for programme, pupils in applicants.items()
        if pupils
    }
    residents = {pupil_id: choices for pupil_id, choices in wanted.items() if choices}
    capacities = {programme: open_[programme] for programme in ranked}
    game = HospitalResident.create_from_dictionaries(residents, ranked, capacities)
    matched = game.solve(optimal="resident")
    placements: dict[str, str | None] = {p.id: None for p in instance.pupils}
    for hospital, matches in matched.items():
        for resident in matches:
            placements[resident.name] = hospital.name
    return placements


@given(instances(procedure="amsterdam"))
@settings(max_examples=150, deadline=None)
def test_small_random_instances_match_the_library(instance: Instance) -> None:
    result = solve(instance)
    assert dict(result.placements) == student_optimal(instance, dict(result.lottery))


def regional(size: int, seed: int) -> Instance:
    """A region of ``size`` pupils: 40 programmes, popular schools, lists of 1–12, 5% priority."""
    rng = random.Random(seed)
    programmes = tuple(
        Programme(id=f"p{i}", school=f"s{i // 2}", level=("havo", "vwo")[i % 2], capacity=0)
        for i in range(40)
    )
    weights = [1 / (i + 1) for i in range(40)]
    capacity = [max(1, size // 40 + rng.randint(-5, 5)) for _ in programmes]
    pupils = []
    for number in range(size):
        length = rng.randint(1, 12)
        choices: list[str] = []
        while len(choices) < length:
            pick = rng.choices(programmes, weights)[0].id
            if pick not in choices:
                choices.append(pick)
        group = f"m{number // 2}" if number % 97 in (0, 1) else None
        pupils.append(
            Pupil(
                id=str(1_000_000 + number),
                choices=tuple(choices),
                priority=rng.random() < 0.05 and group is None,
                multiple_birth_group=group,
            )
        )
    sized = tuple(
        Programme(id=p.id, school=p.school, level=p.level, capacity=c)
        for p, c in zip(programmes, capacity, strict=True)
    )
    seed_text = f"regio-{seed}"
    return Instance(procedure="amsterdam", seed=seed_text, programmes=sized, pupils=tuple(pupils))


@pytest.mark.parametrize(("size", "seed"), [(300, 1), (1000, 2), (2000, 3)])
def test_regional_instances_up_to_2000_pupils_match_the_library(size: int, seed: int) -> None:
    instance = regional(size, seed)
    started = time.perf_counter()
    result = solve(instance)
    ours = time.perf_counter() - started
    expected = student_optimal(instance, dict(result.lottery))
    assert dict(result.placements) == expected
    assert sum(1 for p in expected.values() if p is None) < size  # the instance is not trivial
    assert result.audit.oversubscribed  # and it is contested
    assert ours < 5
