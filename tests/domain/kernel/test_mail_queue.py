"""The outbox: mail queued in a use case's transaction, delivered later, retried on failure."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from elk_domain.errors import NotFound, Rejected
from elk_domain.kernel.mail import CLAIM, MAX_ATTEMPTS, OutgoingMail, QueuedMail
from elk_domain.kernel.mail_queue import DeliveryReport, deliver_pending_mail, queue_mail
from elk_domain.testing import FixedClock, InMemoryMailer, InMemoryStore, InMemoryUnitOfWork


def mail(to: str) -> OutgoingMail:
    return OutgoingMail(to=to, subject="Welkom", body=f"Beste {to}, uw link: https://elk.test/x")


@attrs.define
class Outbox:
    store: InMemoryStore = attrs.Factory(InMemoryStore)
    clock: FixedClock = attrs.Factory(FixedClock)
    mailer: InMemoryMailer = attrs.Factory(InMemoryMailer)

    def uow(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self.store)

    def queue(self, *recipients: str) -> None:
        uow = self.uow()
        for to in recipients:
            queue_mail(uow, self.clock, mail(to))
        uow.commit()

    def deliver(self, **options: int) -> DeliveryReport:
        return deliver_pending_mail(self.uow(), self.clock, self.mailer, **options)

    def unsent(self) -> list[QueuedMail]:
        return list(self.uow().mail_queue.unsent())


class RefusingMailer(InMemoryMailer):
    """Refuses mail to one address (a server that rejects it), sends the rest."""

    def send(self, mail: OutgoingMail) -> None:
        if mail.to == "fout@elk.test":
            raise Rejected("De mailserver weigert dit adres.")
        super().send(mail)


@pytest.fixture
def outbox() -> Outbox:
    return Outbox()


class TestQueueing:
    def test_queued_mail_waits_until_the_unit_of_work_commits(self, outbox: Outbox) -> None:
        uow = outbox.uow()
        queue_mail(uow, outbox.clock, mail("a@elk.test"))
        uow.rollback()
        assert outbox.unsent() == []
        outbox.queue("a@elk.test")
        [queued] = outbox.unsent()
        assert (queued.to, queued.attempts, queued.next_attempt_at) == (
            "a@elk.test",
            0,
            outbox.clock.now(),
        )


class TestDelivery:
    def test_due_mail_is_sent_once_and_its_body_is_not_kept(self, outbox: Outbox) -> None:
        outbox.queue("a@elk.test", "b@elk.test")
        assert outbox.deliver() == DeliveryReport(sent=2, failed=0, given_up=0)
        assert [m.to for m in outbox.mailer.sent] == ["a@elk.test", "b@elk.test"]
        assert outbox.unsent() == []
        assert outbox.deliver().attempted == 0  # nothing is sent twice
        stored = outbox.uow().mail_queue.get(1)  # type: ignore[attr-defined]
        assert stored.sent_at == outbox.clock.now()
        assert stored.mail.body == ""  # the link in it is gone from the database

    def test_a_failing_mail_does_not_hold_up_the_others_and_is_retried_later(
        self, outbox: Outbox
    ) -> None:
        outbox.mailer = RefusingMailer()
        outbox.queue("fout@elk.test", "goed@elk.test")
        assert outbox.deliver() == DeliveryReport(sent=1, failed=1, given_up=0)
        assert [m.to for m in outbox.mailer.sent] == ["goed@elk.test"]
        [waiting] = outbox.unsent()
        assert (waiting.to, waiting.attempts) == ("fout@elk.test", 1)
        assert waiting.last_error == "De mailserver weigert dit adres."
        assert waiting.next_attempt_at == outbox.clock.now() + dt.timedelta(minutes=1)
        assert outbox.deliver().attempted == 0  # not due yet
        outbox.clock.advance(dt.timedelta(minutes=1))
        assert outbox.deliver().failed == 1
        assert outbox.unsent()[0].next_attempt_at == outbox.clock.now() + dt.timedelta(minutes=2)

    def test_the_wait_grows_to_an_hour_and_after_ten_tries_the_mail_is_given_up(
        self, outbox: Outbox
    ) -> None:
        outbox.mailer.fail = True
        outbox.queue("a@elk.test")
        waits = []
        for _ in range(MAX_ATTEMPTS):
            report = outbox.deliver()
            [waiting] = outbox.unsent()
            if waiting.next_attempt_at is not None:
                waits.append(waiting.next_attempt_at - outbox.clock.now())
            outbox.clock.advance(dt.timedelta(hours=1))
        assert report == DeliveryReport(sent=0, failed=1, given_up=1)
        assert waits[:3] == [dt.timedelta(minutes=m) for m in (1, 2, 4)]
        assert max(waits) == dt.timedelta(hours=1)
        assert len(waits) == MAX_ATTEMPTS - 1
        [given_up] = outbox.unsent()
        assert (given_up.attempts, given_up.next_attempt_at) == (MAX_ATTEMPTS, None)
        assert "niet bereikbaar" in given_up.last_error
        assert outbox.deliver().attempted == 0

    def test_a_round_sends_at_most_its_limit(self, outbox: Outbox) -> None:
        outbox.queue("a@elk.test", "b@elk.test", "c@elk.test")
        assert outbox.deliver(limit=2).sent == 2
        assert [m.to for m in outbox.unsent()] == ["c@elk.test"]

    def test_a_mail_claimed_by_another_worker_is_left_alone(self, outbox: Outbox) -> None:
        outbox.queue("a@elk.test")
        [due] = outbox.uow().mail_queue.due(outbox.clock.now(), 10)
        other = outbox.uow()
        assert other.mail_queue.claim(due.claimed(outbox.clock.now()))
        other.commit()
        late = due.claimed(outbox.clock.now())  # from a copy read before the other claim
        assert not outbox.uow().mail_queue.claim(late)
        assert outbox.deliver().attempted == 0  # claimed: not due for CLAIM
        outbox.clock.advance(CLAIM)
        assert outbox.deliver().sent == 1  # the other worker died: sent after the claim ran out
        assert not outbox.uow().mail_queue.claim(due.claimed(outbox.clock.now()))  # sent

    def test_a_mail_that_is_gone_cannot_be_updated(self, outbox: Outbox) -> None:
        ghost = QueuedMail.new(mail("x@elk.test"), outbox.clock.now())
        with pytest.raises(NotFound):
            outbox.uow().mail_queue.update(attrs.evolve(ghost, id=99))
