"""The official business rules' messages about a fetched dossier, kept for the school (R-OKI-4).

A dossier that passes the XSD but breaks Edustandaard's business rules is still merged (decision
0044); what the rules said must not get lost in a sync result nobody reads again. So the messages
become one OSO notification for the pupil's school ("Herstel in het LAS"), stored once per
dossier version and set of messages, and an audit entry on the Oki-doc says what was kept.
"""

from __future__ import annotations

import hashlib

from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.people import Actor
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.support import Subject, audit
from elk_domain.okidoc.model import OkiDoc
from elk_domain.oso.delivery_point import NotificationKind, OsoNotification, StoredNotification
from elk_domain.oso.dossiers.dossier import OsoDossier, RuleMessage
from elk_domain.oso.ports import OsoWork
from elk_domain.pupils.model import Pupil

#: What the school is asked to do, in the notification and on the sync result.
FIX_IN_LAS = (
    "Het OSO-dossier wijkt af van de officiële regels van Edustandaard. Herstel dit in het LAS "
    "en synchroniseer daarna opnieuw."
)

#: The audit action; the Oki-doc's history names it (``logbooks.okidoc_history``).
AUDIT_ACTION = "okidoc.oso_regelmeldingen"


def message_text(message: RuleMessage) -> str:
    """One message as ELK shows it: the official text, then the rule and where in the dossier."""
    where = "; ".join(
        part
        for part in (
            f"regel {message.rule}" if message.rule else "",
            f"plaats {message.location}" if message.location else "",
        )
        if part
    )
    return f"{message.text} ({where})" if where else message.text


def notification_for(pupil: Pupil, dossier: OsoDossier, clock: Clock) -> OsoNotification:
    """The school's notification about the dossier's rule messages, keyed by their content."""
    lines = [message_text(m) for m in dossier.rule_messages]
    text = f"{pupil.name.full()}: {FIX_IN_LAS} " + " ".join(
        f"Melding {n}: {line}" for n, line in enumerate(lines, start=1)
    )
    return OsoNotification(
        location=dossier.sender,
        key=_key(dossier),
        kind=NotificationKind.FIX_IN_LAS,
        at=clock.now(),
        text=text,
        bsn=dossier.bsn,
    )


def _key(dossier: OsoDossier) -> str:
    """The same dossier version with the same messages gives the same key: kept once."""
    digest = hashlib.sha256()
    for part in (str(dossier.bsn), dossier.dossier_date.isoformat()):
        digest.update(part.encode() + b"\0")
    for m in dossier.rule_messages:
        digest.update(f"{m.rule}\0{m.severity}\0{m.location}\0{m.text}\0".encode())
    return "elk-regels-" + digest.hexdigest()[:40]


def keep_rule_messages(
    uow: OsoWork, clock: Clock, actor: Actor, pupil: Pupil, okidoc: OkiDoc, dossier: OsoDossier
) -> bool:
    """Store the dossier's rule messages as a notification for the pupil's school and audit it,
    in the open transaction; False when there are none or they were kept before."""
    if not dossier.rule_messages:
        return False
    notification = notification_for(pupil, dossier, clock)
    stored = StoredNotification(
        id=0, school_id=pupil.school_id, notification=notification, received_at=clock.now()
    )
    if not uow.oso_notifications.add(stored):
        return False
    changes = [
        FieldChange(f"OSO-regel {m.rule}".strip(), None, message_text(m))
        for m in dossier.rule_messages
    ]
    subject = Subject(type="okidoc", id=okidoc.id, school_id=pupil.school_id)
    detail = (
        f"bewaard als OSO-notificatie; {dossier.sender_label} {dossier.dossier_date.isoformat()}"
    )
    audit(uow, clock, actor, AUDIT_ACTION, subject, *changes, detail=detail)
    return True
