"""Settings read from ``ELK_*`` environment variables (documented in docs/operations.md)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

import attrs

from elk_adapters.files import make_private_folder, write_private_file
from elk_adapters.secret_key import check_secret_key
from elk_domain.errors import Rejected

ENVIRONMENTS = ("demo", "production", "test")


@attrs.frozen(kw_only=True)
class Settings:
    """Everything configurable about one ELK installation."""

    env: str = "demo"
    instance_path: Path = Path("instance")
    database_url: str = ""
    secret_key: str = ""
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_sender: str = "ELK <noreply@elk.localhost>"
    mail_interval: float = 5.0  # seconds between the mail worker's rounds; 0: no worker
    oso_endpoint: str = "http://127.0.0.1:8090/oso"
    oso_timeout: float = 10.0  # seconds per SOAP call
    oso_retries: int = 2  # extra tries of safe (read-only) calls
    oso_client_cert: str = ""  # PEM certificate for mutual TLS (with oso_client_key)
    oso_client_key: str = ""
    oso_ca: str = ""  # CA bundle of the Traffic Center's server certificate
    # Take OSO advice codes by their unconfirmed inference, marked for checking (decision 0005).
    oso_trust_inferred_advice: bool = False
    procedure: str = "amstelland"
    base_url: str = "http://127.0.0.1:5000"
    idle_timeout_minutes: int = 30
    session_max_hours: float = 12  # a login ends this long after it began, even while in use
    trusted_proxies: int = 0  # reverse proxies in front of ELK whose X-Forwarded-* count
    log_format: str = "console"  # or "json"

    @property
    def outbox_path(self) -> Path:
        """Where the demo mail capture stores messages."""
        return self.instance_path / "outbox"

    @property
    def files_path(self) -> Path:
        """Where attachments are stored by the filesystem FileStore."""
        return self.instance_path / "files"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, default_env: str = "demo"
    ) -> Settings:
        """Read ``ELK_*`` variables; a demo without a secret key gets one generated in instance/.

        ``default_env`` applies when ELK_ENV is not set (``elk serve`` passes "production").
        """
        env = os.environ if environ is None else environ
        kind = environment(env, default_env)
        instance = Path(env.get("ELK_INSTANCE_PATH", "instance")).resolve()
        database_url = env.get("ELK_DATABASE_URL") or f"sqlite:///{instance / 'elk.sqlite3'}"
        secret = env.get("ELK_SECRET_KEY", "")
        if kind == "production":
            check_secret_key(secret)
        elif not secret:
            secret = _demo_secret(instance)
        return cls(
            env=kind,
            instance_path=instance,
            database_url=database_url,
            secret_key=secret,
            smtp_host=env.get("ELK_SMTP_HOST", "127.0.0.1"),
            smtp_port=int(env.get("ELK_SMTP_PORT", "8025")),
            smtp_user=env.get("ELK_SMTP_USER", ""),
            smtp_password=env.get("ELK_SMTP_PASSWORD", ""),
            smtp_starttls=env.get("ELK_SMTP_STARTTLS", "0") == "1",
            mail_sender=env.get("ELK_MAIL_SENDER", "ELK <noreply@elk.localhost>"),
            mail_interval=_number(env, "ELK_MAIL_INTERVAL", 5.0),
            oso_endpoint=env.get("ELK_OSO_ENDPOINT", "http://127.0.0.1:8090/oso"),
            oso_timeout=_number(env, "ELK_OSO_TIMEOUT", 10.0),
            oso_retries=int(_number(env, "ELK_OSO_RETRIES", 2)),
            oso_client_cert=env.get("ELK_OSO_CLIENT_CERT", ""),
            oso_client_key=env.get("ELK_OSO_CLIENT_KEY", ""),
            oso_ca=env.get("ELK_OSO_CA", ""),
            oso_trust_inferred_advice=_switch(env, "ELK_OSO_TRUST_INFERRED_ADVICE"),
            procedure=env.get("ELK_PROCEDURE", "amstelland"),
            base_url=env.get("ELK_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
            idle_timeout_minutes=int(env.get("ELK_IDLE_TIMEOUT_MINUTES", "30")),
            session_max_hours=_positive(env, "ELK_SESSION_MAX_HOURS", 12.0),
            trusted_proxies=_count(env, "ELK_TRUSTED_PROXIES"),
            log_format=env.get("ELK_LOG_FORMAT", "json" if kind == "production" else "console"),
        )


def environment(env: Mapping[str, str], default: str = "demo") -> str:
    """The kind of installation: ELK_ENV, or ``default`` when it is not set."""
    kind = env.get("ELK_ENV") or default
    if kind not in ENVIRONMENTS:
        raise Rejected(f"ELK_ENV moet een van {', '.join(ENVIRONMENTS)} zijn, niet '{kind}'.")
    return kind


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    """A non-negative number from the environment; a typo is refused with the variable named."""
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value < 0:
        raise Rejected(f"{name} moet een getal van 0 of meer zijn, niet '{text}'.")
    return value


def _switch(env: Mapping[str, str], name: str) -> bool:
    """An on/off setting: 1 or 0 (empty: off); anything else is refused with the name."""
    text = env.get(name, "").strip()
    if text not in ("", "0", "1"):
        raise Rejected(f"{name} moet 0 (uit) of 1 (aan) zijn, niet '{text}'.")
    return text == "1"


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    """A number above 0 from the environment (0 would end every session at once)."""
    value = _number(env, name, default)
    if value <= 0:
        raise Rejected(f"{name} moet groter zijn dan 0, niet '{env.get(name, '')}'.")
    return value


def _count(env: Mapping[str, str], name: str) -> int:
    """A whole number of 0 or more (default 0); a typo is refused with the variable named."""
    text = env.get(name, "").strip() or "0"
    if not (text.isascii() and text.isdigit()) or len(text) > 3:
        raise Rejected(f"{name} moet een geheel getal van 0 of meer zijn, niet '{text}'.")
    return int(text)


def _demo_secret(instance: Path) -> str:
    make_private_folder(instance)
    path = instance / "secret_key"
    if not path.exists():
        write_private_file(path, secrets.token_urlsafe(48).encode())
    return path.read_text(encoding="utf-8").strip()
