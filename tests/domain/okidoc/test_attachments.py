"""The attachments use case: who may upload, when, what is checked, and the name it is kept as."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from elk_domain.errors import ErrorKind, IllegalTransition, NotFound, Rejected
from elk_domain.kernel.filetypes import MAX_UPLOAD_BYTES
from elk_domain.kernel.people import Actor, OrgKind, Role
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import okidocs
from elk_domain.okidoc.attachments import Upload, attachment_file, upload_attachment
from elk_domain.okidoc.model import Attachment, OkiDoc, OkiStatus, Source
from elk_domain.organisation.model import School
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock, InMemoryFileStore, InMemoryUnitOfWork

NOW = dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC)
TEACHER = Actor(user_id=4, name="Eva", role=Role.END_USER, board_id=1, school_id=1)
STRANGER = Actor(user_id=9, name="Piet", role=Role.END_USER, board_id=2, school_id=2)
PDF = b"%PDF-1.4\n%%EOF\n"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
OLE2 = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 16
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _world(status: OkiStatus = OkiStatus.ONVOLLEDIG) -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        school = uow.schools.add(
            School(
                id=0,
                board_id=1,
                kind=OrgKind.PO,
                official_name="De Regenboog",
                name="Regenboog",
                school_type="Basisschool",
                address=Address.create(
                    street="Laan", house_number="1", postcode="1181AB", city="A"
                ),
                location=SchoolLocation.parse("12AB00"),
            )
        )
        pupil = uow.pupils.add(
            Pupil(
                id=0,
                elk_number=ElkNumber(100001),
                school_id=school.id,
                name=PersonName("Sam", "Jansen"),
            )
        )
        uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id, status=status))
        uow.commit()
    return uow


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    return _world()


@pytest.fixture
def files() -> InMemoryFileStore:
    return InMemoryFileStore()


def _upload(
    uow: InMemoryUnitOfWork,
    files: InMemoryFileStore,
    data: bytes,
    filename: str = "plan.pdf",
    *,
    kind: str = "Handelingsplan",
    actor: Actor = TEACHER,
) -> Attachment:
    upload = Upload(pupil_id=1, kind=kind, filename=filename, data=data)
    return upload_attachment(uow, files, FixedClock(NOW), actor, upload)


class TestUpload:
    def test_upload_is_stored_listed_and_audited(
        self, uow: InMemoryUnitOfWork, files: InMemoryFileStore
    ) -> None:
        record = _upload(uow, files, PDF)
        assert (record.filename, record.content_type, record.added_by) == (
            "plan.pdf",
            "application/pdf",
            "Eva",
        )
        assert okidocs.get_okidoc(uow, TEACHER, 1).attachments == (record,)
        assert files.get(record.storage_key) == PDF
        (entry,) = uow.store.audit
        assert (entry.action, entry.changes[0].new) == (
            "okidoc.bijlage",
            "Handelingsplan: plan.pdf",
        )
        assert attachment_file(uow, files, TEACHER, 1, record.sha256) == (record, PDF)

    def test_the_same_content_is_attached_only_once(
        self, uow: InMemoryUnitOfWork, files: InMemoryFileStore
    ) -> None:
        _upload(uow, files, PDF)
        with pytest.raises(Rejected, match="al eerder"):
            _upload(uow, files, PDF, "b.pdf")
        assert len(files.files) == 1

    def test_unknown_kinds_are_not_stored(
        self, uow: InMemoryUnitOfWork, files: InMemoryFileStore
    ) -> None:
        with pytest.raises(Rejected) as caught:
            _upload(uow, files, PDF, kind="<script>")
        assert [v.path for v in caught.value.violations] == ["soort"]


class TestEmptyUploads:
    def test_no_file_chosen_says_so_with_the_missing_kind(
        self, uow: InMemoryUnitOfWork, files: InMemoryFileStore
    ) -> None:
        with pytest.raises(Rejected) as caught:
            _upload(uow, files, b"", "", kind=" ")
        assert [(v.path, v.message) for v in caught.value.violations] == [
            ("soort", "Kies eerst het soort bijlage."),
            ("bestand", "Kies eerst een bestand."),
        ]

    def test_a_zero_byte_file_is_called_empty(
        self, uow: InMemoryUnitOfWork, files: InMemoryFileStore
    ) -> None:
        with pytest.raises(Rejected) as caught:
            _upload(uow, files, b"", "leeg.pdf")
        assert [(v.path, v.message) for v in caught.value.violations] == [
            ("bestand", "Het bestand is leeg.")
        ]
        assert files.files == {}

    def test_too_large_is_refused(self, uow: InMemoryUnitOfWork, files: InMemoryFileStore) -> None:
        with pytest.raises(Rejected) as caught:
            _upload(uow, files, PDF + b"0" * MAX_UPLOAD_BYTES)
        assert [v.message for v in caught.value.violations] == ["Het bestand is groter dan 10 MB."]


class TestStoredName:
    @pytest.mark.parametrize(
        ("data", "given", "stored", "content_type"),
        [
            (GIF, "plaatje.html", "plaatje.gif", "image/gif"),
            (GIF, "x.svg", "x.gif", "image/gif"),
            (PDF, "verslag", "verslag.pdf", "application/pdf"),
            (PDF, "..\\..\\map/verslag.PDF", "verslag.PDF", "application/pdf"),
            (b"\xff\xd8\xff\xe0....", "foto.jpeg", "foto.jpeg", "image/jpeg"),
            (OLE2, "cijfers.xls", "cijfers.xls", "application/x-ole-storage"),
            (OLE2, "cijfers.exe", "cijfers.doc", "application/x-ole-storage"),
            (PDF, " .pdf", "bijlage.pdf", "application/pdf"),
            (PDF, "rapport.\x00html", "rapport.pdf", "application/pdf"),
        ],
        ids=["html-gif", "svg-gif", "no-ext", "path", "alias", "ole2-xls", "ole2-exe", "no-stem",
             "control"],
    )  # fmt: skip
    def test_the_detected_type_decides_the_extension(
        self,
        uow: InMemoryUnitOfWork,
        files: InMemoryFileStore,
        data: bytes,
        given: str,
        stored: str,
        content_type: str,
    ) -> None:
        record = _upload(uow, files, data, given)
        assert (record.filename, record.content_type) == (stored, content_type)


class TestDownload:
    @pytest.mark.parametrize(
        ("filename", "content_type", "offered"),
        [
            ("x.html", "image/gif", "x.gif"),  # stored before names followed the type
            ("plan.pdf", "application/pdf", "plan.pdf"),
            ("scan.jpeg", "image/jpeg", "scan.jpeg"),
            ("verslag.odt", "application/vnd.oasis.opendocument.text", "verslag.odt"),
            ("brief.docx", DOCX, "brief.docx"),
            ("dossier.zip", "application/zip", "dossier.zip"),  # from OSO: not an upload type
        ],
    )
    def test_the_offered_name_ends_in_the_types_extension(
        self, files: InMemoryFileStore, filename: str, content_type: str, offered: str
    ) -> None:
        uow = _world()
        record = Attachment(
            kind="Overig",
            filename=filename,
            content_type=content_type,
            size=3,
            sha256="a" * 64,
            storage_key=files.put(b"abc", content_type=content_type),
            added_at=NOW,
            added_by="Eva",
            source=Source.HAND,
        )
        with uow:
            okidoc = uow.okidocs.for_pupil(1)
            uow.okidocs.update(attrs.evolve(okidoc, attachments=(record,)))
            uow.commit()
        found, data = attachment_file(uow, files, TEACHER, 1, "a" * 64)
        assert (found.filename, found.content_type, data) == (offered, content_type, b"abc")


class TestWhoAndWhen:
    def test_a_definitief_oki_doc_takes_no_uploads(self, files: InMemoryFileStore) -> None:
        uow = _world(OkiStatus.DEFINITIEF)
        with pytest.raises(IllegalTransition, match="definitief") as caught:
            _upload(uow, files, PDF)
        assert caught.value.kind is ErrorKind.CONFLICT
        assert "bijlage" in caught.value.message
        assert files.files == {}
        assert okidocs.get_okidoc(uow, TEACHER, 1).attachments == ()

    def test_permission_is_checked_before_the_file(
        self, uow: InMemoryUnitOfWork, files: InMemoryFileStore
    ) -> None:
        with pytest.raises(NotFound):
            _upload(uow, files, b"", "", actor=STRANGER)

    def test_the_status_is_checked_before_the_file(self, files: InMemoryFileStore) -> None:
        with pytest.raises(IllegalTransition):
            _upload(_world(OkiStatus.DEFINITIEF), files, b"MZ not a pdf")
