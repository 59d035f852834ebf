"""The real clock and randomness, behind the domain's Clock and RandomSource ports."""

from __future__ import annotations

import datetime as dt
import random
import secrets


class SystemClock:
    """Wall-clock time in UTC."""

    def now(self) -> dt.datetime:
        """Aware UTC now."""
        return dt.datetime.now(dt.UTC)


class SecretsRandom:
    """Cryptographic randomness for tokens; an optional seed makes ``random()`` reproducible."""

    def __init__(self, seed: int | None = None) -> None:
        self._rng = random.Random(seed) if seed is not None else random.SystemRandom()  # noqa: S311

    def random(self) -> float:
        """A float in [0, 1)."""
        return self._rng.random()

    def token(self, nbytes: int = 32) -> str:
        """Always from ``secrets``: tokens must stay unguessable even with a seeded lottery."""
        return secrets.token_urlsafe(nbytes)
