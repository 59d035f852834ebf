"""Attachments on the Oki-doc (Bijlagen tab): upload checked by content, list, download."""

from __future__ import annotations

import attrs

from elk_domain.errors import NotFound
from elk_domain.filetypes import check_upload
from elk_domain.model.okidoc import Attachment
from elk_domain.model.people import Actor
from elk_domain.permissions import Action
from elk_domain.ports import Clock, FileStore, UnitOfWork
from elk_domain.services import okidocs
from elk_domain.services._support import load_pupil

#: The kinds a school picks before uploading (the manual: "selecteer eerst het soort bijlage").
ATTACHMENT_KINDS = (
    "Handelingsplan",
    "Ontwikkelingsperspectief (OPP)",
    "Onderzoeksverslag",
    "Verslag leerlingbespreking",
    "Toestemmingsformulier ouders",
    "Overig",
)


@attrs.frozen(kw_only=True)
class Upload:
    """A file as it came in from the form; the name is shown, never trusted for its type."""

    pupil_id: int
    kind: str
    filename: str
    data: bytes


def upload_attachment(
    uow: UnitOfWork, files: FileStore, clock: Clock, actor: Actor, upload: Upload
) -> Attachment:
    """Check the content (type and size), then attach it; Rejected explains in Dutch."""
    found = check_upload(upload.data)
    name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    if "." not in name:
        name = f"{name or 'bijlage'}.{found.extension}"
    return okidocs.add_attachment(
        uow,
        files,
        clock,
        actor,
        upload.pupil_id,
        kind=upload.kind if upload.kind in ATTACHMENT_KINDS else "",
        filename=name,
        content_type=found.content_type,
        data=upload.data,
    )


def attachment_file(
    uow: UnitOfWork, files: FileStore, actor: Actor, pupil_id: int, sha256: str
) -> tuple[Attachment, bytes]:
    """An attachment and its bytes, for whoever may see the pupil."""
    with uow:
        pupil = load_pupil(uow, actor, Action.VIEW_PUPIL, pupil_id)
        okidoc = uow.okidocs.for_pupil(pupil.id)
    for attachment in okidoc.attachments:
        if attachment.sha256 == sha256:
            return attachment, files.get(attachment.storage_key)
    raise NotFound("Deze bijlage bestaat niet (meer).")
