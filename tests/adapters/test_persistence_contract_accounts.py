"""Repository contract, part three: the mail outbox and the login throttle's counters.

Runs on the in-memory fake, SQLite and PostgreSQL alike (``uow_factory`` from
tests/adapters/conftest.py); the concurrency tests run real threads on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa

from elk_adapters.mail.capture import MailCapture, free_port
from elk_adapters.mail.outbox import read_outbox
from elk_adapters.mail.smtp import SmtpMailer
from elk_adapters.persistence.database import SqlAlchemyUnitOfWork
from elk_domain.accounts import throttle
from elk_domain.accounts.attempts import reserve_attempt, settle_success
from elk_domain.errors import NotFound
from elk_domain.kernel.mail import OutgoingMail, QueuedMail
from elk_domain.kernel.mail_queue import deliver_pending_mail
from elk_domain.testing import FixedClock
from elk_domain.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)
AMSTERDAM = dt.timezone(dt.timedelta(hours=1))
KEY = throttle.throttle_key("account", "juf@elk.test")
CLIENT = throttle.throttle_key("client", "10.0.0.1")


def queued(to: str, at: dt.datetime = NOW) -> QueuedMail:
    return QueuedMail.new(OutgoingMail(to=to, subject="Onderwerp é", body="Tekst\nmet €"), at)


@pytest.fixture
def capture(tmp_path: Path) -> Iterator[MailCapture]:
    """A local SMTP server: the delivery tests send through the real ``SmtpMailer``."""
    with MailCapture(tmp_path / "captured", port=free_port()) as running:
        yield running


def smtp(capture: MailCapture) -> SmtpMailer:
    return SmtpMailer(capture.host, capture.port, "ELK <noreply@elk.test>", timeout=5)


def recipients(capture: MailCapture) -> list[str]:
    """The To of every captured message, sorted."""
    return sorted(m.to for m in read_outbox(capture.outbox, limit=10_000))


class TestMailQueue:
    def test_mail_round_trips_and_waits_until_due(self, uow_factory: UowFactory) -> None:
        with uow_factory() as uow:
            first = uow.mail_queue.add(queued("a@elk.test"))
            later = uow.mail_queue.add(queued("b@elk.test", NOW + dt.timedelta(minutes=5)))
            uow.commit()
        with uow_factory() as uow:
            assert uow.mail_queue.unsent() == [first, later]
            assert uow.mail_queue.due(NOW.astimezone(AMSTERDAM), 10) == [first]
            assert uow.mail_queue.due(NOW + dt.timedelta(minutes=5), 1) == [first]
            assert uow.mail_queue.due(NOW + dt.timedelta(minutes=5), 10) == [first, later]

    def test_a_claim_counts_one_attempt_and_only_one_worker_gets_it(
        self, uow_factory: UowFactory
    ) -> None:
        with uow_factory() as uow:
            mail = uow.mail_queue.add(queued("a@elk.test"))
            uow.commit()
        claim = mail.claimed(NOW)
        with uow_factory() as uow:
            assert uow.mail_queue.claim(claim)
            uow.commit()
        with uow_factory() as uow:
            assert not uow.mail_queue.claim(claim)  # someone else's copy: attempts moved on
            assert uow.mail_queue.due(NOW, 10) == []  # claimed: not due while it is sent
            [stored] = uow.mail_queue.unsent()
            assert (stored.attempts, stored.next_attempt_at) == (1, claim.next_attempt_at)

    def test_outcomes_are_saved_and_a_sent_mail_is_no_longer_unsent(
        self, uow_factory: UowFactory
    ) -> None:
        with uow_factory() as uow:
            mail = uow.mail_queue.add(queued("a@elk.test")).claimed(NOW)
            assert uow.mail_queue.claim(mail)
            failed = uow.mail_queue.update(mail.failed(NOW, "De mailserver is niet bereikbaar."))
            uow.commit()
        with uow_factory() as uow:
            assert uow.mail_queue.unsent() == [failed]
            sent = uow.mail_queue.update(failed.delivered(NOW))
            assert not uow.mail_queue.claim(attrs.evolve(sent, attempts=2))
            uow.commit()
        with uow_factory() as uow:
            assert uow.mail_queue.unsent() == []
            assert uow.mail_queue.due(NOW + dt.timedelta(days=1), 10) == []
            with pytest.raises(NotFound):
                uow.mail_queue.update(attrs.evolve(sent, id=sent.id + 100))

    def test_delivery_sends_each_committed_mail_once(
        self, uow_factory: UowFactory, capture: MailCapture
    ) -> None:
        with uow_factory() as uow:
            uow.mail_queue.add(queued("a@elk.test"))
            uow.mail_queue.add(queued("b@elk.test"))
            uow.commit()
        mailer, clock = smtp(capture), FixedClock(NOW)
        report = deliver_pending_mail(uow_factory(), clock, mailer)
        assert (report.sent, report.failed) == (2, 0)
        assert deliver_pending_mail(uow_factory(), clock, mailer).attempted == 0
        assert recipients(capture) == ["a@elk.test", "b@elk.test"]


class TestThrottleCounters:
    def test_lock_reads_like_get_and_an_unknown_key_has_nothing(
        self, uow_factory: UowFactory
    ) -> None:
        with uow_factory() as uow:
            assert uow.throttle.lock(KEY) is None
            uow.throttle.save(throttle.Attempts(key=KEY, failures=2, last_failure_at=NOW))
            uow.commit()
        with uow_factory() as uow:
            assert uow.throttle.lock(KEY) == uow.throttle.get(KEY)
            assert uow.throttle.get(KEY) == throttle.Attempts(
                key=KEY, failures=2, last_failure_at=NOW
            )

    def test_a_success_clears_the_account_and_gives_the_client_its_attempt_back(
        self, uow_factory: UowFactory
    ) -> None:
        keys = [(KEY, throttle.ACCOUNT), (CLIENT, throttle.CLIENT)]
        clock = FixedClock(NOW)
        reserve_attempt(uow_factory(), clock, keys)
        reserve_attempt(uow_factory(), clock, keys)
        with uow_factory() as uow:
            settle_success(uow, clear=[KEY], give_back=[CLIENT])
            uow.commit()
        with uow_factory() as uow:
            assert throttle.current(uow.throttle.get(KEY), throttle.ACCOUNT, NOW) == 0
            client = uow.throttle.get(CLIENT)
            assert client is not None
            assert client.failures == 1


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sql_uow_factory(
    request: pytest.FixtureRequest, engine_for: Callable[[str], sa.Engine]
) -> UowFactory:
    """Units of work on SQLite or PostgreSQL, without the in-process write lock: the database
    itself must keep concurrent writers apart."""
    fixture = "sqlite_url" if request.param == "sqlite" else "migrated_postgres_url"
    engine = engine_for(request.getfixturevalue(fixture))
    return lambda: SqlAlchemyUnitOfWork(engine)


def in_parallel(count: int, work: Callable[[], object]) -> list[object]:
    """Run ``work`` in ``count`` threads released at once; what each returned or raised."""
    start, results = threading.Barrier(count), []

    def run() -> None:
        start.wait()
        try:
            results.append(work())
        except Exception as error:
            results.append(error)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


class TestConcurrency:
    def test_parallel_guesses_beyond_the_free_ones_are_refused(
        self, sql_uow_factory: UowFactory
    ) -> None:
        keys = [(KEY, throttle.ACCOUNT), (CLIENT, throttle.CLIENT)]
        clock = FixedClock(NOW)
        outcomes = in_parallel(20, lambda: reserve_attempt(sql_uow_factory(), clock, keys))
        passed = [o for o in outcomes if o is None]
        refused = [o for o in outcomes if isinstance(o, throttle.Throttled)]
        assert (len(passed), len(refused)) == (throttle.ACCOUNT.free, 20 - throttle.ACCOUNT.free)
        with sql_uow_factory() as uow:
            account, client = uow.throttle.get(KEY), uow.throttle.get(CLIENT)
        assert account is not None
        assert client is not None
        assert (account.failures, client.failures) == (throttle.ACCOUNT.free,) * 2

    def test_parallel_workers_send_each_mail_once(
        self, sql_uow_factory: UowFactory, capture: MailCapture
    ) -> None:
        with sql_uow_factory() as uow:
            for number in range(12):
                uow.mail_queue.add(queued(f"ouder{number}@elk.test"))
            uow.commit()
        mailer, clock = smtp(capture), FixedClock(NOW)
        outcomes = in_parallel(
            6, lambda: deliver_pending_mail(sql_uow_factory(), clock, mailer, limit=5)
        )
        assert not [o for o in outcomes if isinstance(o, Exception)]
        while deliver_pending_mail(sql_uow_factory(), clock, mailer).attempted:
            pass
        assert recipients(capture) == sorted(f"ouder{n}@elk.test" for n in range(12))
