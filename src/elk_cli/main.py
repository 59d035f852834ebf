"""The ``elk`` command (console script): one click group, one module per command group."""

from __future__ import annotations

import os

import click

from elk_cli.audit import audit
from elk_cli.db import db
from elk_cli.demo import demo
from elk_cli.docs import docs
from elk_cli.errors import ElkGroup
from elk_cli.finaltest import finaltest
from elk_cli.mail import mail
from elk_cli.orientation import orientatie
from elk_cli.oso import oso, oso_sim
from elk_cli.placement import placement
from elk_cli.placement_run import commit as _placement_commit  # registers run and publish too
from elk_cli.serve import serve
from elk_cli.user import user


@click.group(cls=ElkGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="elk", prog_name="elk")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """ELK (Elektronisch Loket Kernprocedure) for operators.

    Settings come from ELK_* environment variables; see docs/operations.md. Refusals print a
    Dutch message and exit with a code per kind: 3 rejected, 4 not found, 5 forbidden,
    6 conflict, 7 unavailable.
    """
    # Whatever a command writes (database, attachments, exports) is for the ELK user only;
    # the adapters also set explicit modes. Restored afterwards for in-process callers.
    previous = os.umask(0o077)
    ctx.call_on_close(lambda: os.umask(previous))


for command in (serve, db, demo, user, audit, oso, oso_sim, mail, finaltest, orientatie, placement):
    cli.add_command(command)
cli.add_command(docs)
_ = _placement_commit
