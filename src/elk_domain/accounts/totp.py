"""Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30 s) for staff 2FA.

Pure stdlib, so the domain can check codes without an adapter; the tests compare it against
PyOTP. A code is accepted one step either side of now (clock drift) and only for a step later
than the last one used, so a code seen over someone's shoulder cannot be replayed.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import struct
from urllib.parse import quote, urlencode

from elk_domain.kernel.ports import RandomSource

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
SECRET_BYTES = 20  # 160 bits, as RFC 4226 recommends
ISSUER = "ELK"


def new_secret(random: RandomSource) -> str:
    """A fresh base32 secret (32 characters) for an authenticator app."""
    return base64.b32encode(token_bytes(random, SECRET_BYTES)).decode()


def token_bytes(random: RandomSource, nbytes: int) -> bytes:
    """``nbytes`` random bytes from the port's URL-safe token."""
    token = random.token(nbytes)
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))[:nbytes]


def time_step(moment: dt.datetime) -> int:
    """The 30-second step a moment falls in."""
    return int(moment.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    """The 6-digit code of ``secret`` for ``step`` (RFC 4226 dynamic truncation)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def matching_step(
    secret: str, code: str, moment: dt.datetime, *, after: int | None = None
) -> int | None:
    """The step whose code ``code`` is (near ``moment``, later than ``after``), else None."""
    cleaned = code.replace(" ", "").strip()
    if len(cleaned) != DIGITS or not cleaned.isdigit():
        return None
    now = time_step(moment)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(code_at(secret, step), cleaned):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str = ISSUER) -> str:
    """The ``otpauth://`` URI that authenticator apps import (also typed in by hand)."""
    label = quote(f"{issuer}:{account}")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{label}?{query}"


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type over from the screen."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
