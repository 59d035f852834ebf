"""The parent's account for a portal: one per pupil and portal, username = ELK number."""

from __future__ import annotations

import datetime as dt
import enum

import attrs


class ParentPortal(enum.Enum):
    """R-OUD-2: the ELK parent portal, and the separate login for the Amsterdam portal."""

    ELK = "elk"
    AMSTERDAM = "amsterdam"

    @property
    def label(self) -> str:
        """Dutch name of the portal."""
        return "ouderportaal ELK Amsterdam" if self is ParentPortal.AMSTERDAM else "ouderportaal"


@attrs.frozen(kw_only=True)
class ParentAccount:
    """A parent login; only a digest of the set-password token is kept, never the token."""

    id: int
    pupil_id: int
    portal: ParentPortal = ParentPortal.ELK
    email: str
    password_hash: str | None = None
    token_digest: str | None = None
    token_expires_at: dt.datetime | None = None
    version: int = 1
