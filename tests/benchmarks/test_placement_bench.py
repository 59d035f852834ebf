"""Benchmark: the placement at regional (10,000) and national (175,000) scale (issue 16).

One Amsterdam-style instance per size: 1,400 programmes (700 schools, two levels), lists of 1 to
12 with a few popular schools, 4% priority at the first choice, some multiple births, places for
105% of the pupils. Both sides start from the same ``Instance`` and produce placements by
deferred acceptance with single tie-breaking on the same HMAC-SHA-256 lottery:

- ms: ``elk_domain.placement.run.place``: check the instance, draw, compile to ints, run the
  mechanism (what ``solve`` does before it writes the result and the audit).
- bare_ms: ``bare_da_stb`` below: the same draw and DA on plain lists and ``heapq``, no checks.
- solve_ms / audit_ms: the whole ``solve`` (result maps, reserve lists, audit) and its audit
  part alone.

Prints one ``BENCH placement`` line per size; target ratio <= 1.2. The database run
(``full_run_ms``) is measured where ``elk placement run`` lives, not here.
"""

from __future__ import annotations

import gc
import hmac
import random
import time
from collections.abc import Callable
from heapq import heappush, heapreplace
from typing import TypeVar

import pytest

from elk_domain.placement.model import Instance, Programme, Pupil
from elk_domain.placement.run import outcome, place, solve

PROGRAMMES = 1_400
T = TypeVar("T")


def national(size: int) -> Instance:
    """A reproducible instance of ``size`` pupils."""
    rng = random.Random(size)
    programmes = tuple(
        Programme(
            id=f"{i:04d}", school=f"S{i // 2}", level=("havo", "vwo")[i % 2],
            capacity=max(1, int(size * 1.05 / PROGRAMMES * rng.uniform(0.5, 1.5))),
        )
        for i in range(PROGRAMMES)
    )  # fmt: skip
    ids = [p.id for p in programmes]
    weights = [1 / (1 + i % 200) for i in range(PROGRAMMES)]
    pupils = []
    for number in range(size):
        length = rng.randint(1, 12)
        choices = list(dict.fromkeys(rng.choices(ids, weights, k=length)))
        group = f"m{number // 2}" if number % 150 in (0, 1) else None
        pupils.append(
            Pupil(
                id=str(10_000_000 + number),
                choices=tuple(choices),
                priority=group is None and rng.random() < 0.04,
                multiple_birth_group=group,
            )
        )
    return Instance(procedure="amsterdam", seed="bench-zaad", programmes=programmes,
                    pupils=tuple(pupils))  # fmt: skip


def bare_da_stb(instance: Instance) -> dict[str, str | None]:
    """Reference DA-STB: HMAC draw (twins share the first member's), lists, heapq; no checks."""
    key = instance.seed.encode()
    pupils = instance.pupils
    draws = {p.id: hmac.digest(key, p.id.encode(), "sha256") for p in pupils}
    lead: dict[tuple[str, str], str] = {}
    for p in pupils:
        if p.multiple_birth_group and p.choices:
            k = (p.multiple_birth_group, p.choices[0])
            lead[k] = min(lead.get(k, p.id), p.id)
    own = [
        draws[lead[(p.multiple_birth_group, p.choices[0])]]
        if p.multiple_birth_group and p.choices else draws[p.id]
        for p in pupils
    ]  # fmt: skip
    order = sorted(range(len(pupils)), key=lambda i: (own[i], pupils[i].id))
    rank = [0] * len(pupils)
    for r, i in enumerate(order, 1):
        rank[i] = r
    n1 = len(pupils) + 1
    index = {p.id: s for s, p in enumerate(instance.programmes)}
    lists = [[index[c] for c in p.choices] for p in pupils]
    room = [p.capacity for p in instance.programmes]
    held: list[list[int]] = [[] for _ in room]
    nxt = [0] * len(pupils)
    at = [-1] * len(pupils)
    free = list(range(len(pupils) - 1, -1, -1))
    while free:
        p = free.pop()
        lst = lists[p]
        while nxt[p] < len(lst):
            s = lst[nxt[p]]
            k = rank[p] + (0 if pupils[p].priority and nxt[p] == 0 else n1)
            nxt[p] += 1
            if room[s]:
                room[s] -= 1
                heappush(held[s], -k)
            elif held[s] and -held[s][0] > k:
                out = order[(-heapreplace(held[s], -k)) % n1 - 1]
                at[out] = -1
                free.append(out)
            else:
                continue
            at[p] = s
            break
    ids = [p.id for p in instance.programmes]
    return {p.id: ids[at[i]] if at[i] >= 0 else None for i, p in enumerate(pupils)}


def _timed(run: Callable[[], T]) -> tuple[float, T]:
    gc.collect()
    started = time.perf_counter()
    value = run()
    return (time.perf_counter() - started) * 1000, value


@pytest.mark.parametrize(("size", "repeat"), [(10_000, 7), (175_000, 3)])
def test_placement(size: int, repeat: int) -> None:
    instance = national(size)
    bare_times, ours_times = [], []
    for _ in range(repeat):  # interleaved, best of each: the machine is shared
        bare_ms, bare = _timed(lambda: bare_da_stb(instance))
        ms, (compiled, position) = _timed(lambda: place(instance))
        bare_times.append(bare_ms)
        ours_times.append(ms)
    ms, bare_ms = min(ours_times), min(bare_times)
    solve_ms, result = _timed(lambda: solve(instance))
    audit_ms, _ = _timed(lambda: outcome(compiled, list(position), ()))
    assert result.placements == bare
    assert result.audit.blocking_pairs == 0
    print(  # noqa: T201  (the one line per size `make bench` reports)
        f"BENCH placement n={size} ms={ms:.0f} bare_ms={bare_ms:.0f} ratio={ms / bare_ms:.2f} "
        f"solve_ms={solve_ms:.0f} audit_ms={audit_ms:.0f}"
    )
