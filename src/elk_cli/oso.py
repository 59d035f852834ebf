"""``elk oso validate`` (check dossier files), ``elk oso sync`` (batch sync, R-OSO-8) and
``elk oso-sim serve`` (the local simulator)."""

from __future__ import annotations

import contextlib
import functools
import getpass
import os
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from elk_adapters.bootstrap import (
    Services,
    bootstrap,
    oso_dossier_problems,
    oso_fetch_processes,
    oso_gateway,
    run_oso_simulator,
)
from elk_cli.console import console, load_settings, table
from elk_cli.errors import EXIT_CODES
from elk_domain.errors import ElkError, ErrorKind, Rejected
from elk_domain.merge import MergeMode
from elk_domain.model.people import Actor
from elk_domain.model.values import SchoolLocation
from elk_domain.ports import OsoGateway
from elk_domain.services.oso import PupilSync, SyncOutcome, sync_one, sync_scope


@click.group()
def oso() -> None:
    """OSO dossiers (gegevensset 2019.1)."""


@oso.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check OSO dossier files: prints OK or every problem per file.

    Exits with the 'rejected' code (3) when any file fails. Nothing is stored or sent.
    """
    failed = 0
    for path in files:
        try:
            found = oso_dossier_problems(path.read_bytes())
        except OSError as exc:
            found = [f"Het bestand kan niet worden gelezen: {exc.strerror or exc}"]
        if found:
            failed += 1
            console.print(f"[red]FOUT[/red] {path}")
            for line in found:
                console.print(f"  - {line}", markup=False)
        else:
            console.print(f"[green]OK[/green]   {path}")
    console.print(f"{len(files) - failed} goed, {failed} fout.")
    if failed:
        raise SystemExit(EXIT_CODES[ErrorKind.REJECTED])


EXIT_INTERRUPTED = 130  # as a shell reports Ctrl-C


@oso.command("sync")
@click.option("--school", metavar="BRIN[VV]", help="One school location, e.g. 12AB or 12AB01.")
@click.option("--board", "board_id", type=int, metavar="ID", help="Every PO school of a board.")
@click.option("--all", "everything", is_flag=True, help="Every PO school in the region.")
@click.option("--overwrite", is_flag=True, help="Replace OSO fields, also values edited by hand.")
@click.option(
    "--only-final-test", is_flag=True, help="Only the doorstroomtoets and the definitive advice."
)
@click.option(
    "--concurrency",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Pupils synced at the same time (each with its own transaction and OSO connection).",
)
@click.option(
    "--processes",
    type=click.IntRange(0, 64),
    help="Worker processes for the OSO calls and dossier checks (default: one per CPU, at "
    "most --concurrency; 0: none, all in this process).",
)
def sync(
    school: str | None,
    board_id: int | None,
    everything: bool,
    overwrite: bool,
    only_final_test: bool,
    concurrency: int,
    processes: int | None,
) -> None:
    """Fetch and merge the ready OSO dossier of every pupil in scope (R-OSO-8).

    Each pupil is done on its own and committed at once; a failure is reported and the batch
    goes on. Ctrl-C stops after the pupils in progress. Safe to run again: a pupil that is
    already up to date gets no changes. Exits 3 when a pupil was rejected, 7 when OSO did not
    answer for some pupils (and nothing was rejected), 130 when interrupted.
    """
    if overwrite and only_final_test:
        raise click.UsageError("Kies --overwrite of --only-final-test, niet allebei.")
    mode = MergeMode.OVERWRITE if overwrite else MergeMode.FILL
    mode = MergeMode.FINAL_TEST_ONLY if only_final_test else mode
    services = bootstrap(load_settings())
    actor = Actor.system(f"elk oso sync ({getpass.getuser()})")
    ids = sync_scope(services.uow(), actor, school=school, board_id=board_id, everything=everything)
    console.print(f"{len(ids)} leerling(en) synchroniseren ({mode.value}), {concurrency} tegelijk.")
    items, interrupted = _run_with_progress(services, actor, ids, mode, concurrency, processes)
    _print_summary(items, len(ids), interrupted)
    raise SystemExit(_exit_code(items, interrupted))


def _gateways(services: Services) -> Callable[[], OsoGateway]:
    """One OSO gateway (zeep client and HTTP connection) per worker thread."""
    local = threading.local()

    def gateway() -> OsoGateway:
        if not hasattr(local, "gateway"):
            local.gateway = oso_gateway(services.settings)
        found: OsoGateway = local.gateway
        return found

    return gateway


def _same(gateway: OsoGateway) -> OsoGateway:
    return gateway


def worker_processes(concurrency: int, processes: int | None = None) -> int:
    """Processes for the OSO calls: by default one per CPU, at most ``concurrency``; 0 = none.

    With one CPU, or one pupil at a time, worker processes only add their start-up cost.
    """
    if processes is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        processes = min(cpus or 1, concurrency) if (cpus or 1) > 1 else 0
    return min(processes, concurrency) if concurrency > 1 else 0


def sync_batch(
    services: Services,
    actor: Actor,
    ids: Sequence[int],
    mode: MergeMode,
    concurrency: int,
    *,
    processes: int | None = None,
    gateway: Callable[[], OsoGateway] | None = None,
    done: Callable[[PupilSync], None] = lambda _: None,
) -> tuple[list[PupilSync], bool]:
    """Sync ``ids`` in ``concurrency`` threads; on Ctrl-C finish the running ones and stop.

    The OSO calls and the parsing run in ``worker_processes(concurrency, processes)`` worker
    processes (unless ``gateway`` gives each thread its own); the permission checks and the
    merges stay in this process's threads, one transaction per pupil. Returns the results in
    completion order and whether the batch was interrupted.
    """
    with contextlib.ExitStack() as stack:
        if gateway is None:
            workers = worker_processes(concurrency, processes)
            if workers:
                threads = -(-concurrency // workers)
                shared = stack.enter_context(
                    oso_fetch_processes(services.settings, processes=workers, threads=threads)
                )
                gateway = functools.partial(_same, shared)  # thread-safe: one for all threads
            else:
                gateway = _gateways(services)
        return _in_threads(_sync_one(services, actor, mode, gateway), ids, concurrency, done)


def _sync_one(
    services: Services, actor: Actor, mode: MergeMode, gateway: Callable[[], OsoGateway]
) -> Callable[[int], PupilSync]:
    trust = services.settings.oso_trust_inferred_advice  # ELK_OSO_TRUST_INFERRED_ADVICE

    def one(pupil_id: int) -> PupilSync:
        try:
            return sync_one(
                services.uow(),
                gateway(),
                services.files,
                services.clock,
                actor,
                pupil_id,
                mode,
                trust_inferred_advice=trust,
            )
        except ElkError as error:  # the pupil vanished or changed school meanwhile
            return PupilSync(outcome=SyncOutcome.ERROR, pupil_id=pupil_id, message=error.message)
        except Exception as error:  # one pupil's crash must not end the batch
            message = f"Onverwachte fout ({type(error).__name__}): {error}"
            return PupilSync(outcome=SyncOutcome.ERROR, pupil_id=pupil_id, message=message)

    return one


def _in_threads(
    one: Callable[[int], PupilSync],
    ids: Sequence[int],
    concurrency: int,
    done: Callable[[PupilSync], None],
) -> tuple[list[PupilSync], bool]:
    executor = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="oso-sync")
    futures: list[Future[PupilSync]] = [executor.submit(one, i) for i in ids]
    for future in futures:
        future.add_done_callback(lambda f: None if f.cancelled() else done(f.result()))
    try:
        wait(futures)
    except KeyboardInterrupt:
        executor.shutdown(wait=True, cancel_futures=True)
        return [f.result() for f in futures if f.done() and not f.cancelled()], True
    executor.shutdown(wait=True)
    return [f.result() for f in futures], False


def _run_with_progress(
    services: Services,
    actor: Actor,
    ids: Sequence[int],
    mode: MergeMode,
    concurrency: int,
    processes: int | None,
) -> tuple[list[PupilSync], bool]:
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("Synchroniseren", total=len(ids))

        def done(item: PupilSync) -> None:
            progress.advance(task)
            if item.outcome.failed:
                progress.console.print(
                    f"[red]{item.outcome.label}[/red] leerling {item.pupil_id} "
                    f"{_masked(item)}: {item.message}",
                    markup=True,
                    highlight=False,
                )

        return sync_batch(services, actor, ids, mode, concurrency, processes=processes, done=done)


def _masked(item: PupilSync) -> str:
    return f"(BSN {item.bsn.masked()})" if item.bsn is not None else ""


def _print_summary(items: Sequence[PupilSync], total: int, interrupted: bool) -> None:
    counts = Counter(item.outcome for item in items)
    rows: list[tuple[str, int]] = [(o.label, counts[o]) for o in SyncOutcome if counts[o]]
    if interrupted:
        rows.append(("Niet gedaan (onderbroken)", total - len(items)))
    console.print(table("Samenvatting", ["Resultaat", "Aantal"], rows))
    _print_advice(items)
    failed = sorted((i for i in items if i.outcome.failed), key=lambda i: i.pupil_id or 0)
    if failed:
        console.print(
            table(
                "Mislukt",
                ["Leerling", "BSN", "Resultaat", "Reden"],
                [
                    (i.pupil_id, i.bsn.masked() if i.bsn else "", i.outcome.label, i.message)
                    for i in failed
                ],
            )
        )
    if interrupted:
        console.print("Onderbroken. Start dezelfde opdracht opnieuw om de rest te doen.")


def _print_advice(items: Sequence[PupilSync]) -> None:
    """Advices inferred from their OSO code (a count) and those to type by hand (per pupil)."""
    inferred = sum(1 for i in items if i.to_check)
    if inferred:
        console.print(
            f"{inferred} leerling(en): definitief advies afgeleid uit de OSO-adviescode. "
            "Controleer dat advies in het Oki-doc; daar staat het als 'afgeleid uit code'."
        )
    manual = sorted((i for i in items if i.needs_manual), key=lambda i: i.pupil_id or 0)
    if manual:
        rows = [
            (i.pupil_id, i.bsn.masked() if i.bsn else "", v.message)
            for i in manual
            for v in i.needs_manual
        ]
        console.print(table("Advies met de hand invullen", ["Leerling", "BSN", "Reden"], rows))


def _exit_code(items: Sequence[PupilSync], interrupted: bool) -> int:
    if interrupted:
        return EXIT_INTERRUPTED
    outcomes = {i.outcome for i in items}
    if SyncOutcome.REJECTED in outcomes:
        return EXIT_CODES[ErrorKind.REJECTED]
    if SyncOutcome.ERROR in outcomes:
        return EXIT_CODES[ErrorKind.UNAVAILABLE]
    return 0


def _location(_: click.Context, __: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    try:
        return tuple(str(SchoolLocation.parse(v)) for v in values)
    except Rejected as exc:
        raise click.BadParameter(exc.message) from exc


@click.group("oso-sim")
def oso_sim() -> None:
    """The local OSO simulator (Traffic Center + LAS) for tests and the demo."""


@oso_sim.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8090, show_default=True, type=click.IntRange(0, 65535))
@click.option("--seed", default=1, show_default=True, help="Seed for generated dossiers.")
@click.option(
    "--school",
    "schools",
    multiple=True,
    default=("12AB00",),
    show_default=True,
    callback=_location,
    help="School location (BRIN+vestiging); repeatable.",
)
@click.option(
    "--pupils",
    default=5,
    show_default=True,
    type=click.IntRange(0, 500),
    help="Pupils with a ready dossier per school.",
)
def serve(host: str, port: int, seed: int, schools: tuple[str, ...], pupils: int) -> None:
    """Serve the simulator until Ctrl-C; prints each school's delivery point number and key."""

    def ready(endpoint: str, seeded: list[tuple[SchoolLocation, str, str, list[str]]]) -> None:
        rows = [(loc, number, key, ", ".join(bsns)) for loc, number, key, bsns in seeded]
        console.print(table("Aanleverpunten", ["Locatie", "Nummer", "Sleutel", "BSN's"], rows))
        console.print(f"OSO-simulator luistert op {endpoint} (besturing: /control/…)")

    run_oso_simulator(
        host=host, port=port, seed=seed, schools=schools, pupils=pupils, on_ready=ready
    )
