"""Xhtml2PdfRenderer: PDFs rendered for real, then opened and read back with pypdf.

Rendering costs about half a second, so each document is rendered once per module and several
tests read the same PDF.
"""

from __future__ import annotations

import datetime as dt
import http.server
import io
import itertools
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from elk_adapters.documents import Xhtml2PdfRenderer
from elk_adapters.documents.renderer import html_to_pdf
from elk_adapters.documents.resources import FONT_DIR, link_callback
from elk_adapters.persistence.database import SqlAlchemyUnitOfWork, make_engine
from elk_domain.documents.documents import DocumentKind, render_consent_form, render_document
from elk_domain.kernel.people import Actor, OrgKind, Role
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation, SchoolYear
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.catalogue.samples import complete_fields
from elk_domain.okidoc.fields import Kind, Tab
from elk_domain.okidoc.model import FieldValue, OkiDoc, OkiStatus, Provenance, Source
from elk_domain.okidoc.model import TestResult as Result
from elk_domain.organisation.model import Board, School
from elk_domain.parents.registration import (
    FirstChoiceOptions,
    PreferenceList,
    PriorityClaim,
    PriorityKind,
    Registration,
)
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock
from elk_domain.unit_of_work import UnitOfWork

NOW = dt.datetime(2025, 3, 10, 9, tzinfo=dt.UTC)
TEACHER = Actor(user_id=4, name="Eva", role=Role.END_USER, board_id=1, school_id=1)
NAMES = ("Łukasz", "Çelik", "Nguyễn", "Ørsted", "Dvořák", "Şahin")
HOSTILE = (
    '<b>vet</b> <img src="file:///etc/passwd"> <img src="/etc/hostname"> '
    'http://169.254.169.254/latest/meta-data/ <a href="https://example.org/">klik</a>'
)
PROCEDURE = "amsterdam"  # uses the Ind. LWOO/PrO tab, so every tab has fields


def _school(kind: OrgKind, name: str, brin: str) -> School:
    address = Address.create(street="Laan", house_number="1", postcode="1181AB", city="Amstelveen")
    return School(
        id=0,
        board_id=1,
        kind=kind,
        official_name=name,
        name=name,
        school_type="school",
        address=address,
        location=SchoolLocation.parse(brin),
        offers_priority=True,
    )


def _value(kind: Kind, index: int) -> object:
    """A distinctive value per field kind, so the test can find it in the PDF."""
    return {
        Kind.BOOL: True,
        Kind.DATE: dt.date(2025, 2, 1),
        Kind.INTEGER: 3,
    }.get(kind, f"waarde{index:03d}")


def _filled_fields(hostile_path: str) -> dict[str, FieldValue]:
    """Every field of every tab filled (two parents), names with diacritics, one hostile text."""
    provenance = Provenance(Source.OSO, NOW, "LAS")
    fields = complete_fields(NOW)
    for index, spec in enumerate(s for tab in Tab for s in f.fields_of(tab, parents=2)):
        if spec.path not in fields and spec.kind is not Kind.CHOICE:
            fields[spec.path] = FieldValue(_value(spec.kind, index), provenance)  # type: ignore[arg-type]
    fields[f.PUPIL_FIRST_NAME] = FieldValue("Łukasz", provenance)
    fields[f.PUPIL_LAST_NAME] = FieldValue("Çelik", provenance)
    fields["ouders.1.voornaam"] = FieldValue("Ørsted", provenance)
    fields["ouders.1.achternaam"] = FieldValue("Nguyễn", provenance)
    fields["ouders.1.woonplaats"] = FieldValue("Dvořák Şahin", provenance)
    fields[hostile_path] = FieldValue(HOSTILE, provenance)
    return fields


def _results(count: int) -> tuple[Result, ...]:
    subjects = ("Rekenen", "Begrijpend lezen", "Spelling", "Technisch lezen")
    return tuple(
        Result(
            school_year=SchoolYear(2022 + i % 3),
            taken_on=dt.date(2023 + i % 3, 1 + i % 12, 1 + i % 28),
            test_name=f"LVS toets {i}",
            subject=subjects[i % 4],
            score=str(i),
            dle=20 + i % 30,
            dl=40 + i % 15,
            level="1F",
        )
        for i in range(count)
    )


UowFactory = Callable[[], UnitOfWork]
Store = Callable[..., UowFactory]


@pytest.fixture(scope="module")
def store(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """``store(okidoc, registration=None)``: a migrated SQLite database of its own holding a PO
    school, two VO schools, the pupil and ``okidoc``; returns its unit-of-work factory."""
    folder = tmp_path_factory.mktemp("documents")
    count = itertools.count()

    def stored(okidoc: OkiDoc, registration: Registration | None = None) -> UowFactory:
        path = folder / f"elk-{next(count)}.sqlite3"
        shutil.copyfile(sqlite_template, path)
        engine = make_engine(f"sqlite:///{path}")
        with SqlAlchemyUnitOfWork(engine) as uow:
            uow.boards.add(Board(0, "Stichting Regenboog"))
            po = uow.schools.add(_school(OrgKind.PO, "Basisschool De Regenboog", "12AB"))
            uow.schools.add(_school(OrgKind.VO, "Het Ørsted Lyceum", "34CD"))
            uow.schools.add(_school(OrgKind.VO, "Het College", "56EF"))
            uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(100001),
                    school_id=po.id,
                    name=PersonName("Łukasz", "Çelik"),
                )
            )
            uow.okidocs.add(okidoc)
            if registration is not None:
                uow.registrations.add(registration)
            uow.commit()
        return lambda: SqlAlchemyUnitOfWork(engine)

    return stored


def _render(uow: UowFactory, kind: DocumentKind, procedure: str = PROCEDURE) -> bytes:
    clock = FixedClock(NOW)
    renderer = Xhtml2PdfRenderer()
    return render_document(uow(), clock, renderer, TEACHER, kind, 1, procedure=procedure).data


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _images(pdf: bytes) -> int:
    """Raster images on all pages (the DLE chart is vector graphics, not an image)."""
    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page.get("/Resources") or {}
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get_object().get("/Subtype") == "/Image":
                count += 1
    return count


@pytest.fixture(scope="module")
def okidoc_pdf(store: Store) -> bytes:
    okidoc = OkiDoc(
        id=0,
        pupil_id=1,
        status=OkiStatus.VOLLEDIG,
        fields=_filled_fields(f.ADVICE_PROVISIONAL_8_GROUNDS),
        test_results=_results(8),
    )
    return _render(store(okidoc), DocumentKind.OKIDOC)


class TestOkidocPdf:
    def test_every_tab_and_every_field_label_and_value_appear(self, okidoc_pdf: bytes) -> None:
        text = _flat(" ".join(_pages(okidoc_pdf)))
        for tab in Tab:
            assert f"Tabblad {tab.label}" in text
            for spec in f.fields_of(tab, parents=2):
                assert _flat(spec.label) in text, spec.path
        for value in ("waarde", "Ja", "01-02-2025", "Meisje", "havo/vwo"):
            assert value in text
        assert len(set(re.findall(r"waarde\d{3}", text))) > 40

    def test_names_with_diacritics_are_extractable_text_in_the_embedded_font(
        self, okidoc_pdf: bytes
    ) -> None:
        text = " ".join(_pages(okidoc_pdf))
        for name in NAMES:
            assert name in text
        fonts = {
            str(font.get_object()["/BaseFont"])
            for page in PdfReader(io.BytesIO(okidoc_pdf)).pages
            for font in page["/Resources"]["/Font"].values()
        }
        assert any("DejaVuSans" in font for font in fonts), fonts

    def test_hostile_text_appears_as_text_and_loads_nothing(self, okidoc_pdf: bytes) -> None:
        text = _flat(" ".join(_pages(okidoc_pdf)))
        assert _flat(HOSTILE) in text
        assert "root:" not in text
        assert _images(okidoc_pdf) == 0

    def test_every_page_has_header_and_footer(self, okidoc_pdf: bytes) -> None:
        pages = _pages(okidoc_pdf)
        assert len(pages) >= 4
        for number, page in enumerate(pages, start=1):
            assert "Łukasz Çelik" in page
            assert "ELK-nummer 100001" in page
            assert "Basisschool De Regenboog" in page
            assert "afgedrukt op 10-03-2025" in page
            assert f"Pagina {number} van {len(pages)}" in page

    def test_the_dle_chart_is_drawn_with_its_table(self, okidoc_pdf: bytes) -> None:
        text = _flat(" ".join(_pages(okidoc_pdf)))
        assert "DL (maanden)" in text  # svglib drew the chart's own text
        assert "100% leerrendement" in text
        assert "Rekenen (01-01-2023)" in text


class TestHugeOkidoc:
    def test_many_tests_and_long_texts_give_a_sane_page_count(self, store: Store) -> None:
        words = " ".join(f"woord{i}" for i in range(300))
        fields = _filled_fields(f.ADVICE_PROVISIONAL_8_GROUNDS)
        provenance = Provenance(Source.HAND, NOW, "Eva")
        long_texts = [s for s in f.CATALOGUE if s.kind is Kind.LONGTEXT and not s.is_template]
        for spec in long_texts:
            fields[spec.path] = FieldValue("\n".join([words] * 3), provenance)
        okidoc = OkiDoc(id=0, pupil_id=1, fields=fields, test_results=_results(80))
        pages = _pages(_render(store(okidoc), DocumentKind.OKIDOC))
        # 20 long texts of 900 words and 80 results: a few dozen pages, not hundreds
        assert 15 <= len(pages) <= 60
        assert f"Pagina {len(pages)} van {len(pages)}" in pages[-1]
        text = _flat(" ".join(pages))
        assert len(long_texts) == 20  # with the doorstroomtoets scores (issue 17)
        assert text.count("woord299") == len(long_texts) * 3
        assert "LVS toets 79" in text


class TestRegistrationPdf:
    def test_without_registration_it_says_there_is_none(self, store: Store) -> None:
        okidoc = OkiDoc(id=0, pupil_id=1, fields=_filled_fields(f.PARENT_EMAIL))
        text = _flat(" ".join(_pages(_render(store(okidoc), DocumentKind.REGISTRATION))))
        assert "Er is nog geen aanmelding voor deze leerling." in text
        assert "Voorkeurslijst" not in text
        assert "Łukasz Çelik" in text

    def test_lists_preferences_and_first_choice_options(self, store: Store) -> None:
        chosen = PreferenceList(
            school_ids=(2, 3),
            first_choice=FirstChoiceOptions(
                priority_claim=PriorityClaim(PriorityKind.SIBLING, "Zoë Çelik", "2b"),
                multiple_birth=True,
            ),
        )
        registration = Registration(
            id=0,
            pupil_id=1,
            procedure="amstelland",
            preferences=chosen,
            definitive=chosen,
            updated_at=NOW,
            definitive_at=NOW,
        )
        okidoc = OkiDoc(id=0, pupil_id=1, fields=_filled_fields(f.PARENT_EMAIL))
        pdf = _render(store(okidoc, registration), DocumentKind.REGISTRATION, "amstelland")
        pages = _pages(pdf)
        text = _flat(" ".join(pages))
        assert "1e keuze Het Ørsted Lyceum, Laan 1, Amstelveen" in text
        assert "2e keuze Het College, Laan 1, Amstelveen" in text
        assert "Broer of zus op deze school: Zoë Çelik (klas 2b)" in text
        assert "Meerling, aangemeld bij dezelfde school Ja" in text
        assert "Status aanmelding Definitief" in text
        assert "Kernprocedure Amstelland" in text
        assert f"Pagina 1 van {len(pages)}" in pages[0]


class TestConsentForm:
    def test_is_the_lat_form_for_parents_to_sign(self) -> None:
        pdf = render_consent_form(FixedClock(NOW), Xhtml2PdfRenderer())
        text = _flat(" ".join(_pages(pdf.data)))
        assert "Toestemming ouders voor het LAT-onderzoek" in text
        assert "Kernprocedure Amsterdam" in text
        assert "Handtekening" in text
        assert "☐" in text


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 - shared on purpose: the test reads it afterwards

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    _CountingHandler.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class TestResourceConfinement:
    def test_raw_markup_cannot_read_files_or_reach_the_network(
        self, tmp_path: Path, local_server: str
    ) -> None:
        # The templates escape user text, so this markup can only come from a template bug;
        # the resource policy must hold even then.
        png = tmp_path / "beeld.png"
        png.write_bytes(_tiny_png())
        html = f"""<html><head><style>
            @import url("{local_server}/import.css");
            @font-face {{ font-family: x; src: url("{local_server}/font.ttf"); }}
            </style></head><body>
            <img src="file:///etc/passwd"><img src="{png}"><img src="file://{png}">
            <img src="{local_server}/pixel.png"><img src="https://example.org/x.png">
            <img src="../renderer.py"><img src="ftp://example.org/x.png">
            <p>tekst</p></body></html>"""
        pdf = html_to_pdf(html)
        assert _CountingHandler.hits == []
        assert _images(pdf) == 0
        assert "tekst" in " ".join(_pages(pdf))

    def test_link_callback_resolves_only_the_embedded_fonts(self) -> None:
        assert link_callback("DejaVuSans.ttf") == str(FONT_DIR / "DejaVuSans.ttf")
        assert link_callback("DejaVuSans-Bold.ttf", None) == str(FONT_DIR / "DejaVuSans-Bold.ttf")
        for refused in (
            "file:///etc/passwd",
            "/etc/passwd",
            "../renderer.py",
            "../../../../etc/passwd.ttf",
            "http://127.0.0.1/x.ttf",
            "LICENSE.txt",
            "Missing.ttf",
            "data:font/ttf;base64,AAAA",
        ):
            assert link_callback(refused) is None, refused

    def test_fonts_ship_with_their_licence(self) -> None:
        assert (FONT_DIR / "LICENSE.txt").read_text(encoding="utf-8").startswith("DejaVu Sans")


def _tiny_png() -> bytes:
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
