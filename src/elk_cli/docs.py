"""``elk docs export``: every pupil's Oki-doc or registration form of one school as PDF files.

Rendering is CPU-bound, so the pupils are spread over worker processes; each worker wires its
own services from the settings (nothing is shared but the database). Every document is written
on its own: one failure is reported and the rest go on. Files are written under a temporary
name and renamed, so running the export twice simply replaces them.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import attrs
import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from elk_adapters.bootstrap import Services, bootstrap
from elk_adapters.settings import Settings
from elk_cli.console import console, load_settings, table
from elk_cli.errors import EXIT_CODES
from elk_domain.documents.documents import DocumentKind, ExportItem, export_items, render_document
from elk_domain.errors import ElkError, Rejected
from elk_domain.kernel.people import Actor
from elk_domain.kernel.values import SchoolLocation

ACTOR_NAME = "elk docs export"
UNEXPECTED_EXIT = 1

# A render allocates and frees a lot. CPython's allocator hands freed arenas back to the kernel
# and faults fresh pages in for the next document; on the 2-vCPU virtual machines we run on,
# those page faults did not scale across processes (an allocation-heavy loop: two processes
# 0.8x the throughput of one; with glibc malloc and trimming off, 1.7x). So the workers use
# glibc malloc and keep their heap: each pays for its pages once. The settings reach them
# through the fork server's environment; a worker's memory stays at its high-water mark.
WORKER_ENVIRONMENT = {
    "PYTHONMALLOC": "malloc",
    "MALLOC_TRIM_THRESHOLD_": str(1 << 30),
    "MALLOC_MMAP_THRESHOLD_": str(1 << 30),
    "MALLOC_TOP_PAD_": str(64 << 20),
}


@attrs.frozen(kw_only=True)
class Outcome:
    """What happened to one document; crosses the process boundary, so plain values only."""

    pupil_id: int
    filename: str
    ok: bool
    message: str = ""
    exit_code: int = 0
    size: int = 0


_worker: dict[str, Services] = {}


def _init_worker(settings: Settings) -> None:
    """Runs once in every worker process: its own services (database engine, renderer)."""
    _worker["services"] = bootstrap(settings)


def _export_one(kind: DocumentKind, item: ExportItem, out: Path) -> Outcome:
    """Render and write one document in a worker; every failure becomes an Outcome."""
    services = _worker["services"]
    try:
        document = render_document(
            services.uow(),
            services.clock,
            services.documents,
            Actor.system(ACTOR_NAME),
            kind,
            item.pupil_id,
            procedure=services.settings.procedure,
        )
        target = out / item.filename
        partial = target.with_suffix(".pdf.part")
        partial.write_bytes(document.data)
        partial.replace(target)
    except ElkError as error:
        code = EXIT_CODES[error.kind]
        return Outcome(
            pupil_id=item.pupil_id,
            filename=item.filename,
            ok=False,
            message=error.message,
            exit_code=code,
        )
    except Exception as error:  # one broken document must not stop the batch
        return Outcome(
            pupil_id=item.pupil_id,
            filename=item.filename,
            ok=False,
            message=f"Onverwachte fout: {type(error).__name__}: {error}",
            exit_code=UNEXPECTED_EXIT,
        )
    return Outcome(pupil_id=item.pupil_id, filename=item.filename, ok=True, size=len(document.data))


def export_documents(
    settings: Settings,
    kind: DocumentKind,
    items: Sequence[ExportItem],
    out: Path,
    *,
    workers: int,
    on_outcome: Callable[[Outcome], None] = lambda _: None,
) -> list[Outcome]:
    """Render ``items`` in ``workers`` processes into ``out``; outcomes in completion order."""
    out.mkdir(parents=True, exist_ok=True)
    context = start_worker_server()
    outcomes: list[Outcome] = []
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(settings,)
    ) as pool:
        futures = [pool.submit(_export_one, kind, item, out) for item in items]
        for future in as_completed(futures):
            outcome = future.result()
            outcomes.append(outcome)
            on_outcome(outcome)
    return outcomes


def start_worker_server() -> multiprocessing.context.BaseContext:
    """The process context for render workers, with its fork server running (idempotent).

    Not a plain fork: the parent holds database connections and rich's refresh thread. The
    fork server starts clean once, with ``WORKER_ENVIRONMENT``, imports the heavy libraries
    once, and forks the workers from there.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["elk_cli.docs", "xhtml2pdf.pisa"])
    saved = {name: os.environ.get(name) for name in WORKER_ENVIRONMENT}
    os.environ.update(WORKER_ENVIRONMENT)
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return context


def _location(_: click.Context, __: click.Parameter, value: str) -> SchoolLocation:
    try:
        return SchoolLocation.parse(value)
    except Rejected as exc:
        raise click.BadParameter(exc.message) from exc


def _default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@click.group()
def docs() -> None:
    """Printable documents (PDF): Oki-docs and registration forms."""


@docs.command("export")
@click.option(
    "--school", required=True, callback=_location, help="School location: BRIN (+ vestiging)."
)
@click.option(
    "--kind",
    required=True,
    type=click.Choice([k.value for k in DocumentKind]),
    help="okidoc: the Oki-doc; aanmelding: the registration form.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the PDF files (created when missing).",
)
@click.option(
    "--workers",
    default=_default_workers,
    show_default="number of CPUs, at most 4",
    type=click.IntRange(1, 32),
    help="Worker processes that render in parallel.",
)
def export(school: SchoolLocation, kind: str, out: Path, workers: int) -> None:
    """Write one PDF per pupil of a school (file names carry the ELK number only).

    Shows progress, then a summary; exits non-zero (the code of the first failure's kind,
    1 for an unexpected error) when any document failed. Safe to run again.
    """
    settings = load_settings()
    chosen = DocumentKind(kind)
    services = bootstrap(settings)
    items = export_items(services.uow(), Actor.system(ACTOR_NAME), school, chosen)
    start_worker_server()  # before rich's refresh thread starts
    started = time.perf_counter()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(f"PDF's {school}", total=len(items))
        outcomes = export_documents(
            settings,
            chosen,
            items,
            out,
            workers=min(workers, max(1, len(items))),
            on_outcome=lambda _: progress.advance(task),
        )
    _summary(outcomes, out, time.perf_counter() - started)
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise SystemExit(failed[0].exit_code or UNEXPECTED_EXIT)


def _summary(outcomes: Sequence[Outcome], out: Path, seconds: float) -> None:
    written = [o for o in outcomes if o.ok]
    failed = sorted((o for o in outcomes if not o.ok), key=lambda o: o.pupil_id)
    megabytes = sum(o.size for o in written) / 1_000_000
    rows = [
        ("geschreven", len(written)),
        ("mislukt", len(failed)),
        ("map", out),
        ("grootte", f"{megabytes:.1f} MB"),
        ("tijd", f"{seconds:.1f} s"),
    ]
    console.print(table("Export", ("", ""), rows))
    if failed:
        console.print(
            table(
                "Mislukt",
                ("leerling-id", "bestand", "reden"),
                ((o.pupil_id, o.filename, o.message) for o in failed),
            )
        )
