"""``elk oso validate`` (check dossier files), ``elk oso sync`` (batch sync, R-OSO-8) and
``elk oso-sim serve`` (the local simulator)."""

from __future__ import annotations

import getpass
from collections import Counter
from collections.abc import Sequence

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from elk_adapters.bootstrap import Services, bootstrap
from elk_adapters.demo.stack import serve_oso_simulator
from elk_adapters.oso.batch import sync_batch
from elk_cli.console import console, load_settings, table
from elk_cli.errors import EXIT_CODES
from elk_cli.oso_validate import validate
from elk_domain.errors import ErrorKind, Rejected
from elk_domain.kernel.people import Actor
from elk_domain.kernel.values import SchoolLocation
from elk_domain.oso.batch import PupilSync, SyncOutcome
from elk_domain.oso.dossiers.merge import MergeMode
from elk_domain.oso.sync import sync_scope


@click.group()
def oso() -> None:
    """OSO dossiers (gegevensset 2019.1)."""


oso.add_command(validate)


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
    _print_rule_messages(items)
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


def _print_rule_messages(items: Sequence[PupilSync]) -> None:
    """What the official OSO rules said per dossier (merged anyway): fix it in the LAS."""
    broken = sorted((i for i in items if i.rule_messages), key=lambda i: i.pupil_id or 0)
    if not broken:
        return
    console.print(
        f"{len(broken)} dossier(s) wijken af van de officiële OSO-regels. Dat houdt het "
        "synchroniseren niet tegen. Herstel dit in het LAS en synchroniseer daarna opnieuw; de "
        "meldingen staan ook bij de OSO-notificaties van de school."
    )
    rows = [  # the official texts and XPaths as they are, never read as rich markup
        (i.pupil_id, i.bsn.masked() if i.bsn else "", m.rule, escape(m.location), escape(m.text))
        for i in broken
        for m in i.rule_messages
    ]
    console.print(
        table(
            "Herstel in het LAS (officiële OSO-regels)",
            ["Leerling", "BSN", "Regel", "Plaats", "Melding"],
            rows,
        )
    )


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

    serve_oso_simulator(
        host=host, port=port, seed=seed, schools=schools, pupils=pupils, on_ready=ready
    )
