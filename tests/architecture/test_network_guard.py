"""The test session refuses connections to anything but loopback (see tests/conftest.py)."""

from __future__ import annotations

import socket

import pytest


def test_connections_to_other_hosts_are_refused() -> None:
    with socket.socket() as sock, pytest.raises(AssertionError, match="only loopback"):
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1: documentation address


def test_loopback_connections_still_work() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            pass
