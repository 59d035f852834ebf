"""Single-use links sent by e-mail to staff: the invite and the password reset (R-AUTH-7)."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib

import attrs


class TokenPurpose(enum.Enum):
    """Why the link was sent; each purpose has its own validity."""

    INVITE = "uitnodiging"
    RESET = "herstel"

    @property
    def validity(self) -> dt.timedelta:
        """How long a link stays usable: a week for an invite, two hours for a reset."""
        return dt.timedelta(days=7) if self is TokenPurpose.INVITE else dt.timedelta(hours=2)


@attrs.frozen(kw_only=True)
class AccountToken:
    """A link's record; only the digest of the token is kept, so a database leak opens nothing."""

    id: int
    user_id: int
    purpose: TokenPurpose
    digest: str
    created_at: dt.datetime
    expires_at: dt.datetime
    used_at: dt.datetime | None = None

    def usable(self, now: dt.datetime) -> bool:
        """Not used (or revoked) yet and not expired."""
        return self.used_at is None and now < self.expires_at


def digest_of(token: str) -> str:
    """SHA-256 of a token: enough for random 256-bit tokens (no slow hash needed)."""
    return hashlib.sha256(token.encode()).hexdigest()
