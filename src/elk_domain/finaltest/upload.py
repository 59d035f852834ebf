"""The result file uploaded on the school's page (R-DT-2): kept in the file store until imported.

``stage_upload`` checks the permission, reads and matches the file (a refused file is never
stored) and puts its bytes in the ``FileStore``; the web keeps only the returned
``StagedUpload`` (a random key, the school and the uploader) between the preview and the
import. ``import_page`` shows the preview again (re-read and re-matched, so it is never
stale), ``import_staged`` imports it in one transaction with the school's choices for the
uncertain lines and then removes the file. An upload is usable only by the user who made it,
for the school it was made for.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from elk_domain.errors import NotFound
from elk_domain.finaltest.ports import FinalTestWork, ResultFileReader
from elk_domain.finaltest.result_import import (
    ImportPreview,
    ImportReport,
    ImportResults,
    school_import,
    school_preview,
)
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action, Scope, require
from elk_domain.kernel.ports import Clock, FileStore
from elk_domain.organisation.model import School

GONE = "Het bestand is niet meer beschikbaar. Upload het opnieuw."
NO_SCHOOL = (
    "Importeren kan alleen voor de eigen school. Een beheerder leest een bestand in met "
    "'elk finaltest import'."
)


@attrs.frozen(kw_only=True)
class StagedUpload:
    """Where an uploaded result file waits for its import; nothing of its contents."""

    key: str
    school_id: int
    user_id: int
    filename: str

    def as_dict(self) -> dict[str, object]:
        """For the web session (a reference only: the bytes stay in the file store)."""
        return attrs.asdict(self)

    @classmethod
    def from_dict(cls, raw: object) -> StagedUpload | None:
        """Back from the session; None when absent or not of this shape."""
        if not isinstance(raw, Mapping):
            return None
        try:
            staged = cls(
                key=str(raw["key"]),
                school_id=int(raw["school_id"]),
                user_id=int(raw["user_id"]),
                filename=str(raw["filename"]),
            )
        except (KeyError, TypeError, ValueError):
            return None
        return staged


def _own_school(uow: FinalTestWork, actor: Actor) -> School:
    if actor.school_id is None:
        raise NotFound(NO_SCHOOL)
    school = uow.schools.get(actor.school_id)
    require(actor, Action.IMPORT_FINAL_TEST, Scope.for_school(school))
    return school


def _staged_school(uow: FinalTestWork, actor: Actor, staged: StagedUpload) -> School:
    if staged.user_id != actor.user_id or staged.school_id != actor.school_id:
        raise NotFound(GONE)
    return _own_school(uow, actor)


def stage_upload(
    uow: FinalTestWork,
    files: FileStore,
    reader: ResultFileReader,
    actor: Actor,
    *,
    filename: str,
    data: bytes,
    replaces: StagedUpload | None = None,
) -> tuple[StagedUpload, ImportPreview]:
    """Check and keep the file for the actor's school; its preview. Rejected: nothing kept.

    The upload it ``replaces`` (the previous file of the same user) is removed once the new
    one is kept.
    """
    with uow:
        school = _own_school(uow, actor)  # permission before the file is looked at
        preview = school_preview(uow, reader, actor, school, data)
    key = files.put(data, content_type="application/zip")
    if replaces is not None and replaces.user_id == actor.user_id:
        files.delete(replaces.key)
    name = "".join(c for c in filename.replace("\\", "/").rsplit("/", 1)[-1] if c.isprintable())
    staged = StagedUpload(key=key, school_id=school.id, user_id=actor.user_id, filename=name[:120])
    return staged, preview


def import_staged(
    uow: FinalTestWork,
    files: FileStore,
    clock: Clock,
    reader: ResultFileReader,
    actor: Actor,
    staged: StagedUpload,
    choices: Mapping[int, int],
    *,
    uses_lwoo_pro: bool = False,
) -> ImportReport:
    """Import the kept file with the school's choices, in one transaction; then drop the file."""
    with uow:
        school = _staged_school(uow, actor, staged)
        command = ImportResults(
            brin=str(school.location),
            data=_bytes(files, staged),
            choices=choices,
            uses_lwoo_pro=uses_lwoo_pro,
        )
        report = school_import(uow, clock, reader, actor, school, command)
        uow.commit()
    files.delete(staged.key)
    return report


@attrs.frozen(kw_only=True)
class ImportPage:
    """The school's import page: its school, and the preview of the kept file if any."""

    school: School
    preview: ImportPreview | None = None
    gone: bool = False  # a kept file was expected but is no longer there


def import_page(
    uow: FinalTestWork,
    files: FileStore,
    reader: ResultFileReader,
    actor: Actor,
    staged: StagedUpload | None,
) -> ImportPage:
    """What the page shows: the upload form, and the preview once a file is kept."""
    with uow:
        school = _own_school(uow, actor)
        if staged is None:
            return ImportPage(school=school)
        try:
            _staged_school(uow, actor, staged)
            data = _bytes(files, staged)
        except NotFound:
            return ImportPage(school=school, gone=True)
        return ImportPage(school=school, preview=school_preview(uow, reader, actor, school, data))


def _bytes(files: FileStore, staged: StagedUpload) -> bytes:
    try:
        return files.get(staged.key)
    except NotFound:
        raise NotFound(GONE) from None
