"""SmtpMailer against the real local capture server, and reading the outbox back from disk."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from elk_adapters.mail.capture import MailCapture, free_port, store_message
from elk_adapters.mail.outbox import read_outbox
from elk_adapters.mail.smtp import SmtpMailer
from elk_adapters.settings import Settings
from elk_domain.errors import Unavailable
from elk_domain.kernel.mail import OutgoingMail

DUTCH = OutgoingMail(
    to="Zoë Çelik <zoe.celik.1@ouder.example>",
    subject="Inloggegevens ELK voor Łukasz Nguyễn – één stap",
    body="Beste ouder/verzorger,\n\nHet Oki-doc van Łukasz is definitief. Groet, Ørsted\n",
)


@pytest.fixture
def capture(tmp_path: Path) -> Iterator[MailCapture]:
    """A running capture server on a free port, writing into tmp_path/outbox."""
    with MailCapture(tmp_path / "outbox", port=free_port()) as running:
        yield running


class Recorder:
    """A real SMTP server (aiosmtpd) that keeps each message with its envelope recipients,
    which the saved .eml cannot show (smtplib turns a Bcc header into a hidden recipient)."""

    def __init__(self) -> None:
        self.host, self.port = "127.0.0.1", free_port()
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    running = Recorder()
    controller = Controller(running, hostname=running.host, port=running.port)
    controller.start()
    try:
        yield running
    finally:
        controller.stop()


def _mailer(capture: MailCapture) -> SmtpMailer:
    return SmtpMailer(capture.host, capture.port, "ELK Amstelland <noreply@elk.example>")


class TestSmtpMailer:
    def test_delivers_dutch_text_with_diacritics_intact(self, capture: MailCapture) -> None:
        _mailer(capture).send(DUTCH)

        [mail] = read_outbox(capture.outbox)
        assert mail.subject == DUTCH.subject
        assert mail.to == DUTCH.to
        assert mail.sender == "ELK Amstelland <noreply@elk.example>"
        assert mail.body.strip() == DUTCH.body.strip()
        assert mail.date is not None

    def test_each_message_gets_its_own_file(self, capture: MailCapture) -> None:
        mailer = _mailer(capture)
        for number in range(3):
            mailer.send(
                OutgoingMail(to=f"ouder{number}@ouder.example", subject=f"#{number}", body="x")
            )

        assert len(list(capture.outbox.glob("*.eml"))) == 3
        assert [m.subject for m in read_outbox(capture.outbox)] == ["#2", "#1", "#0"]

    def test_raises_unavailable_with_dutch_message_when_nothing_listens(self) -> None:
        mailer = SmtpMailer("127.0.0.1", free_port(), "noreply@elk.example", timeout=2)

        with pytest.raises(Unavailable, match="niet bereikbaar"):
            mailer.send(DUTCH)

    def test_a_subject_with_a_line_break_stays_one_header_and_adds_no_recipient(
        self, recorder: Recorder
    ) -> None:
        mailer = SmtpMailer(recorder.host, recorder.port, "ELK <noreply@elk.example>")
        subject = "Aanmelding van Noor\r\nBcc: x@evil.example\u2028Cc: y@evil.example"

        mailer.send(OutgoingMail(to="ouder@ouder.example", subject=subject, body="Hallo"))

        [(recipients, raw)] = recorder.received
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert recipients == ["ouder@ouder.example"]
        assert message["Subject"] == "Aanmelding van Noor Bcc: x@evil.example Cc: y@evil.example"
        assert message.get_all("Bcc") is None
        assert message.get_all("Cc") is None

    @pytest.mark.parametrize(
        "to",
        [
            "ouder@ouder.example\r\nBcc: x@evil.example",
            "ouder@ouder.example\nx@evil.example",
            "ouder@ouder.example, x@evil.example",
            "Ouders: ouder@ouder.example, x@evil.example;",
            "geen adres",
        ],
    )
    def test_a_recipient_that_is_not_one_address_is_refused_and_nothing_is_sent(
        self, recorder: Recorder, to: str
    ) -> None:
        mailer = SmtpMailer(recorder.host, recorder.port, "ELK <noreply@elk.example>")

        with pytest.raises(Unavailable, match="e-mailadres van de ontvanger is ongeldig"):
            mailer.send(OutgoingMail(to=to, subject="Hallo", body="Hallo"))

        assert recorder.received == []

    def test_is_configured_from_settings(self, tmp_path: Path) -> None:
        settings = Settings(instance_path=tmp_path, smtp_host="mail.example", smtp_port=2525)

        mailer = SmtpMailer.from_settings(settings)

        assert (mailer.host, mailer.port, mailer.sender) == (
            "mail.example",
            2525,
            settings.mail_sender,
        )


class TestMailCapture:
    def test_refuses_a_port_in_use(self, capture: MailCapture, tmp_path: Path) -> None:
        with pytest.raises(OSError, match="in use"):
            MailCapture(tmp_path / "other", port=capture.port).start()

    def test_stop_is_idempotent_and_frees_the_port(self, tmp_path: Path) -> None:
        capture = MailCapture(tmp_path / "outbox", port=0).start()
        capture.stop()
        capture.stop()

        with MailCapture(tmp_path / "again", port=capture.port):
            assert not capture.running


class TestReadOutbox:
    def test_missing_folder_is_an_empty_outbox(self, tmp_path: Path) -> None:
        assert read_outbox(tmp_path / "nowhere") == []

    def test_skips_junk_and_half_written_files(self, tmp_path: Path) -> None:
        outbox = tmp_path / "outbox"
        store_message(outbox, b"To: a@ouder.example\r\nSubject: goed\r\n\r\nhallo\r\n")
        (outbox / "notes.txt").write_text("geen mail")
        (outbox / "20990101T000000000000Z-junk.eml").write_bytes(b"\x00\xff binary junk")
        (outbox / ".20990101T000000000000Z-half.eml.tmp").write_bytes(b"To: x@y.example\r\n")
        (outbox / "20990101T000000000001Z-dir.eml").mkdir()

        mails = read_outbox(outbox)

        assert [m.subject for m in mails] == ["goed"]

    def test_newest_first_and_limited(self, tmp_path: Path) -> None:
        outbox = tmp_path / "outbox"
        for day in (1, 3, 2):
            name = f"2026010{day}T000000000000Z-x.eml"
            (outbox / name).parent.mkdir(exist_ok=True)
            (outbox / name).write_bytes(f"To: a@b.example\r\nSubject: {day}\r\n\r\n.".encode())

        mails = read_outbox(outbox, limit=2)

        assert [m.subject for m in mails] == ["3", "2"]

    def test_bad_date_header_gives_no_date(self, tmp_path: Path) -> None:
        outbox = tmp_path / "outbox"
        store_message(outbox, b"To: a@b.example\r\nDate: gisteren\r\nSubject: s\r\n\r\nx")

        [mail] = read_outbox(outbox)

        assert mail.date is None
