"""How the CLI reports a refusal: the Dutch message on stderr and one exit code per kind."""

from __future__ import annotations

from typing import Any

import click

from elk_domain.errors import ElkError, ErrorKind

#: The one table mapping error kinds to exit codes (0 is success, 1 an unexpected crash,
#: 2 click's usage errors). Documented in docs/operations.md.
EXIT_CODES: dict[ErrorKind, int] = {
    ErrorKind.REJECTED: 3,
    ErrorKind.NOT_FOUND: 4,
    ErrorKind.FORBIDDEN: 5,
    ErrorKind.CONFLICT: 6,
    ErrorKind.UNAVAILABLE: 7,
}


def report(error: ElkError) -> int:
    """Print the error (and its violations) to stderr; return the exit code for its kind."""
    click.secho(f"Fout: {error.message}", fg="red", err=True)
    for violation in error.violations:
        click.echo(f"  - {violation.path}: {violation.message}", err=True)
    return EXIT_CODES[error.kind]


class ElkGroup(click.Group):
    """A click group that turns every ElkError raised below it into message + exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the chosen command; an ElkError ends the program with its kind's code."""
        try:
            return super().invoke(ctx)
        except ElkError as error:
            ctx.exit(report(error))
