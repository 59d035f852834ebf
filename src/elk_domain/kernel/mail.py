"""E-mail as the domain sees it: a message to send, and the same message waiting in the outbox.

Use cases do not talk to the mail server: they queue the message in the same transaction as the
change it reports (a reset link, an invite, a 2FA notice), and a delivery step sends it later.
So the answer to a request never depends on the mail server, and a mail goes out exactly when
its change was committed. See docs/decisions/0032-mail-outbox.md.
"""

from __future__ import annotations

import datetime as dt

import attrs

MAX_ATTEMPTS = 10
"""After this many failed tries a mail stays in the outbox unsent (an operator looks at it)."""

FIRST_RETRY = dt.timedelta(minutes=1)
LAST_RETRY = dt.timedelta(hours=1)
CLAIM = dt.timedelta(minutes=5)
"""How long a claimed mail is left alone by other workers while one worker sends it."""


@attrs.frozen
class OutgoingMail:
    """An e-mail to send; plain text, Dutch."""

    to: str
    subject: str
    body: str


@attrs.frozen(kw_only=True)
class QueuedMail:
    """A mail in the outbox: waiting (``next_attempt_at`` set), sent, or given up (neither)."""

    id: int
    mail: OutgoingMail
    queued_at: dt.datetime
    next_attempt_at: dt.datetime | None
    attempts: int = 0
    sent_at: dt.datetime | None = None
    last_error: str = ""

    @classmethod
    def new(cls, mail: OutgoingMail, now: dt.datetime) -> QueuedMail:
        """A mail to send as soon as a worker comes by."""
        return cls(id=0, mail=mail, queued_at=now, next_attempt_at=now)

    @property
    def to(self) -> str:
        """The recipient's address."""
        return self.mail.to

    def claimed(self, now: dt.datetime) -> QueuedMail:
        """One more attempt, started now; others leave the mail alone for ``CLAIM``."""
        return attrs.evolve(self, attempts=self.attempts + 1, next_attempt_at=now + CLAIM)

    def delivered(self, now: dt.datetime) -> QueuedMail:
        """Sent; the body (it may hold a link that sets a password) is not kept."""
        sent = attrs.evolve(self.mail, body="")
        return attrs.evolve(self, mail=sent, sent_at=now, next_attempt_at=None, last_error="")

    def failed(self, now: dt.datetime, error: str) -> QueuedMail:
        """Not sent: try again later, waiting longer each time, until ``MAX_ATTEMPTS``."""
        if self.attempts >= MAX_ATTEMPTS:
            later = None
        else:
            later = now + min(FIRST_RETRY * (1 << min(max(self.attempts - 1, 0), 20)), LAST_RETRY)
        return attrs.evolve(self, next_attempt_at=later, last_error=error[:500])
