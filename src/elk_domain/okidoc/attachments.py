"""Attachments on the Oki-doc (Bijlagen tab): upload checked by content, list, download.

One unit of work per upload, in the order of the project's rules: permission, then the
Oki-doc's status (a Definitief doc takes no uploads, ``lifecycle``), then the file itself (its
type by content, its size, a hostile archive: ``filetypes``). The file is kept under the
detected type's extension, never the uploader's (decision 0034).
"""

from __future__ import annotations

import hashlib

import attrs

from elk_domain.errors import NotFound, Rejected, Violation
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.filetypes import FileType, check_upload, known_type, stored_name
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action
from elk_domain.kernel.ports import Clock, FileStore
from elk_domain.kernel.support import Subject, audit
from elk_domain.okidoc import lifecycle
from elk_domain.okidoc.lifecycle import OkiAction
from elk_domain.okidoc.model import Attachment, OkiDoc, Source
from elk_domain.okidoc.ports import OkidocWork
from elk_domain.pupils.access import load_pupil

#: The kinds a school picks before uploading (the manual: "selecteer eerst het soort bijlage").
ATTACHMENT_KINDS = (
    "Handelingsplan",
    "Ontwikkelingsperspectief (OPP)",
    "Onderzoeksverslag",
    "Verslag leerlingbespreking",
    "Toestemmingsformulier ouders",
    "Overig",
)
NO_KIND = "Kies eerst het soort bijlage."
NO_FILE = "Kies eerst een bestand."


@attrs.frozen(kw_only=True)
class Upload:
    """A file as it came in from the form; the name is shown, never trusted for its type."""

    pupil_id: int
    kind: str
    filename: str
    data: bytes


def upload_attachment(
    uow: OkidocWork, files: FileStore, clock: Clock, actor: Actor, upload: Upload
) -> Attachment:
    """Attach a file to the pupil's Oki-doc; Rejected explains in Dutch what is wrong with it,
    IllegalTransition (a Conflict) when the Oki-doc is Definitief."""
    with uow:
        pupil = load_pupil(uow, actor, Action.EDIT_OKIDOC, upload.pupil_id)
        okidoc = uow.okidocs.for_pupil(pupil.id)
        lifecycle.apply(okidoc.status, OkiAction.ADD_ATTACHMENT)
        record = _stored(files, clock, actor, okidoc, upload, _checked(upload))
        uow.okidocs.update(attrs.evolve(okidoc, attachments=(*okidoc.attachments, record)))
        change = FieldChange("bijlage", None, f"{record.kind}: {record.filename}")
        subject = Subject(type="okidoc", id=okidoc.id, school_id=pupil.school_id)
        audit(uow, clock, actor, "okidoc.bijlage", subject, change)
        uow.commit()
    return record


def _checked(upload: Upload) -> FileType:
    """The detected type, or Rejected with every problem of the form at once."""
    violations = [] if upload.kind in ATTACHMENT_KINDS else [Violation("soort", NO_KIND)]
    found = None
    if not upload.data and not upload.filename.strip():
        violations.append(Violation("bestand", NO_FILE))
    else:
        try:
            found = check_upload(upload.data)
        except Rejected as refused:
            violations.extend(refused.violations)
    if found is None or violations:
        raise Rejected("De bijlage kan niet worden toegevoegd.", violations=violations)
    return found


def _stored(
    files: FileStore, clock: Clock, actor: Actor, okidoc: OkiDoc, upload: Upload, found: FileType
) -> Attachment:
    """The file put in the store, as the Oki-doc's record of it (the same content only once)."""
    name = stored_name(upload.filename, found)
    digest = hashlib.sha256(upload.data).hexdigest()
    if any(a.sha256 == digest for a in okidoc.attachments):
        raise Rejected(f"'{name}' is al eerder als bijlage toegevoegd.")
    return Attachment(
        kind=upload.kind,
        filename=name,
        content_type=found.content_type,
        size=len(upload.data),
        sha256=digest,
        storage_key=files.put(upload.data, content_type=found.content_type),
        added_at=clock.now(),
        added_by=actor.name,
        source=Source.HAND,
    )


def attachment_file(
    uow: OkidocWork, files: FileStore, actor: Actor, pupil_id: int, sha256: str
) -> tuple[Attachment, bytes]:
    """An attachment and its bytes, for whoever may see the pupil.

    The name offered for download ends in its type's extension also for a file uploaded
    before names were made to (an 'x.html' holding a GIF downloads as 'x.gif').
    """
    with uow:
        pupil = load_pupil(uow, actor, Action.VIEW_PUPIL, pupil_id)
        okidoc = uow.okidocs.for_pupil(pupil.id)
    for attachment in okidoc.attachments:
        if attachment.sha256 == sha256:
            found = known_type(attachment.content_type)
            if found is not None:
                attachment = attrs.evolve(
                    attachment, filename=stored_name(attachment.filename, found)
                )
            return attachment, files.get(attachment.storage_key)
    raise NotFound("Deze bijlage bestaat niet (meer).")
