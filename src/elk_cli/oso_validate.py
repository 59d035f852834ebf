"""``elk oso validate``: check dossier files offline, as a sync would read them (R-OKI-4).

Each file goes through the same checks as a synced dossier (``dossier_parser.check``): what ELK
refuses (not XML, hostile, another gegevensset version, the XSD), and for a dossier it reads,
the messages of Edustandaard's official business rules, in their own Dutch words, so a school
can fix the dossier in its LAS.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from elk_cli.console import console
from elk_cli.errors import EXIT_CODES
from elk_domain.errors import ErrorKind

if TYPE_CHECKING:
    from elk_adapters.oso.dossiers.parser import DossierCheck


def _check(path: Path) -> DossierCheck:
    from elk_adapters.oso.dossiers.parser import DossierCheck, check  # lxml, XSD, Saxon: if asked

    try:
        data = path.read_bytes()
    except OSError as exc:
        return DossierCheck(refusal=f"Het bestand kan niet worden gelezen: {exc.strerror or exc}")
    return check(data)


def _lines(result: DossierCheck) -> list[str]:
    """The problems of one file, one line each."""
    if result.refusal:
        return [result.refusal, *(f"{v.path}: {v.message}" for v in result.errors)]
    return [
        " ".join(part for part in (m.severity, m.rule, m.location) if part) + f": {m.text}"
        for m in result.rule_messages
    ]


def _as_json(path: Path, result: DossierCheck) -> dict[str, Any]:
    status = "refused" if result.refusal else "rules" if result.rule_messages else "ok"
    return {
        "file": str(path),
        "status": status,
        "refusal": result.refusal,
        "errors": [{"location": v.path, "message": v.message} for v in result.errors],
        "messages": [
            {"rule": m.rule, "severity": m.severity, "location": m.location, "text": m.text}
            for m in result.rule_messages
        ],
    }


def _print(path: Path, result: DossierCheck) -> None:
    if result.passed:
        console.print(f"[green]OK[/green]      {path}")
        return
    label = "FOUT   " if result.refusal else "MELDING"
    console.print(f"[red]{label}[/red] {path}")
    for line in _lines(result):
        console.print(f"  - {line}", markup=False, soft_wrap=True)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout, for scripts.")
def validate(files: tuple[Path, ...], as_json: bool) -> None:
    """Check OSO dossier files: the XSD, then Edustandaard's official business rules.

    Per file: OK; FOUT with every reason ELK would refuse it (it is not read); or MELDING with
    each message of the official rules (type, rule, location, the official text): ELK reads
    such a dossier, the school fixes it in its LAS. Exits with the 'rejected' code (3) when
    any file is refused or breaks a rule. Nothing is stored or sent.
    """
    results = [(path, _check(path)) for path in files]
    failed = sum(1 for _, result in results if not result.passed)
    if as_json:
        report = {
            "files": [_as_json(path, result) for path, result in results],
            "passed": len(files) - failed,
            "failed": failed,
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for path, result in results:
            _print(path, result)
        console.print(f"{len(files) - failed} goed, {failed} fout.")
    if failed:
        raise SystemExit(EXIT_CODES[ErrorKind.REJECTED])
