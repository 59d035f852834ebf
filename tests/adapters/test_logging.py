"""Logging masks BSNs and e-mail addresses and writes one JSON line per event in production."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from elk_adapters.logging import configure_logging, get_logger, mask_bsn, mask_text
from elk_adapters.settings import Settings


class TestMaskText:
    @pytest.mark.parametrize(
        "text",
        [
            "123456782",
            "123 456 782",
            "123.456.782",
            "123-456-782",
            "1234.56.782",
            "12345672",  # a BSN with its leading zero dropped
            "BSN: 111222333.",
        ],
    )
    def test_masks_valid_bsns_in_any_notation(self, text: str) -> None:
        masked = mask_text(f"leerling {text} gesynchroniseerd")
        assert "[BSN]" in masked
        assert not any(char.isdigit() for char in masked)

    @pytest.mark.parametrize(
        "text",
        [
            "123456789",  # nine digits failing the elfproef
            "06-12345678",  # mobile phone number
            "0612345678",
            "020 123 4567",
            "€ 123.456.789",
            "€ 1.123.456.782",  # an amount, not a number on its own
            "NL91ABNA0417164300",  # IBAN
            "2025-03-17 09:00:00",
            "000000000",
            "1234567820",  # ten digits
            "8f73e7603bc123456782b4c24562450d",  # a request id that contains a valid BSN
            "a123456782",
        ],
    )
    def test_keeps_numbers_that_are_no_bsn(self, text: str) -> None:
        assert mask_text(text) == text

    @pytest.mark.parametrize("address", ["juf.eva@school.nl", "Jan+ELK@Example.COM"])
    def test_masks_email_addresses(self, address: str) -> None:
        assert mask_text(f"mail naar {address} verstuurd") == "mail naar [e-mail] verstuurd"


def test_processor_masks_every_string_value_also_nested() -> None:
    event = {
        "event": "sync 123456782",
        "pupil": {"bsn": "123 456 782", "name": "x"},
        "bsns": ["123.456.782", 5],
        "count": 123456782,
    }
    masked = mask_bsn(None, "info", event)
    assert masked["event"] == "sync [BSN]"
    assert masked["pupil"] == {"bsn": "[BSN]", "name": "x"}
    assert masked["bsns"] == ["[BSN]", 5]
    assert masked["count"] == 123456782  # numbers are logged on purpose, e.g. ids and counts


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("restore_logging")
class TestConfigureLogging:
    def test_json_is_one_line_per_event_even_with_a_traceback(self, tmp_path: Path) -> None:
        stream = io.StringIO()
        configure_logging(Settings(instance_path=tmp_path, log_format="json"), stream=stream)
        log = get_logger("test")
        log.info("first\nevent", who="juf@school.nl")
        try:
            raise ValueError("bsn 123456782\nkapot")
        except ValueError:
            log.exception("failed")
        lines = stream.getvalue().splitlines()
        assert len(lines) == 2
        first, second = (json.loads(line) for line in lines)
        assert first["event"] == "first\nevent"
        assert first["who"] == "[e-mail]"
        assert "ValueError: bsn [BSN]" in second["exception"]
        assert "123456782" not in stream.getvalue()

    def test_standard_library_loggers_are_masked_too(self, tmp_path: Path) -> None:
        stream = io.StringIO()
        configure_logging(Settings(instance_path=tmp_path, log_format="json"), stream=stream)
        logging.getLogger("werkzeug").info("GET /leerling?bsn=123456782")
        assert json.loads(stream.getvalue())["event"] == "GET /leerling?bsn=[BSN]"

    def test_console_format_is_readable_in_the_demo(self, tmp_path: Path) -> None:
        stream = io.StringIO()
        configure_logging(Settings(instance_path=tmp_path, log_format="console"), stream=stream)
        get_logger("test").info("request", path="/", status=200)
        line = stream.getvalue()
        assert "request" in line
        assert "status=200" in line
        assert not line.startswith("{")

    def test_configuring_twice_keeps_one_handler(self, tmp_path: Path) -> None:
        stream = io.StringIO()
        settings = Settings(instance_path=tmp_path, log_format="json")
        configure_logging(settings, stream=io.StringIO())
        configure_logging(settings, stream=stream)
        get_logger("test").info("once")
        assert len(stream.getvalue().splitlines()) == 1
