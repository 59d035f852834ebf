"""Slowing down password and code guessing, with the state kept in the database.

Each key (an account, a client address, a 2FA login) may fail a few times freely; after that
every further attempt must wait, doubling each time up to a cap of a few minutes. An attacker
gets a handful of guesses an hour; a teacher who mistyped waits at most the cap. Failures are
forgotten after a quiet hour and on a successful login. Keys are stored only as SHA-256 digests,
so the table holds no e-mail or IP addresses. See docs/decisions/0012-staff-accounts.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math

import attrs

from elk_domain.errors import Message, Rejected


@attrs.frozen(kw_only=True)
class Attempts:
    """Failures recorded under one key."""

    key: str
    failures: int = 0
    last_failure_at: dt.datetime | None = None


@attrs.frozen(kw_only=True)
class ThrottlePolicy:
    """How many failures are free, and how the wait grows after them."""

    free: int
    base: dt.timedelta
    cap: dt.timedelta
    forget_after: dt.timedelta = dt.timedelta(hours=1)


ACCOUNT = ThrottlePolicy(free=5, base=dt.timedelta(seconds=15), cap=dt.timedelta(minutes=5))
CLIENT = ThrottlePolicy(free=30, base=dt.timedelta(seconds=15), cap=dt.timedelta(minutes=5))
SECOND_FACTOR = ThrottlePolicy(free=5, base=dt.timedelta(seconds=30), cap=dt.timedelta(minutes=5))
MAIL = ThrottlePolicy(free=3, base=dt.timedelta(minutes=1), cap=dt.timedelta(minutes=15))


class Throttled(Rejected):
    """Too many failed attempts: wait ``retry_after`` seconds (the web answers 429)."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            Message("Te veel mislukte pogingen. Probeer het over 1 minuut opnieuw.")
            if minutes == 1
            else Message(
                "Te veel mislukte pogingen. Probeer het over {minutes} minuten opnieuw.",
                minutes=minutes,
            )
        )
        self.retry_after = retry_after


def throttle_key(kind: str, value: str) -> str:
    """The stored form of a key: a digest, never the address itself."""
    return hashlib.sha256(f"{kind}:{value.strip().casefold()}".encode()).hexdigest()


def current(attempts: Attempts | None, policy: ThrottlePolicy, now: dt.datetime) -> int:
    """Failures that still count (zero after a quiet ``forget_after``)."""
    if attempts is None or attempts.last_failure_at is None:
        return 0
    if now - attempts.last_failure_at > policy.forget_after:
        return 0
    return attempts.failures


def wait_seconds(attempts: Attempts | None, policy: ThrottlePolicy, now: dt.datetime) -> int:
    """Seconds until the next attempt may be tried (0: go ahead)."""
    failures = current(attempts, policy, now)
    if attempts is None or attempts.last_failure_at is None or failures < policy.free:
        return 0
    delay = min(policy.base * (1 << min(failures - policy.free, 20)), policy.cap)
    remaining = attempts.last_failure_at + delay - now
    return max(0, math.ceil(remaining.total_seconds()))


def after_failure(
    attempts: Attempts | None, key: str, policy: ThrottlePolicy, now: dt.datetime
) -> Attempts:
    """The attempts with one more failure now."""
    return Attempts(key=key, failures=current(attempts, policy, now) + 1, last_failure_at=now)
