"""Reading an OSO answer with a cap on its unpacked size, over real HTTP on loopback.

A small real server sends exactly the bytes and headers each case needs (gzip, deflate, two
gzip members, chunked, broken or unknown encodings); the gateway's own path through the OSO
simulator is tested in test_oso_gateway.py.
"""

from __future__ import annotations

import gzip
import threading
import tracemalloc
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from elk_adapters.oso.response_body import read_capped
from elk_domain.errors import Rejected

MIB = 1024 * 1024
TEXT = b"<soap:Envelope>" + b"".join(b"<regel>%d</regel>" % i for i in range(20_000)) + b"</x>"


class _Answers(ThreadingHTTPServer):
    answers: dict[str, tuple[list[tuple[str, str]], bytes, bool]]

    def handle_error(self, request: object, client_address: object) -> None:
        """A refused body closes the connection mid-answer: expected, not worth a traceback."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        server = self.server
        assert isinstance(server, _Answers)
        headers, body, chunked = server.answers[self.path]
        self.send_response(200)
        for name, value in headers:
            self.send_header(name, value)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for at in range(0, len(body), 10_000):
                piece = body[at : at + 10_000]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[_Answers]:
    httpd = _Answers(("127.0.0.1", 0), _Handler)
    httpd.answers = {}
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def _read(
    server: _Answers,
    body: bytes,
    encoding: str | None = None,
    *,
    chunked: bool = False,
    cap: int = MIB,
) -> bytes:
    headers = [("Content-Type", "text/xml")]
    if encoding is not None:
        headers.append(("Content-Encoding", encoding))
    server.answers["/x"] = (headers, body, chunked)
    url = f"http://127.0.0.1:{server.server_address[1]}/x"
    with requests.get(url, stream=True, timeout=10) as response:
        return read_capped(response, cap)


def _gzip_bomb(mebibytes: int) -> bytes:
    """gzip of ``mebibytes`` MiB of zeros, compressed piece by piece (cheap to build)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    piece = bytes(MIB)
    return b"".join(packer.compress(piece) for _ in range(mebibytes)) + packer.flush()


class TestWithinTheCap:
    @pytest.mark.parametrize("chunked", [False, True], ids=["length", "chunked"])
    def test_plain_gzip_and_deflate_give_the_same_bytes(
        self, server: _Answers, chunked: bool
    ) -> None:
        assert _read(server, TEXT, chunked=chunked) == TEXT
        assert _read(server, gzip.compress(TEXT), "gzip", chunked=chunked) == TEXT
        assert _read(server, zlib.compress(TEXT), "deflate", chunked=chunked) == TEXT

    def test_two_gzip_members_are_read_as_one_body(self, server: _Answers) -> None:
        body = gzip.compress(TEXT[:1000]) + gzip.compress(TEXT[1000:])
        assert _read(server, body, "gzip") == TEXT

    def test_exactly_the_cap_is_accepted(self, server: _Answers) -> None:
        assert _read(server, gzip.compress(TEXT), "gzip", cap=len(TEXT)) == TEXT


class TestOverTheCap:
    @pytest.mark.parametrize("encoding", [None, "gzip"])
    @pytest.mark.parametrize("chunked", [False, True], ids=["length", "chunked"])
    def test_one_byte_over_is_refused_in_dutch(
        self, server: _Answers, encoding: str | None, chunked: bool
    ) -> None:
        body = gzip.compress(TEXT) if encoding else TEXT
        cap = f"{(len(TEXT) - 1) / MIB:.1f}"
        with pytest.raises(Rejected, match=rf"te groot: meer dan de grens van {cap} MB\."):
            _read(server, body, encoding, chunked=chunked, cap=len(TEXT) - 1)

    def test_a_gzip_bomb_is_unpacked_no_further_than_the_cap(self, server: _Answers) -> None:
        bomb = _gzip_bomb(256)
        tracemalloc.start()
        try:
            with pytest.raises(Rejected, match="te groot"):
                _read(server, bomb, "gzip", cap=4 * MIB)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 16 * MIB, f"peak {peak / MIB:.0f} MiB for a 4 MiB cap"


class TestBrokenAnswers:
    def test_an_unknown_encoding_is_refused(self, server: _Answers) -> None:
        with pytest.raises(Rejected, match=r"onbekende codering \(br\)"):
            _read(server, b"\x1b\x00\x00", "br")

    @pytest.mark.parametrize(
        "body",
        [gzip.compress(TEXT)[:-40], b"\x1f\x8b\x08\x00garbage-not-deflate", b"not gzip at all"],
        ids=["truncated", "corrupt", "no-gzip"],
    )
    def test_a_damaged_gzip_body_is_refused(self, server: _Answers, body: bytes) -> None:
        with pytest.raises(Rejected, match="beschadigd"):
            _read(server, body, "gzip")
