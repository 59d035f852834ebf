"""The verifiable lottery (decision 0051): numbers anyone can recompute from the revealed seed.

Before the run the administrator publishes ``commitment(seed)``; after it the seed is revealed.
A pupil's draw is HMAC-SHA-256 with the seed as key and the pupil's ELK number as message; the
lowest draw wins. Pupils of one multiple birth who chose the same first choice share one draw:
the draw of the member whose ELK number sorts first.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from elk_domain.placement.model import Pupil


def commitment(seed: str) -> str:
    """The SHA-256 of the seed, hex: published before the run, so the seed cannot be swapped."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def draw(seed: str, pupil_id: str) -> str:
    """A pupil's own draw: HMAC-SHA-256(key=seed, message=ELK number), hex."""
    return hmac.digest(seed.encode("utf-8"), pupil_id.encode("utf-8"), "sha256").hex()


def shared_draw_leaders(pupils: Sequence[Pupil]) -> dict[str, str]:
    """Pupil id → the id whose draw they use: the first-sorting member of their twin group."""
    leaders: dict[tuple[str, str], str] = {}
    for pupil in pupils:
        if pupil.multiple_birth_group is not None and pupil.choices:
            key = (pupil.multiple_birth_group, pupil.choices[0])
            leaders[key] = min(leaders.get(key, pupil.id), pupil.id)
    return {
        pupil.id: leaders[(pupil.multiple_birth_group, pupil.choices[0])]
        for pupil in pupils
        if pupil.multiple_birth_group is not None and pupil.choices
    }


def lottery_ranks(seed: str, pupils: Sequence[Pupil]) -> list[int]:
    """Each pupil's rank (1 = best), in the order of ``pupils``: by draw, then by ELK number."""
    key = seed.encode("utf-8")
    ids = [p.id.encode("utf-8") for p in pupils]
    own = [hmac.digest(key, pupil_id, "sha256") for pupil_id in ids]
    leaders = shared_draw_leaders(pupils)
    if leaders:
        by_id = {p.id: own[i] for i, p in enumerate(pupils)}
        own = [by_id[leaders[p.id]] if p.id in leaders else own[i] for i, p in enumerate(pupils)]
    # Draw, then ELK number: digests are 32 bytes, and UTF-8 sorts as the text does.
    sort_keys = [digest + pupil_id for digest, pupil_id in zip(own, ids, strict=True)]
    order = sorted(range(len(pupils)), key=sort_keys.__getitem__)
    ranks = [0] * len(pupils)
    for rank, index in enumerate(order, start=1):
        ranks[index] = rank
    return ranks
