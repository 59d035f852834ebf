"""The parent's account for a portal: one per pupil and portal, username = ELK number."""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.organisation.procedure import ParentPortal


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
