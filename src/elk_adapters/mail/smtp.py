"""SMTP delivery behind the domain's Mailer port."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid, parseaddr

from elk_adapters.settings import Settings
from elk_domain.errors import Rejected, Unavailable
from elk_domain.kernel.mail import OutgoingMail
from elk_domain.kernel.values import single_line

BAD_RECIPIENT = "Het e-mailadres van de ontvanger is ongeldig. Controleer het e-mailadres."


def build_message(mail: OutgoingMail, sender: str) -> EmailMessage:
    """A UTF-8 plain-text message; headers and body keep their diacritics.

    A second line of defence after the domain: the subject is folded onto one line, and a
    recipient that is not exactly one address (a line break, a list, a group) is refused
    with Unavailable, so no header and no hidden recipient can be slipped in.
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = _one_recipient(mail.to)
    message["Subject"] = single_line(mail.subject)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "elk.localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(mail.body, subtype="plain", charset="utf-8")
    return message


def _one_recipient(to: str) -> str:
    """``to`` when it names exactly one mailbox; raises Unavailable otherwise."""
    found = getaddresses([to])
    address = found[0][1] if len(found) == 1 else ""
    one_line = to.splitlines() == [to]  # every line boundary the email package knows
    if not one_line or address.count("@") != 1 or any(c.isspace() for c in address):
        raise Unavailable(BAD_RECIPIENT)
    return to


class SmtpMailer:
    """Sends each mail over its own SMTP connection (mail volume in ELK is low)."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        user: str = "",
        password: str = "",
        starttls: bool = False,
        timeout: float = 10,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self._user = user
        self._password = password
        self._starttls = starttls
        self._timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpMailer:
        """The mailer configured by the ``ELK_SMTP_*`` settings."""
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            settings.mail_sender,
            user=settings.smtp_user,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
        )

    def send(self, mail: OutgoingMail) -> None:
        """Deliver one mail; raises Unavailable when the server cannot be reached or refuses,
        Rejected when the email package cannot write the message at all (so the mail worker
        records it and goes on with the next mail)."""
        try:
            message = build_message(mail, self.sender)
        except ValueError as exc:
            raise Rejected("De e-mail kan niet worden opgesteld.") from exc
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self._timeout) as smtp:
                if self._starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self._user:
                    smtp.login(self._user, self._password)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise Unavailable(
                f"De mailserver weigert het adres '{mail.to}'. Controleer het e-mailadres."
            ) from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise Unavailable(
                "De mailserver weigert de inloggegevens van ELK. Neem contact op met de beheerder."
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:  # socket timeouts are OSErrors
            raise Unavailable(
                "De e-mail kon niet worden verstuurd: de mailserver is niet bereikbaar. "
                "Probeer het later opnieuw."
            ) from exc
