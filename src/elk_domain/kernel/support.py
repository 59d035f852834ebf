"""The audit record every area's use cases write: who did what to which subject, as whom."""

from __future__ import annotations

import attrs

from elk_domain.kernel.audit import AuditEntry, FieldChange
from elk_domain.kernel.people import Actor
from elk_domain.kernel.ports import Clock, KernelWork


@attrs.frozen(kw_only=True)
class Subject:
    """What an audit entry is about."""

    type: str
    id: int | None = None
    school_id: int | None = None


def audit(
    uow: KernelWork,
    clock: Clock,
    actor: Actor,
    action: str,
    subject: Subject,
    *changes: FieldChange,
    detail: str = "",
) -> None:
    """Record one audited change in the current unit of work, as the (impersonated) actor."""
    uow.audit.record(
        AuditEntry(
            at=clock.now(),
            actor_id=actor.user_id,
            actor_name=actor.name,
            action=action,
            subject_type=subject.type,
            subject_id=subject.id,
            school_id=subject.school_id,
            impersonator_id=actor.impersonator_id,
            changes=changes,
            detail=detail,
        )
    )
