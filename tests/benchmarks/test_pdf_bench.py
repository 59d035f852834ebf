"""PDF benchmark (``make bench`` only): the app's overhead over bare xhtml2pdf, and batch speed-up.

Prints one line: ``BENCH pdf app_s=… bare_s=… ratio=… batch200_1p_s=… batch200_2p_s=… speedup=…``

* app_s: best of nine runs of ``render_document`` for a five-page Oki-doc with tables and the DLE
  chart (use case + Jinja2 + xhtml2pdf under the resource policy);
* bare_s: best of nine runs of ``pisa.CreatePDF`` on the very same HTML, with nothing of the app
  (only ``path`` set, so the relative font URLs resolve to the same files);
* batch200_*: ``elk docs export``'s engine writing 200 such Oki-docs from SQLite with one and
  with two worker processes (in four interleaved rounds of 50, pool start-up included).
  Targets: ratio <= 1.2, speed-up >= 1.7 (on two or more otherwise idle cores).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from pathlib import Path

from pypdf import PdfReader

from elk_adapters.bootstrap import bootstrap
from elk_adapters.documents import Xhtml2PdfRenderer
from elk_adapters.documents.resources import FONT_DIR
from elk_adapters.persistence.schema import upgrade_database
from elk_adapters.settings import Settings
from elk_cli.docs import export_documents
from elk_domain.documents.documents import DocumentKind, export_items, okidoc_document
from elk_domain.kernel.people import Actor, OrgKind
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation, SchoolYear
from elk_domain.okidoc.catalogue.samples import complete_fields
from elk_domain.okidoc.model import OkiDoc, OkiStatus
from elk_domain.okidoc.model import TestResult as Result
from elk_domain.organisation.model import Board, School
from elk_domain.pupils.model import Pupil
from elk_domain.testing import FixedClock

NOW = dt.datetime(2025, 3, 10, 9, tzinfo=dt.UTC)
RUNS = 9
BATCH = 200
ROUND = 50


def _okidoc(pupil_id: int) -> OkiDoc:
    subjects = ("Rekenen", "Begrijpend lezen", "Spelling", "Technisch lezen")
    results = tuple(
        Result(
            school_year=SchoolYear(2022 + i // 4),
            taken_on=dt.date(2023 + i // 4, 1, 20),
            test_name="LVS",
            subject=subjects[i % 4],
            score=str(40 + i),
            dle=25 + 3 * i,
            dl=34 + 3 * i,
            level="1F",
        )
        for i in range(12)
    )
    return OkiDoc(
        id=0,
        pupil_id=pupil_id,
        status=OkiStatus.VOLLEDIG,
        fields=complete_fields(NOW),
        test_results=results,
    )


def _settings(instance: Path) -> Settings:
    return Settings(
        env="test",
        instance_path=instance,
        database_url=f"sqlite:///{instance / 'elk.sqlite3'}",
        secret_key="bench-secret-key-0123456789",
    )


def _fill(settings: Settings, pupils: int) -> None:
    upgrade_database(settings)
    services = bootstrap(settings)
    address = Address.create(street="Laan", house_number="1", postcode="1181AB", city="Amstelveen")
    with services.uow() as uow:
        board = uow.boards.add(Board(0, "Stichting"))
        school = uow.schools.add(
            School(
                id=0,
                board_id=board.id,
                kind=OrgKind.PO,
                official_name="Basisschool De Regenboog",
                name="Basisschool De Regenboog",
                school_type="Basisschool",
                address=address,
                location=SchoolLocation.parse("12AB"),
            )
        )
        for number in range(pupils):
            pupil = uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(400000 + number),
                    school_id=school.id,
                    name=PersonName("Łukasz", f"Çelik {number}"),
                )
            )
            uow.okidocs.add(_okidoc(pupil.id))
        uow.commit()


def _best(times: list[float]) -> float:
    """The least disturbed run (as timeit advises): the app adds ~3 ms to ~600 ms of rendering,
    far less than what other processes on a shared machine add to a median."""
    return min(times)


def test_pdf_benchmark(tmp_path: Path) -> None:
    from xhtml2pdf import pisa

    settings = _settings(tmp_path / "instance")
    _fill(settings, BATCH)
    services = bootstrap(settings, clock=FixedClock(NOW))
    renderer = Xhtml2PdfRenderer()
    actor = Actor.system("bench")
    pupil_id = 1
    html = renderer.render_html(
        "okidoc.html", {"doc": okidoc_document(services.uow(), services.clock, actor, pupil_id)}
    )

    def app() -> bytes:
        document = okidoc_document(services.uow(), services.clock, actor, pupil_id)
        return renderer.render("okidoc.html", {"doc": document})

    def bare() -> bytes:
        out = io.BytesIO()
        pisa.CreatePDF(html, dest=out, path=str(FONT_DIR / "document.html"), encoding="utf-8")
        return out.getvalue()

    pages = len(PdfReader(io.BytesIO(app())).pages)
    assert len(PdfReader(io.BytesIO(bare())).pages) == pages
    app_times, bare_times = [], []
    for _ in range(RUNS):  # interleaved, so a busy moment hurts both alike
        for run, times in ((app, app_times), (bare, bare_times)):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
    app_s, bare_s = _best(app_times), _best(bare_times)

    items = export_items(services.uow(), actor, SchoolLocation.parse("12AB"), DocumentKind.OKIDOC)
    assert len(items) == BATCH
    # In rounds of 50, one and two workers in turn, so a busy moment on a shared machine hurts
    # both alike; each mode's time is the sum of its rounds (200 documents in all).
    batch = {1: 0.0, 2: 0.0}
    for start in range(0, BATCH, ROUND):
        chunk = items[start : start + ROUND]
        for workers in (1, 2):
            out = tmp_path / f"out{workers}"
            started = time.perf_counter()
            outcomes = export_documents(settings, DocumentKind.OKIDOC, chunk, out, workers=workers)
            batch[workers] += time.perf_counter() - started
            assert all(o.ok for o in outcomes)
    for workers in (1, 2):
        assert len(list((tmp_path / f"out{workers}").glob("*.pdf"))) == BATCH

    ratio = app_s / bare_s
    speedup = batch[1] / batch[2]
    # The printed line is the benchmark's result (make bench runs with -s).
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    info = f"{pages} pages per Oki-doc, {os.cpu_count()} CPUs, load average {load}"
    print(f"\n(PDF benchmark: {info})")  # noqa: T201
    print(  # noqa: T201
        f"BENCH pdf app_s={app_s:.3f} bare_s={bare_s:.3f} ratio={ratio:.2f} "
        f"batch200_1p_s={batch[1]:.1f} batch200_2p_s={batch[2]:.1f} speedup={speedup:.2f}"
    )
    # Judged by the printed line (targets: ratio <= 1.2, speed-up >= 1.7); a benchmark never
    # fails on wall time.
