"""``elk mail``: the outbox of account mail (invites, reset links, 2FA notices).

``elk serve`` delivers it every few seconds in a background thread; ``elk mail deliver`` does
one round by hand (or from cron when ``ELK_MAIL_INTERVAL=0``). See decision 0032.
"""

from __future__ import annotations

import click

from elk_adapters.bootstrap import Services, bootstrap
from elk_cli.console import console, load_settings, table
from elk_cli.errors import EXIT_CODES
from elk_domain.errors import ErrorKind
from elk_domain.kernel.mail_queue import BATCH, DeliveryReport, deliver_pending_mail


@click.group()
def mail() -> None:
    """The outbox of account mail."""


def deliver_all(services: Services) -> DeliveryReport:
    """Deliver every due mail (in rounds of ``BATCH``); the totals."""
    sent = failed = given_up = 0
    while True:
        report = deliver_pending_mail(services.uow(), services.clock, services.mailer)
        sent, failed = sent + report.sent, failed + report.failed
        given_up += report.given_up
        if report.attempted < BATCH or report.failed:
            return DeliveryReport(sent=sent, failed=failed, given_up=given_up)


@mail.command("deliver")
def deliver() -> None:
    """Send the mail waiting in the outbox now; exits 7 when a mail could not be sent.

    A mail that fails is tried again later (waiting longer each time, up to ten tries).
    """
    services = bootstrap(load_settings())
    report = deliver_all(services)
    with services.uow() as uow:
        waiting = len(uow.mail_queue.unsent())
    rows = [
        ("verstuurd", report.sent),
        ("mislukt, later opnieuw", report.failed - report.given_up),
        ("mislukt, opgegeven", report.given_up),
        ("nog niet verstuurd (totaal)", waiting),
    ]
    console.print(table("E-mail uit de wachtrij", ("", "aantal"), rows))
    if report.failed:
        raise SystemExit(EXIT_CODES[ErrorKind.UNAVAILABLE])
