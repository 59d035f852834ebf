"""``elk audit verify``: is the audit log still the chain it was written as (decision 0057)?"""

from __future__ import annotations

import contextlib

from elk_domain.kernel.audit_chain import ChainReport, walk
from elk_domain.kernel.ports import KernelWork


def verify_audit_chain(uow: KernelWork) -> ChainReport:
    """Walk the whole audit chain in one reading transaction; it is read lazily, not held."""
    with uow, contextlib.closing(uow.audit.chain()) as links:
        return walk(links)
