"""``elk audit verify``: walk the audit log's hash chain and report the first broken link.

Exit status 0 when the chain is intact, ``CHAIN_BROKEN`` when it is not (decision 0057;
docs/operations.md says what to do then).
"""

from __future__ import annotations

import time

import click

from elk_adapters.bootstrap import bootstrap
from elk_cli.console import console, load_settings
from elk_domain.kernel.audit_chain import ChainReport
from elk_domain.logbooks.chain import verify_audit_chain

#: The exit status of a broken chain: not an error kind of a use case, a finding.
CHAIN_BROKEN = 8


@click.group()
def audit() -> None:
    """The audit log (append-only, hash-chained)."""


@audit.command("verify")
def verify() -> None:
    """Check every entry of the audit log against its hash and its predecessor's."""
    services = bootstrap(load_settings())
    started = time.perf_counter()
    report = verify_audit_chain(services.reader())
    seconds = time.perf_counter() - started
    if report.broken is None:
        console.print(_intact(report, seconds))
        return
    click.secho(
        f"Het auditlog is NIET intact: de keten breekt bij auditregel {report.broken.id}: "
        f"{report.broken.reason}",
        fg="red",
        err=True,
    )
    click.echo(
        f"De {report.checked} regels daarvoor zijn in orde"
        + (f" (laatste goede regel: {report.last_id})." if report.last_id else ".")
        + " Zie docs/operations.md, 'Het auditlog controleren'.",
        err=True,
    )
    raise SystemExit(CHAIN_BROKEN)


def _intact(report: ChainReport, seconds: float) -> str:
    if report.last_id is None:
        return "Het auditlog is leeg; er is niets te controleren."
    return (
        f"Het auditlog is intact: {report.checked} regels gecontroleerd in {seconds:.1f} s.\n"
        f"Laatste regel: {report.last_id}, hash {report.head_hash}\n"
        "Bewaar deze hash buiten ELK: zo valt ook het weghalen van de laatste regels op."
    )
