"""The outbox's two ends: a use case queues mail in its own transaction; a worker delivers it.

``queue_mail`` only adds a row, so a request never waits for (or fails on) the mail server and
its answer does not show whether a mail was sent. ``deliver_pending_mail`` claims the due mail
in one short transaction (so two workers never send the same mail), sends each through the
``Mailer`` port and records each outcome on its own: one mail the server refuses does not hold
up the others, and it is tried again later, up to ``MAX_ATTEMPTS`` times. Decision 0032.
"""

from __future__ import annotations

import attrs

from elk_domain.errors import ElkError
from elk_domain.kernel.mail import OutgoingMail, QueuedMail
from elk_domain.kernel.ports import Clock, KernelWork, Mailer

BATCH = 50


def queue_mail(uow: KernelWork, clock: Clock, mail: OutgoingMail) -> None:
    """Put ``mail`` in the outbox of the open unit of work; it goes out once that commits."""
    uow.mail_queue.add(QueuedMail.new(mail, clock.now()))


@attrs.frozen
class DeliveryReport:
    """What one delivery round did: mails sent, attempts that failed, mails given up."""

    sent: int = 0
    failed: int = 0  # tried again later, unless given up
    given_up: int = 0  # failed for the last time (``MAX_ATTEMPTS``)

    @property
    def attempted(self) -> int:
        """Mails this round tried to send."""
        return self.sent + self.failed


def deliver_pending_mail(
    uow: KernelWork, clock: Clock, mailer: Mailer, *, limit: int = BATCH
) -> DeliveryReport:
    """Send up to ``limit`` due mails; each outcome is committed on its own."""
    sent = failed = given_up = 0
    for mail in _claim_due(uow, clock, limit):
        try:
            mailer.send(mail.mail)
        except ElkError as error:
            outcome = mail.failed(clock.now(), error.message)
            failed += 1
            given_up += outcome.next_attempt_at is None
        else:
            outcome = mail.delivered(clock.now())
            sent += 1
        with uow:
            uow.mail_queue.update(outcome)
            uow.commit()
    return DeliveryReport(sent=sent, failed=failed, given_up=given_up)


def _claim_due(uow: KernelWork, clock: Clock, limit: int) -> list[QueuedMail]:
    now = clock.now()
    with uow:
        due = [mail.claimed(now) for mail in uow.mail_queue.due(now, limit)]
        claimed = [mail for mail in due if uow.mail_queue.claim(mail)]
        uow.commit()
    return claimed
