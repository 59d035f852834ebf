"""Counting guesses (passwords, codes, reset requests) atomically, before the costly check.

An attempt is counted under each of its keys in one write transaction that first locks those
keys, *before* the password hash or code is checked, and taken back when it succeeds. So two
parallel guesses can never both pass the check on the same count: with five free attempts, at
most five of twenty parallel guesses reach the password hash (decision 0033). The rules of the
wait itself are ``elk_domain.accounts.throttle``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import attrs

from elk_domain.accounts import throttle
from elk_domain.accounts.ports import AccountsWork
from elk_domain.accounts.throttle import ThrottlePolicy
from elk_domain.kernel.ports import Clock

Keys = Sequence[tuple[str, ThrottlePolicy]]


def count_attempt(uow: AccountsWork, now: dt.datetime, keys: Keys) -> None:
    """Count one attempt under every key in the open unit of work, or raise Throttled.

    Keys are locked in one order (by digest) everywhere, so two transactions never wait on
    each other in a circle.
    """
    ordered = sorted(keys, key=lambda pair: pair[0])
    locked = [(key, policy, uow.throttle.lock(key)) for key, policy in ordered]
    wait = max(throttle.wait_seconds(attempts, policy, now) for _, policy, attempts in locked)
    if wait > 0:
        raise throttle.Throttled(wait)
    for key, policy, attempts in locked:
        uow.throttle.save(throttle.after_failure(attempts, key, policy, now))


def reserve_attempt(uow: AccountsWork, clock: Clock, keys: Keys) -> None:
    """Count the attempt in its own committed transaction (Throttled: nothing is counted)."""
    with uow:
        count_attempt(uow, clock.now(), keys)
        uow.commit()


def settle_success(uow: AccountsWork, *, clear: Iterable[str], give_back: Iterable[str]) -> None:
    """After a success, in the open unit of work: forget ``clear``, uncount one of ``give_back``.

    A shared key (the client's address) only loses the successful attempt, so colleagues
    behind one address who log in correctly never slow each other down.
    """
    cleared = set(clear)
    for key in sorted({*cleared, *give_back}):
        attempts = uow.throttle.lock(key)
        if key in cleared:
            uow.throttle.clear(key)
        elif attempts is not None and attempts.failures > 0:
            uow.throttle.save(attrs.evolve(attempts, failures=attempts.failures - 1))
