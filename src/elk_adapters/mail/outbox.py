"""Reads the demo's captured mail back for the page "Verzonden e-mail"."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import attrs

from elk_adapters.mail.capture import EML_SUFFIX


@attrs.frozen(kw_only=True)
class CapturedMail:
    """One captured message as the functional administrator sees it."""

    name: str  # the file name: a stable id for a detail link
    to: str
    sender: str
    subject: str
    date: dt.datetime | None
    body: str


def read_outbox(path: Path, limit: int = 200) -> list[CapturedMail]:
    """The newest ``limit`` captured messages, newest first; unreadable files are skipped."""
    if not path.is_dir():
        return []
    files = sorted(
        (p for p in path.iterdir() if p.suffix == EML_SUFFIX and not p.name.startswith(".")),
        key=lambda p: p.name,
        reverse=True,
    )
    found: list[CapturedMail] = []
    for file in files:
        if len(found) >= limit:
            break
        mail = read_message(file)
        if mail is not None:
            found.append(mail)
    return found


def read_message(file: Path) -> CapturedMail | None:
    """Parse one ``.eml`` file; None when it is missing or not a mail message."""
    try:
        raw = file.read_bytes()
    except OSError:
        return None
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        if not isinstance(message, EmailMessage) or not message.get("To"):
            return None
        return CapturedMail(
            name=file.name,
            to=str(message.get("To", "")),
            sender=str(message.get("From", "")),
            subject=str(message.get("Subject", "")),
            date=_date(message),
            body=_body(message),
        )
    except Exception:  # a junk file must never break the admin page; skip it
        return None


def _date(message: EmailMessage) -> dt.datetime | None:
    value = message.get("Date")
    if not value:
        return None
    try:
        return parsedate_to_datetime(str(value))
    except (TypeError, ValueError):
        return None


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError, KeyError):
        return ""
    # SMTP carries CRLF line ends; the page shows plain text
    return content.replace("\r\n", "\n") if isinstance(content, str) else ""
