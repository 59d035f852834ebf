"""structlog set-up: one JSON line per event in production, readable lines in the demo.

Every value passes ``mask_sensitive`` last, so BSNs and e-mail addresses never reach a log file,
whether they come from our own events, from library loggers or from an exception message.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping
from typing import Any, TextIO

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from elk_adapters.settings import Settings
from elk_domain.model.values import Bsn

BSN_MASK = "[BSN]"
EMAIL_MASK = "[e-mail]"

# 9 digits as 123456782, 123 456 782, 123.456.782, 123-456-782 or 1234.56.782, or 8 digits (a BSN
# with its leading zero dropped). Never part of a longer run of digits (IBANs, phone numbers)
# nor of a word such as a hexadecimal request id: masking those would break correlation.
_BSN_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z])(?<!\d[.\-])"
    r"(?:\d{3}([ .\-]?)\d{3}\1\d{3}|\d{4}([ .\-]?)\d{2}\2\d{3}|\d{8})"
    r"(?![0-9A-Za-z])(?![.\-]\d)"
)
_EMAIL = re.compile(r"[^\s@<>()\[\]\"',;:]+@[^\s@<>()\[\]\"',;:]+\.[A-Za-z]{2,}")
_HANDLER_MARK = "_elk_handler"


def passes_elfproef(digits: str) -> bool:
    """True for 8 or 9 digits that form a valid BSN (the domain's own elfproef)."""
    return digits.isdigit() and len(digits) in (8, 9) and Bsn.is_valid(digits)


def mask_text(text: str) -> str:
    """Replace BSNs and e-mail addresses in one string."""
    text = _EMAIL.sub(EMAIL_MASK, text)
    return _BSN_CANDIDATE.sub(_mask_match, text)


def _mask_match(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return BSN_MASK if passes_elfproef(digits) else match.group(0)


def _mask_value(value: object) -> object:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {key: _mask_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_mask_value(item) for item in value]
    return value


def mask_bsn(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """structlog processor: mask BSNs and e-mail addresses in every string value."""
    return {key: _mask_value(value) for key, value in event_dict.items()}


def configure_logging(settings: Settings, *, stream: TextIO | None = None) -> None:
    """Route structlog and the standard library through one handler with masking."""
    as_json = settings.log_format == "json"
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
    ]
    renderer: Processor = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if as_json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,  # the same chain for every configuration
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            mask_bsn,
            renderer,
        ],
    )
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter)
    setattr(handler, _HANDLER_MARK, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def get_logger(name: str) -> Any:
    """A structlog logger; events go through the masking chain set by ``configure_logging``."""
    return structlog.stdlib.get_logger(name)
