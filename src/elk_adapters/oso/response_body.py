"""An OSO answer's body read as it streams in, unpacked step by step, stopped at a size cap.

urllib3's ``read(decode_content=True)`` unpacks a whole gzip body before anyone can look at its
size: a 0.5 MB answer that unpacks to 512 MiB grew the process by a gigabyte (issue 12). Here
the raw bytes are read in pieces and unpacked with ``zlib``'s ``max_length``, so no more than
the cap plus one step is ever held, whatever the answer claims or contains.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator

import requests

from elk_domain.errors import Rejected

#: What ELK asks for; anything else in Content-Encoding is refused.
ACCEPT_ENCODING = "gzip, deflate"
_READ = 64 * 1024  # raw bytes per read from the socket
_STEP = 256 * 1024  # most unpacked bytes per zlib call
_AUTO_HEADER = 32 + zlib.MAX_WBITS  # a gzip or a zlib header, whichever it is


def read_capped(response: requests.Response, max_bytes: int) -> bytes:
    """The unpacked body; Rejected (Dutch) above ``max_bytes``, for an unknown or a damaged
    encoding. The connection is closed, not reused, when the body is refused."""
    try:
        return _read(response, max_bytes)
    except Rejected:
        response.close()
        raise


def _read(response: requests.Response, max_bytes: int) -> bytes:
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    unpack = _unpacker(encoding)
    declared = response.headers.get("Content-Length", "")
    if unpack is None and declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(max_bytes)  # refused before a byte is read
    body = io.BytesIO()
    for raw in response.raw.stream(_READ, decode_content=False):
        for piece in unpack.send(raw) if unpack is not None else (raw,):
            body.write(piece)
            if body.tell() > max_bytes:
                raise _too_large(max_bytes)
    if unpack is not None:
        unpack.finish()
    return body.getvalue()


class _Unpacker:
    """gzip or deflate, unpacked in bounded steps; gzip members in a row form one body."""

    def __init__(self) -> None:
        self._zlib = zlib.decompressobj(_AUTO_HEADER)

    def send(self, data: bytes) -> Iterator[bytes]:
        """The unpacked pieces of ``data`` (each at most one step long)."""
        while data:
            try:
                piece = self._zlib.decompress(data, _STEP)
            except zlib.error as exc:
                raise _damaged() from exc
            yield piece
            if self._zlib.eof:
                data = self._zlib.unused_data
                if data:
                    self._zlib = zlib.decompressobj(_AUTO_HEADER)  # the next member
            else:
                data = self._zlib.unconsumed_tail

    def finish(self) -> None:
        """The body ended: it must have ended where the compressed stream did."""
        if not self._zlib.eof:
            raise _damaged()


def _unpacker(encoding: str) -> _Unpacker | None:
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return _Unpacker()
    raise Rejected(
        f"OSO stuurde een antwoord in een onbekende codering ({encoding[:20]}); "
        "het is niet ingelezen."
    )


def _too_large(max_bytes: int) -> Rejected:
    return Rejected(
        "Het antwoord van OSO is te groot: meer dan de grens van "
        f"{max_bytes / 1_048_576:.1f} MB. Het is niet ingelezen."
    )


def _damaged() -> Rejected:
    return Rejected("OSO stuurde een beschadigd ingepakt antwoord (gzip); het is niet ingelezen.")
