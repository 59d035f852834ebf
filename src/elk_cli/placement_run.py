"""``elk placement commit | run | publish``: the placement from the database (issue 16).

The operator's steps (docs/placement.md): ``commit`` writes a secret seed to a file only the
operator reads and prints its SHA-256 to publish; ``run`` hands the seed back, places the
current school year's definitive registrations with a progress bar and a summary; ``publish``
reveals the seed, queues a mail to every parent and writes the run for the public check
(instance without names, seed, result and audit, as JSON files).
"""

from __future__ import annotations

import getpass
import json
import os
import time
from pathlib import Path

import click
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from elk_adapters.bootstrap import Services, bootstrap
from elk_adapters.placement_files import instance_to_json
from elk_adapters.placement_results import result_to_json
from elk_cli.console import console, load_settings
from elk_cli.placement import placement, summary
from elk_domain.errors import Rejected
from elk_domain.kernel.people import Actor
from elk_domain.placement.operations import (
    CommitSeed,
    PublishRun,
    RunPlacement,
    commit_seed,
    publish_run,
    run_placement,
)

_SEED = click.Path(dir_okay=False, path_type=Path)
_STEPS = {"lezen": "aanmeldingen lezen", "plaatsen": "plaatsen en loten", "opslaan": "opslaan"}
PORTAL_PATH = "/ouders/plaatsing"


def _actor(command: str) -> Actor:
    return Actor.system(f"elk placement {command} ({getpass.getuser()})")


def _services() -> Services:
    return bootstrap(load_settings())


@placement.command()
@click.option("--seed-file", type=_SEED, required=True, help="Het geheime zaad (bestand).")
def commit(seed_file: Path) -> None:
    """Commit to the seed in --seed-file (or draw one into it) and print its SHA-256.

    An existing file holds the administrator's own seed (decision 0051); otherwise a seed is
    drawn and written to a new file only the operator can read. ELK stores only the SHA-256.
    """
    own = _seed(seed_file) if seed_file.exists() else None
    services = _services()
    command = CommitSeed(procedure=services.settings.procedure, seed=own)
    committed = commit_seed(
        services.uow(), services.clock, services.random, _actor("commit"), command
    )
    if own is None:
        _write_new(seed_file, committed.seed)
    console.print(
        f"SHA-256 van het zaad, te publiceren vóór de plaatsing: {committed.run.commitment}"
    )
    console.print(f"Het zaad staat in {seed_file}; houd het geheim tot de publicatie.")


def _write_new(seed_file: Path, seed: str) -> None:
    try:
        descriptor = os.open(seed_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise Rejected(f"{seed_file.name} kan niet worden geschreven: {exc.strerror}.") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(seed + "\n")


def _seed(seed_file: Path) -> str:
    try:
        return seed_file.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise Rejected(f"{seed_file.name} kan niet worden gelezen: {exc.strerror}.") from None


@placement.command(name="run")
@click.option("--seed-file", type=_SEED, required=True, help="Het zaad van 'elk placement commit'.")
def run_command(seed_file: Path) -> None:
    """Place this school year's definitive registrations with the committed seed and store it."""
    services = _services()
    command = RunPlacement(procedure=services.settings.procedure, seed=_seed(seed_file))
    started = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("plaatsing", total=len(_STEPS))

        def step(name: str) -> None:
            progress.update(task, description=_STEPS[name], completed=list(_STEPS).index(name))

        report = run_placement(services.uow(), services.clock, _actor("run"), command, step)
        progress.update(task, completed=len(_STEPS))
    summary(report.result, (time.perf_counter() - started) * 1000)
    console.print(
        f"{report.pupils} leerlingen in de plaatsing; zonder definitief advies: "
        f"{report.without_advice}; zonder passende school op de lijst: {report.without_choice}."
    )


@placement.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Map voor instance.json en result.json (de publieke controle).",
)
def publish(out: Path) -> None:
    """Reveal the seed, mail every parent (through the outbox) and export the run."""
    services = _services()
    settings = services.settings
    command = PublishRun(
        procedure=settings.procedure, portal_url=settings.base_url.rstrip("/") + PORTAL_PATH
    )
    published = publish_run(services.uow(), services.clock, _actor("publish"), command)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, document in (
            ("instance.json", instance_to_json(published.instance)),
            ("result.json", result_to_json(published.result)),
        ):
            text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
            (out / name).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise Rejected(f"{out} kan niet worden geschreven: {exc.strerror or exc}.") from None
    console.print(f"Gepubliceerd. Het zaad: {published.instance.seed}")
    console.print(f"{published.mailed} e-mails aan ouders in de wachtrij.")
    console.print(f"Controle: elk placement verify {out / 'instance.json'} {out / 'result.json'}")
